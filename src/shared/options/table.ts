// THE option table: every training option of every model, declared once. The run config's zod
// schemas (src/shared/run-config.ts, through ./schema.ts), training:start's overrides
// (src/shared/contract.ts), the `diptych train` flags (src/main/cli/option-flags.ts) and the
// New-run form's fields (src/renderer/lib/training-options.ts) are all built from these rows, so a
// bound or a flag changed here changes everywhere at once. Defaults stay per preset in
// run-config.ts's PRESETS tables. Rows are in the form's order (each model shows its own rows of a
// group in table order); rows the form does not show come last.
//
// The crop size's minimum is 8 px for CycleGAN, decided once here: the form and the CLI always
// refused below 8 while the schema took 1, and a 4 px crop trains nothing (the schema's rule that
// the side is a multiple of what the generator needs stays in run-config.ts). CoGAN's image size
// is 32 to 128 (its networks are built for 32, 64 or 128 px; run-config.ts says so for the rest).
import { GENERATOR_CHOICES, RELATION_CHOICES } from './choices.ts';
import type { OptionRow } from './row.ts';

const BOTH = ['cyclegan', 'cogan'] as const;
const CYCLEGAN = ['cyclegan'] as const;
const COGAN = ['cogan'] as const;

// Facts shared by a CycleGAN row and a CoGAN row of the same key, which differ only in words.
const cropSize = { key: 'cropSize', kind: 'int', unit: 'px', group: 'Images' } as const;
const cropFlag = { flag: '--crop-size <px>', description: 'training image size' } as const;
const loadSize = {
  key: 'loadSize',
  kind: 'int',
  min: 8,
  max: 4096,
  unit: 'px',
  label: 'Load size',
  group: 'Images',
  cli: { flag: '--load-size <px>', description: 'size images are loaded at before the random crop' },
} as const;
const flip = {
  key: 'flip',
  kind: 'boolean',
  label: 'Mirror images',
  group: 'Images',
  cli: { flag: '--no-flip', description: 'no random horizontal flips' },
} as const;
const nEpochs = {
  key: 'nEpochs',
  kind: 'int',
  min: 0,
  max: 100_000,
  label: 'Epochs',
  group: 'How long',
  cli: null,
} as const;
const previewEvery = {
  key: 'previewEvery',
  kind: 'int',
  min: 1,
  max: 1_000_000,
  unit: 'steps',
  label: 'Preview every',
  group: 'How long',
  cli: { flag: '--preview-every <steps>', description: 'write a preview grid every N steps' },
} as const;
const ngf = {
  key: 'ngf',
  kind: 'int',
  min: 1,
  max: 256,
  label: 'Generator width',
  group: 'Networks',
  cli: { flag: '--ngf <n>', description: 'generator width' },
} as const;
const ganMode = {
  key: 'ganMode',
  kind: 'choice',
  label: 'GAN objective',
  group: 'Learning',
  cli: { flag: '--gan-mode <mode>', description: 'GAN objective' },
} as const;
const lr = {
  key: 'lr',
  kind: 'number',
  min: 0,
  above: true,
  max: 1,
  label: 'Learning rate',
  group: 'Learning',
  cli: { flag: '--lr <rate>', description: 'Adam learning rate (default 0.0002)' },
} as const;

export const OPTION_ROWS = [
  // ——— Images ———
  {
    ...cropSize,
    models: CYCLEGAN,
    min: 8,
    max: 4096,
    label: 'Crop size',
    help: 'The side of the square pieces the model learns from: bigger sees more detail but trains much slower (a multiple of 4).',
    cli: cropFlag,
  },
  {
    ...cropSize,
    models: COGAN,
    min: 32,
    max: 128,
    label: 'Image size',
    help: 'The side of the square pictures the networks draw and judge: 32, 64 or 128. Bigger shows more detail but trains much slower.',
    cli: cropFlag,
  },
  {
    ...loadSize,
    models: CYCLEGAN,
    help: 'Pictures are scaled to this size first and a random square of the crop size is cut from them, so the model sees varied framings.',
  },
  {
    ...loadSize,
    models: COGAN,
    help: 'Pictures are scaled to this size first and a random square of the image size is cut from them, so the model sees varied framings.',
  },
  {
    ...flip,
    models: CYCLEGAN,
    help: 'Also learn from mirrored copies of your pictures: more variety for free, unless left and right matter in them.',
  },
  { ...flip, models: COGAN, help: 'Also learn from mirrored copies of your pictures: more variety for free.' },

  // ——— How long ———
  {
    ...nEpochs,
    models: CYCLEGAN,
    help: 'How many times training goes through all your pictures at full learning speed.',
  },
  { ...nEpochs, models: COGAN, help: 'How many times training goes through all your pictures.' },
  {
    key: 'nEpochsDecay',
    models: CYCLEGAN,
    kind: 'int',
    min: 0,
    max: 100_000,
    label: 'Slow-down epochs',
    help: 'How many more passes while the learning speed fades to zero, which lets the result settle.',
    group: 'How long',
    // `diptych train --epochs N` sets nEpochs and nEpochsDecay together (train.ts).
    cli: null,
  },
  {
    key: 'maxSteps',
    models: BOTH,
    kind: 'int',
    nullable: true,
    min: 1,
    max: 100_000_000,
    label: 'Max steps',
    help: 'Stop after this many training steps, whatever the epochs say; leave it empty to train every epoch.',
    group: 'How long',
    cli: { flag: '--steps <n>', description: 'stop after this many steps' },
  },
  {
    key: 'batchSize',
    models: COGAN,
    kind: 'int',
    min: 1,
    max: 256,
    label: 'Batch size',
    help: 'Pictures of each domain (and random codes) per step: bigger batches are steadier but slower per step.',
    group: 'How long',
    cli: { flag: '--batch-size <n>', description: 'CoGAN: images of each domain per step' },
  },
  {
    ...previewEvery,
    models: CYCLEGAN,
    help: 'How often to save a preview grid, so you can watch the pictures change while it learns.',
  },
  {
    ...previewEvery,
    models: COGAN,
    help: 'How often to draw the fixed codes as A/B pairs, so you can watch the pairs take shape.',
  },

  // ——— Networks ———
  {
    key: 'netG',
    models: CYCLEGAN,
    kind: 'choice',
    choices: GENERATOR_CHOICES,
    label: 'Generator',
    help: 'The network that paints the translated picture: ResNet keeps the layout and changes the look; U-Net passes more fine detail straight through (U-Net N needs pictures whose side is a multiple of N).',
    group: 'Networks',
    cli: null,
  },
  {
    key: 'netD',
    models: CYCLEGAN,
    kind: 'choice',
    choices: { basic: 'PatchGAN 70 px', n_layers: 'PatchGAN n layers', pixel: 'Per pixel' },
    label: 'Discriminator',
    help: 'The critic that judges whether a picture looks real: PatchGAN judges small patches, per pixel judges colours only.',
    group: 'Networks',
    cli: null,
  },
  {
    key: 'zDim',
    models: COGAN,
    kind: 'int',
    min: 1,
    max: 1024,
    label: 'Code size',
    help: 'Dimensions of the random code z both generators draw from: 100 in the paper.',
    group: 'Networks',
    cli: { flag: '--z-dim <n>', description: 'CoGAN: dimensions of the latent code (default 100)' },
  },
  {
    ...ngf,
    models: CYCLEGAN,
    help: 'How many feature channels the painting networks have: more can learn richer changes, but is slower and bigger.',
  },
  {
    ...ngf,
    models: COGAN,
    help: 'How many feature channels the generators have: more can draw richer pictures, but is slower.',
  },
  {
    key: 'ndf',
    models: BOTH,
    kind: 'int',
    min: 1,
    max: 256,
    label: 'Discriminator width',
    help: 'How many feature channels the critics have: a stronger critic pushes for more convincing pictures.',
    group: 'Networks',
    cli: { flag: '--ndf <n>', description: 'discriminator width' },
  },
  {
    key: 'sharedGeneratorLayers',
    models: COGAN,
    kind: 'int',
    min: 0,
    max: 5,
    label: 'Shared generator layers',
    help: "How many of the generators' first layers are one set of weights: these decide what a code means in both domains. The paper shares all but the last (the default follows the image size).",
    group: 'Networks',
    cli: {
      flag: '--shared-g <n>',
      description: "CoGAN: generator layers shared by both domains (default: all but the last, the paper's)",
    },
  },
  {
    key: 'sharedDiscriminatorLayers',
    models: COGAN,
    kind: 'int',
    min: 0,
    max: 5,
    label: 'Shared critic layers',
    help: "How many of the critics' last layers are one set of weights. The paper shares all but the first.",
    group: 'Networks',
    cli: {
      flag: '--shared-d <n>',
      description: "CoGAN: discriminator layers shared by both domains (default: all but the first, the paper's)",
    },
  },

  // ——— Learning ———
  {
    ...ganMode,
    models: CYCLEGAN,
    choices: { lsgan: 'LSGAN', vanilla: 'Vanilla GAN', wgangp: 'WGAN-GP', bgan: 'Boundary-seeking' },
    help: "How the critic scores pictures: least squares is the paper's steady choice; the others can help when training misbehaves.",
  },
  {
    ...ganMode,
    models: COGAN,
    // The paper's non-saturating GAN first: CoGAN's list opens on its own default.
    choices: { vanilla: 'Vanilla GAN', lsgan: 'LSGAN', wgangp: 'WGAN-GP', bgan: 'Boundary-seeking' },
    help: "How the critics score pictures: the paper's non-saturating GAN; the others can help when training misbehaves.",
  },
  {
    key: 'lambdaA',
    models: CYCLEGAN,
    kind: 'number',
    min: 0,
    max: 1000,
    label: 'Cycle weight A',
    help: 'How strongly A → B → A must come back to the original picture: higher keeps more of what was in it. The cycle_A curve is shown multiplied by it.',
    group: 'Learning',
    cli: null,
  },
  {
    key: 'lambdaB',
    models: CYCLEGAN,
    kind: 'number',
    min: 0,
    max: 1000,
    label: 'Cycle weight B',
    help: 'The same for B → A → B.',
    group: 'Learning',
    cli: null,
  },
  {
    key: 'lambdaIdentity',
    models: CYCLEGAN,
    kind: 'number',
    min: 0,
    max: 10,
    label: 'Identity weight',
    help: 'How much a picture already in the target style should be left alone, as a fraction of the cycle weight: helps keep colours; 0 turns it off.',
    group: 'Learning',
    cli: {
      flag: '--lambda-identity <w>',
      description: 'identity loss weight as a fraction of the cycle weight (default 0.5)',
    },
  },
  {
    key: 'poolSize',
    models: CYCLEGAN,
    kind: 'int',
    min: 0,
    max: 1000,
    label: 'Fake pool',
    help: 'How many earlier fakes the critic keeps seeing again, which calms training; 0 shows it only the newest.',
    group: 'Learning',
    cli: { flag: '--pool-size <n>', description: 'fake-image pool for the discriminators (0 disables)' },
  },
  {
    ...lr,
    models: CYCLEGAN,
    help: 'How big each adjustment is: too high and training wobbles, too low and it crawls.',
  },
  { ...lr, models: COGAN, help: 'How big each adjustment is: 0.0002 in the paper.' },
  {
    key: 'weightDecay',
    models: COGAN,
    kind: 'number',
    min: 0,
    max: 1,
    label: 'Weight decay',
    help: 'Pulls every weight slightly towards zero at each step (L2), which can calm training; 0 turns it off.',
    group: 'Learning',
    cli: { flag: '--weight-decay <w>', description: 'CoGAN: L2 weight decay (default 0)' },
  },
  {
    key: 'seed',
    models: BOTH,
    kind: 'int',
    min: 0,
    max: 2 ** 32 - 1,
    label: 'Seed',
    help: 'The starting number for all the randomness: the same seed and settings give the same run again.',
    group: 'Learning',
    cli: { flag: '--seed <s>', description: 'random seed' },
  },

  // ——— Agreement ———
  {
    key: 'relation',
    models: COGAN,
    kind: 'choice',
    choices: RELATION_CHOICES,
    label: 'Known relation',
    help: "How a picture of A looks in B pixel by pixel, when that is known (Diptych's sample domains): the run then measures how often its A/B pairs agree. Left on Automatic, Diptych's sample folders are recognised by themselves; other folders have none.",
    group: 'Agreement',
    cli: {
      flag: '--relation <relation>',
      description:
        'CoGAN: the known relation B = T(A) whose pixel agreement is measured (default: recognised for the sample domains, else none)',
    },
  },

  // ——— Not in the form nor on the command line: set by the presets (and the config file) ———
  {
    key: 'nLayersD',
    models: CYCLEGAN,
    kind: 'int',
    min: 1,
    max: 6,
    label: 'Discriminator layers',
    help: 'Layers of the n_layers PatchGAN discriminator (basic is the 70 px PatchGAN, 3 layers).',
    group: null,
    cli: null,
  },
  {
    key: 'nCritic',
    models: BOTH,
    kind: 'int',
    min: 1,
    max: 20,
    label: 'Critic steps',
    help: "Critic steps per generator step: WGAN-GP's n_critic (5 unless told), 1 for the other objectives.",
    group: null,
    cli: null,
  },
  {
    key: 'lambdaGp',
    models: BOTH,
    kind: 'number',
    min: 0,
    max: 1000,
    label: 'Gradient penalty weight',
    help: "The weight of WGAN-GP's gradient penalty.",
    group: null,
    cli: null,
  },
  {
    key: 'beta1',
    models: BOTH,
    kind: 'number',
    min: 0,
    max: 0.9999,
    label: 'Adam beta1',
    help: "Adam's momentum term: 0.5 in the papers.",
    group: null,
    cli: null,
  },
  {
    key: 'lrPolicy',
    models: CYCLEGAN,
    kind: 'choice',
    choices: { linear: 'Linear', step: 'Step', cosine: 'Cosine' },
    label: 'Learning-rate policy',
    help: 'How the learning rate falls: linearly over the slow-down epochs, ×0.1 every few epochs (step), or along a cosine over the whole run.',
    group: null,
    cli: null,
  },
  {
    key: 'lrDecayIters',
    models: CYCLEGAN,
    kind: 'int',
    min: 1,
    max: 100_000,
    label: 'Step decay epochs',
    help: "Epochs between the step policy's reductions of the learning rate (×0.1 each).",
    group: null,
    cli: null,
  },
  {
    key: 'preprocess',
    models: BOTH,
    kind: 'choice',
    choices: { resize_and_crop: 'Resize and crop', crop: 'Crop', scale_width: 'Scale width', none: 'None' },
    label: 'Preprocessing',
    help: 'How a picture becomes a training image: resized to the load size then cropped, only cropped, scaled by its width, or used as it is.',
    group: null,
    cli: null,
  },
  {
    key: 'previewSamples',
    models: BOTH,
    kind: 'int',
    min: 1,
    max: 16,
    label: 'Preview samples',
    help: 'Pictures (or codes) in each preview grid.',
    group: null,
    cli: null,
  },
  {
    key: 'checkpointEveryEpochs',
    models: BOTH,
    kind: 'int',
    min: 1,
    max: 100_000,
    label: 'Checkpoint every',
    unit: 'epochs',
    help: 'How often a numbered checkpoint is kept, to compare, convert with or go back to: every this many passes through your pictures (and always at the end or on stop).',
    group: 'How long',
    cli: { flag: '--checkpoint-every <epochs>', description: 'keep a numbered checkpoint every N epochs' },
  },
  {
    key: 'agreementSamples',
    models: COGAN,
    kind: 'int',
    min: 1,
    max: 4096,
    label: 'Agreement samples',
    help: 'Latent codes the agreement is measured over (fixed by the seed).',
    group: null,
    cli: null,
  },
  {
    key: 'agreementTolerance',
    models: COGAN,
    kind: 'number',
    min: 0,
    above: true,
    max: 1,
    label: 'Agreement tolerance',
    help: 'Two pixels agree when every channel differs by at most this, in [0, 1] units.',
    group: null,
    cli: null,
  },
] as const satisfies readonly OptionRow[];

export type TableRow = (typeof OPTION_ROWS)[number];
