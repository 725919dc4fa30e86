// The new-run form's knowledge: every option a run may override on its preset, in the words a
// person reads next to it, and how a typed value becomes an override (or a plain-words error).

import type { DatasetPreview, RequestOf } from '../../shared/contract.ts';
import { isAutomaticDefault } from './relation-default.ts';

export type Overrides = NonNullable<RequestOf<'training:start'>['overrides']>;
export type OptionKey = keyof Overrides;

export interface DatasetChoice {
  path: string | null;
  preview: DatasetPreview | null;
  loading: boolean;
  error: string | null;
}

interface Base {
  key: OptionKey;
  label: string;
  help: string;
}
export type OptionField =
  | (Base & { kind: 'int' | 'number'; min: number; max: number; unit?: string })
  | (Base & { kind: 'steps' })
  | (Base & { kind: 'choice'; choices: { value: string; label: string }[] })
  | (Base & { kind: 'yes-no' });

// One constructor per kind of field, so each option below is one line of facts and its help.
const whole = (
  key: OptionKey,
  label: string,
  [min, max, unit]: [number, number, string?],
  help: string,
): OptionField => ({ key, label, help, kind: 'int', min, max, ...(unit ? { unit } : {}) });
const decimal = (key: OptionKey, label: string, [min, max]: [number, number], help: string): OptionField => ({
  key,
  label,
  help,
  kind: 'number',
  min,
  max,
});
const choice = (key: OptionKey, label: string, choices: [string, string][], help: string): OptionField => ({
  key,
  label,
  help,
  kind: 'choice',
  choices: choices.map(([value, label]) => ({ value, label })),
});
const yesNo = (key: OptionKey, label: string, help: string): OptionField => ({ key, label, help, kind: 'yes-no' });
const steps = (key: OptionKey, label: string, help: string): OptionField => ({ key, label, help, kind: 'steps' });

export const OPTION_GROUPS: { title: string; fields: OptionField[] }[] = [
  {
    title: 'Images',
    fields: [
      whole(
        'cropSize',
        'Crop size',
        [8, 4096, 'px'],
        'The side of the square pieces the model learns from: bigger sees more detail but trains much slower (a multiple of 4).',
      ),
      whole(
        'loadSize',
        'Load size',
        [8, 4096, 'px'],
        'Pictures are scaled to this size first and a random square of the crop size is cut from them, so the model sees varied framings.',
      ),
      yesNo(
        'flip',
        'Mirror images',
        'Also learn from mirrored copies of your pictures: more variety for free, unless left and right matter in them.',
      ),
    ],
  },
  {
    title: 'How long',
    fields: [
      whole(
        'nEpochs',
        'Epochs',
        [0, 100_000],
        'How many times training goes through all your pictures at full learning speed.',
      ),
      whole(
        'nEpochsDecay',
        'Slow-down epochs',
        [0, 100_000],
        'How many more passes while the learning speed fades to zero, which lets the result settle.',
      ),
      steps(
        'maxSteps',
        'Max steps',
        'Stop after this many training steps, whatever the epochs say; leave it empty to train every epoch.',
      ),
      whole(
        'previewEvery',
        'Preview every',
        [1, 1_000_000, 'steps'],
        'How often to save a preview grid, so you can watch the pictures change while it learns.',
      ),
    ],
  },
  {
    title: 'Networks',
    fields: [
      choice(
        'netG',
        'Generator',
        [
          ['resnet_9blocks', 'ResNet 9 blocks'],
          ['resnet_6blocks', 'ResNet 6 blocks'],
          ['unet_32', 'U-Net 32'],
          ['unet_64', 'U-Net 64'],
          ['unet_128', 'U-Net 128'],
          ['unet_256', 'U-Net 256'],
        ],
        'The network that paints the translated picture: ResNet keeps the layout and changes the look; U-Net passes more fine detail straight through (U-Net N needs pictures whose side is a multiple of N).',
      ),
      choice(
        'netD',
        'Discriminator',
        [
          ['basic', 'PatchGAN 70 px'],
          ['n_layers', 'PatchGAN n layers'],
          ['pixel', 'Per pixel'],
        ],
        'The critic that judges whether a picture looks real: PatchGAN judges small patches, per pixel judges colours only.',
      ),
      whole(
        'ngf',
        'Generator width',
        [1, 256],
        'How many feature channels the painting networks have: more can learn richer changes, but is slower and bigger.',
      ),
      whole(
        'ndf',
        'Discriminator width',
        [1, 256],
        'How many feature channels the critics have: a stronger critic pushes for more convincing pictures.',
      ),
    ],
  },
  {
    title: 'Learning',
    fields: [
      choice(
        'ganMode',
        'GAN objective',
        [
          ['lsgan', 'LSGAN'],
          ['vanilla', 'Vanilla GAN'],
          ['wgangp', 'WGAN-GP'],
          ['bgan', 'Boundary-seeking'],
        ],
        "How the critic scores pictures: least squares is the paper's steady choice; the others can help when training misbehaves.",
      ),
      decimal(
        'lambdaA',
        'Cycle weight A',
        [0, 1000],
        'How strongly A → B → A must come back to the original picture: higher keeps more of what was in it. The cycle_A curve is shown multiplied by it.',
      ),
      decimal('lambdaB', 'Cycle weight B', [0, 1000], 'The same for B → A → B.'),
      decimal(
        'lambdaIdentity',
        'Identity weight',
        [0, 10],
        'How much a picture already in the target style should be left alone, as a fraction of the cycle weight: helps keep colours; 0 turns it off.',
      ),
      whole(
        'poolSize',
        'Fake pool',
        [0, 1000],
        'How many earlier fakes the critic keeps seeing again, which calms training; 0 shows it only the newest.',
      ),
      decimal(
        'lr',
        'Learning rate',
        [1e-8, 1],
        'How big each adjustment is: too high and training wobbles, too low and it crawls.',
      ),
      whole(
        'seed',
        'Seed',
        [0, 2 ** 32 - 1],
        'The starting number for all the randomness: the same seed and settings give the same run again.',
      ),
    ],
  },
];

export const OPTION_FIELDS: OptionField[] = OPTION_GROUPS.flatMap((group) => group.fields);

/** CoGAN's options (src/shared/run-config.ts CoGanConfig), in the same words. */
export const COGAN_OPTION_GROUPS: { title: string; fields: OptionField[] }[] = [
  {
    title: 'Images',
    fields: [
      whole(
        'cropSize',
        'Image size',
        [32, 128, 'px'],
        'The side of the square pictures the networks draw and judge: 32, 64 or 128. Bigger shows more detail but trains much slower.',
      ),
      whole(
        'loadSize',
        'Load size',
        [8, 4096, 'px'],
        'Pictures are scaled to this size first and a random square of the image size is cut from them, so the model sees varied framings.',
      ),
      yesNo('flip', 'Mirror images', 'Also learn from mirrored copies of your pictures: more variety for free.'),
    ],
  },
  {
    title: 'How long',
    fields: [
      whole('nEpochs', 'Epochs', [0, 100_000], 'How many times training goes through all your pictures.'),
      steps(
        'maxSteps',
        'Max steps',
        'Stop after this many training steps, whatever the epochs say; leave it empty to train every epoch.',
      ),
      whole(
        'batchSize',
        'Batch size',
        [1, 256],
        'Pictures of each domain (and random codes) per step: bigger batches are steadier but slower per step.',
      ),
      whole(
        'previewEvery',
        'Preview every',
        [1, 1_000_000, 'steps'],
        'How often to draw the fixed codes as A/B pairs, so you can watch the pairs take shape.',
      ),
    ],
  },
  {
    title: 'Networks',
    fields: [
      whole(
        'zDim',
        'Code size',
        [1, 1024],
        'Dimensions of the random code z both generators draw from: 100 in the paper.',
      ),
      whole(
        'ngf',
        'Generator width',
        [1, 256],
        'How many feature channels the generators have: more can draw richer pictures, but is slower.',
      ),
      whole(
        'ndf',
        'Discriminator width',
        [1, 256],
        'How many feature channels the critics have: a stronger critic pushes for more convincing pictures.',
      ),
      whole(
        'sharedGeneratorLayers',
        'Shared generator layers',
        [0, 5],
        "How many of the generators' first layers are one set of weights: these decide what a code means in both domains. The paper shares all but the last (the default follows the image size).",
      ),
      whole(
        'sharedDiscriminatorLayers',
        'Shared critic layers',
        [0, 5],
        "How many of the critics' last layers are one set of weights. The paper shares all but the first.",
      ),
    ],
  },
  {
    title: 'Learning',
    fields: [
      choice(
        'ganMode',
        'GAN objective',
        [
          ['vanilla', 'Vanilla GAN'],
          ['lsgan', 'LSGAN'],
          ['wgangp', 'WGAN-GP'],
          ['bgan', 'Boundary-seeking'],
        ],
        "How the critics score pictures: the paper's non-saturating GAN; the others can help when training misbehaves.",
      ),
      decimal('lr', 'Learning rate', [1e-8, 1], 'How big each adjustment is: 0.0002 in the paper.'),
      decimal(
        'weightDecay',
        'Weight decay',
        [0, 1],
        'Pulls every weight slightly towards zero at each step (L2), which can calm training; 0 turns it off.',
      ),
      whole(
        'seed',
        'Seed',
        [0, 2 ** 32 - 1],
        'The starting number for all the randomness: the same seed and settings give the same run again.',
      ),
    ],
  },
  {
    title: 'Agreement',
    fields: [
      choice(
        'relation',
        'Known relation',
        [
          ['none', 'None'],
          ['negative', 'Negative (B = 1 − A)'],
          ['palette', 'Palette rotation'],
        ],
        "How a picture of A looks in B pixel by pixel, when that is known (Diptych's sample domains): the run then measures how often its A/B pairs agree. Left on Automatic, Diptych's sample folders are recognised by themselves; other folders have none.",
      ),
    ],
  },
];

/** The option groups of a model. */
export function optionGroupsFor(model: 'cyclegan' | 'cogan'): { title: string; fields: OptionField[] }[] {
  return model === 'cogan' ? COGAN_OPTION_GROUPS : OPTION_GROUPS;
}

/** Every field of either model, each key once (the values and host errors are kept by key). */
const ALL_FIELDS: OptionField[] = [...OPTION_FIELDS, ...COGAN_OPTION_GROUPS.flatMap((group) => group.fields)].filter(
  (field, i, all) => all.findIndex((f) => f.key === field.key) === i,
);

export type OptionValues = Record<OptionKey, string>;

/** Every field empty: the preset decides everything. */
export function emptyOptionValues(): OptionValues {
  return Object.fromEntries(ALL_FIELDS.map((field) => [field.key, ''])) as OptionValues;
}

/** What the form shows for a preset's default (or one the host decides: AutomaticDefault). */
export function describeDefault(field: OptionField, value: unknown): string {
  if (isAutomaticDefault(value)) return `Automatic (${value.automatic})`;
  if (field.kind === 'steps') return value === null || value === undefined ? 'every epoch' : String(value);
  if (field.kind === 'yes-no') return value ? 'yes' : 'no';
  if (field.kind === 'choice') return field.choices.find((c) => c.value === value)?.label ?? String(value ?? '');
  return value === undefined ? '' : String(value);
}

/**
 * Turns the typed values (empty = the preset's default) into overrides, or says what is wrong
 * with each field in words. Rules between fields (load ≥ crop, multiples of 4) are the host's.
 */
export function parseOverrides(
  values: OptionValues,
  fields: OptionField[] = OPTION_FIELDS,
): {
  overrides: Overrides;
  errors: Partial<Record<OptionKey, string>>;
} {
  const overrides: Record<string, unknown> = {};
  const errors: Partial<Record<OptionKey, string>> = {};
  // Only the shown model's fields: a value typed for the other model is not sent.
  for (const field of fields) {
    const raw = (values[field.key] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'choice') overrides[field.key] = raw;
    else if (field.kind === 'yes-no') overrides[field.key] = raw === 'yes';
    else {
      const value = Number(raw);
      const whole = field.kind !== 'number';
      const [min, max] = field.kind === 'steps' ? [1, 100_000_000] : [field.min, field.max];
      if (!Number.isFinite(value)) errors[field.key] = 'Type a number.';
      else if (whole && !Number.isInteger(value)) errors[field.key] = 'Type a whole number.';
      else if (value < min || value > max)
        errors[field.key] =
          field.key === 'lr'
            ? 'Use a value above 0 and at most 1.'
            : `Use a value from ${min} to ${max.toLocaleString()}.`;
      else overrides[field.key] = value;
    }
  }
  return { overrides: overrides as Overrides, errors };
}

/**
 * The host answers a bad combination with "Invalid training options: loadSize: …; cropSize: …".
 * Each part goes next to its field; the rest stays a general message.
 */
export function splitHostErrors(message: string): { fields: Partial<Record<OptionKey, string>>; rest: string | null } {
  const prefix = 'Invalid training options: ';
  if (!message.startsWith(prefix)) return { fields: {}, rest: message };
  const fields: Partial<Record<OptionKey, string>> = {};
  const rest: string[] = [];
  for (const part of message.slice(prefix.length).split('; ')) {
    const match = /^(\w+): (.*)$/.exec(part);
    const field = match && ALL_FIELDS.find((f) => f.key === match[1]);
    if (match && field) fields[field.key] = sentence(match[2] ?? '');
    else rest.push(part);
  }
  return { fields, rest: rest.length > 0 ? rest.join('; ') : null };
}

/** "loadSize (18) must be at least cropSize (32)" → "Load size (18) must be at least crop size (32)." */
function sentence(text: string): string {
  let trimmed = text.trim();
  for (const field of ALL_FIELDS) trimmed = trimmed.replaceAll(field.key, field.label.toLowerCase());
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}` : trimmed;
}
