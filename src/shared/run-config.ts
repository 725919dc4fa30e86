// The configuration of a training run: every option of the CycleGAN paper's reference code that
// Diptych exposes, and its default per preset. Each option's type, bounds and words live in the
// option table (src/shared/options/table.ts), from which the fields of the schemas below come;
// this file adds the rules between fields and the presets, which fill every field (each one stays
// overridable). The host validates a config here before any engine starts, and the run keeps the
// full config (config.json and the database).
import { z } from 'zod';
import { CUT_MODE_CHOICES, type CutMode, type GeneratorName } from './options/choices.ts';
import { InvalidOptionsError, toOptionIssue } from './options/issues.ts';
import { optionShape } from './options/schema.ts';

export {
  CUT_MODE_CHOICES,
  type CutMode,
  DOMAIN_RELATIONS,
  type DomainRelation,
  GENERATOR_NAMES,
  type GeneratorName,
} from './options/choices.ts';
export { InvalidOptionsError } from './options/issues.ts';

export const PRESET_NAMES = ['demo', 'tiny', 'quick', 'standard', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The side multiple a generator needs: ResNet downsamples twice, U-Net unet_N down to 1×1. */
export function generatorSizeMultiple(netG: GeneratorName | string): number {
  return netG.startsWith('unet_') ? unetSide(netG as `unet_${number}`) : 4;
}

/** The side a U-Net generator is built for: 2^downs, its input must be a multiple of it. */
export function unetSide(netG: `unet_${number}`): number {
  return Number(netG.slice('unet_'.length));
}

/** The crop a generator can take: a multiple of its size multiple (4 for the ResNets, N for unet_N). */
function requireGeneratorSide(config: { netG: GeneratorName; cropSize: number }, context: z.RefinementCtx): void {
  const needed = generatorSizeMultiple(config.netG);
  if (config.cropSize % needed === 0) return;
  context.addIssue({
    code: 'custom',
    path: ['cropSize'],
    message: config.netG.startsWith('unet')
      ? `${config.netG} needs images whose side is a multiple of ${needed} (cropSize ${config.cropSize})`
      : `the ResNet generator downsamples twice: cropSize must be a multiple of 4 (got ${config.cropSize})`,
  });
}

export const CycleGanConfig = z
  .object({
    model: z.literal('cyclegan'),
    preset: z.enum(PRESET_NAMES),
    dataA: z.string().min(1),
    dataB: z.string().min(1),
    ...optionShape('cyclegan'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.preprocess !== 'none' && config.preprocess !== 'crop' && config.loadSize < config.cropSize) {
      context.addIssue({
        code: 'custom',
        path: ['loadSize'],
        message: `loadSize (${config.loadSize}) must be at least cropSize (${config.cropSize})`,
      });
    }
    requireGeneratorSide(config, context);
    if (config.nEpochs + config.nEpochsDecay === 0 && config.maxSteps === null) {
      context.addIssue({
        code: 'custom',
        path: ['nEpochs'],
        message: 'train for at least one epoch, or give a number of steps',
      });
    }
  });
export type CycleGanConfig = z.infer<typeof CycleGanConfig>;

type Defaults = Omit<CycleGanConfig, 'dataA' | 'dataB' | 'preset'>;

const paperDefaults: Defaults = {
  model: 'cyclegan',
  netG: 'resnet_9blocks',
  netD: 'basic',
  nLayersD: 3,
  ngf: 64,
  ndf: 64,
  ganMode: 'lsgan',
  nCritic: 1,
  lambdaGp: 10,
  lambdaA: 10,
  lambdaB: 10,
  lambdaIdentity: 0.5,
  poolSize: 50,
  lr: 0.0002,
  beta1: 0.5,
  lrPolicy: 'linear',
  lrDecayIters: 50,
  nEpochs: 100,
  nEpochsDecay: 100,
  maxSteps: null,
  preprocess: 'resize_and_crop',
  loadSize: 286,
  cropSize: 256,
  flip: true,
  previewEvery: 100,
  previewSamples: 4,
  checkpointEveryEpochs: 5,
  seed: 0,
};

/** The presets: `paper` is the reference code's defaults; the others trade size for speed on a CPU. */
export const PRESETS: Record<PresetName, { summary: string; defaults: Defaults }> = {
  // Sized by measurement on a 2-core CPU (docs/TRAINING.md, "The demo preset"): the ResNet
  // generators of `tiny` and `quick` stay behind the untouched input for thousands of steps at
  // these sizes (blurry, colour lost), where the reference's U-Net, whose skip connections carry
  // the picture through, beats every trivial answer by 2 dB within 512 steps at lr 0.001.
  demo: {
    summary: '32 px U-Net (ngf 16): learns the sample folders in a few minutes on a laptop CPU',
    defaults: {
      ...paperDefaults,
      netG: 'unet_32',
      netD: 'n_layers',
      nLayersD: 2,
      ngf: 16,
      ndf: 16,
      lr: 0.001,
      loadSize: 36,
      cropSize: 32,
      // 768 steps on the demo's 64 images: what a loaded 2-core machine trains in the demo's four
      // minutes (~3 steps/s), so the rate's decay happens within them.
      nEpochs: 6,
      nEpochsDecay: 6,
      poolSize: 10,
      previewEvery: 50,
      checkpointEveryEpochs: 2,
    },
  },
  tiny: {
    summary: '32 px, tiny ResNet networks: the fastest steps, for trying options (used by the tests)',
    defaults: {
      ...paperDefaults,
      netG: 'resnet_6blocks',
      netD: 'n_layers',
      nLayersD: 2,
      ngf: 8,
      ndf: 8,
      loadSize: 36,
      cropSize: 32,
      nEpochs: 5,
      nEpochsDecay: 5,
      previewEvery: 25,
      checkpointEveryEpochs: 5,
      poolSize: 10,
    },
  },
  quick: {
    summary: '64 px, 6-block generator (ngf 32): a first look at a new pair of folders on a CPU',
    defaults: {
      ...paperDefaults,
      netG: 'resnet_6blocks',
      ngf: 32,
      loadSize: 72,
      cropSize: 64,
      nEpochs: 10,
      nEpochsDecay: 10,
      previewEvery: 20,
      checkpointEveryEpochs: 2,
    },
  },
  standard: {
    summary: '128 px, 9-block generator (ngf 64): good results with a GPU',
    defaults: { ...paperDefaults, loadSize: 143, cropSize: 128, nEpochs: 50, nEpochsDecay: 50 },
  },
  paper: {
    summary: "256 px, 9-block generator, 100 + 100 epochs: the paper's settings",
    defaults: paperDefaults,
  },
};

/** What a person can override on top of a preset (the CLI's flags, the UI's advanced options). */
export type ConfigOverrides = Partial<Omit<CycleGanConfig, 'model' | 'preset'>> &
  Pick<CycleGanConfig, 'dataA' | 'dataB'>;

/** Fills a preset, applies overrides, validates; throws InvalidOptionsError listing every problem. */
export function buildCycleGanConfig(preset: PresetName, overrides: ConfigOverrides): CycleGanConfig {
  const candidate = { ...PRESETS[preset].defaults, preset, ...stripUndefined(overrides) };
  if (candidate.ganMode === 'wgangp' && overrides.nCritic === undefined) candidate.nCritic = 5;
  const parsed = CycleGanConfig.safeParse(candidate);
  if (!parsed.success) throw new InvalidOptionsError(parsed.error.issues.map(toOptionIssue));
  return parsed.data;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ——— CoGAN (Liu & Tuzel 2016): coupled GANs that learn the joint distribution of two domains ———

export const COGAN_PRESET_NAMES = ['tiny', 'quick', 'standard'] as const;
export type CoGanPresetName = (typeof COGAN_PRESET_NAMES)[number];

/** The image sides the DCGAN-style coupled networks are built for. */
export const COGAN_IMAGE_SIZES = [32, 64, 128] as const;

/** Layers of a coupled generator or discriminator at this image side: 4 at 32 px, 5 at 64, 6 at 128. */
export function coganLayerCount(imageSize: number): number {
  return Math.round(Math.log2(imageSize)) - 1;
}

export const CoGanConfig = z
  .object({
    model: z.literal('cogan'),
    preset: z.enum(COGAN_PRESET_NAMES),
    dataA: z.string().min(1),
    dataB: z.string().min(1),
    ...optionShape('cogan'),
  })
  .strict()
  .superRefine((config, context) => {
    if (!(COGAN_IMAGE_SIZES as readonly number[]).includes(config.cropSize)) {
      context.addIssue({
        code: 'custom',
        path: ['cropSize'],
        message: `CoGAN's networks are built for 32, 64 or 128 px images (got cropSize ${config.cropSize})`,
      });
      return;
    }
    if (config.preprocess !== 'none' && config.preprocess !== 'crop' && config.loadSize < config.cropSize) {
      context.addIssue({
        code: 'custom',
        path: ['loadSize'],
        message: `loadSize (${config.loadSize}) must be at least cropSize (${config.cropSize})`,
      });
    }
    if (config.preprocess === 'scale_width' || config.preprocess === 'none') {
      context.addIssue({
        code: 'custom',
        path: ['preprocess'],
        message: `CoGAN trains on square batches: preprocess must be resize_and_crop or crop (got ${config.preprocess})`,
      });
    }
    const layers = coganLayerCount(config.cropSize);
    for (const key of ['sharedGeneratorLayers', 'sharedDiscriminatorLayers'] as const) {
      if (config[key] > layers - 1) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `at ${config.cropSize} px the networks have ${layers} layers and each domain keeps at least one of its own: ${key} is at most ${layers - 1} (got ${config[key]})`,
        });
      }
    }
    if (config.nEpochs === 0 && config.maxSteps === null) {
      context.addIssue({
        code: 'custom',
        path: ['nEpochs'],
        message: 'train for at least one epoch, or give a number of steps',
      });
    }
  });
export type CoGanConfig = z.infer<typeof CoGanConfig>;

type CoGanDefaults = Omit<CoGanConfig, 'dataA' | 'dataB' | 'preset'>;

/** 64 px defaults; the shared layer counts follow the image size in buildCoGanConfig. */
const coganDefaults: CoGanDefaults = {
  model: 'cogan',
  zDim: 100,
  ngf: 64,
  ndf: 64,
  sharedGeneratorLayers: coganLayerCount(64) - 1,
  sharedDiscriminatorLayers: coganLayerCount(64) - 1,
  ganMode: 'vanilla',
  nCritic: 1,
  lambdaGp: 10,
  lr: 0.0002,
  beta1: 0.5,
  weightDecay: 0,
  batchSize: 64,
  nEpochs: 25,
  maxSteps: null,
  preprocess: 'resize_and_crop',
  loadSize: 72,
  cropSize: 64,
  flip: true,
  previewEvery: 100,
  previewSamples: 8,
  checkpointEveryEpochs: 5,
  relation: 'none',
  agreementSamples: 64,
  agreementTolerance: 0.1,
  seed: 0,
};

/** CoGAN's presets: DCGAN-sized networks at 32, 64 and 128 px. */
export const COGAN_PRESETS: Record<CoGanPresetName, { summary: string; defaults: CoGanDefaults }> = {
  tiny: {
    summary:
      '32 px, narrow networks (ngf/ndf 8), batches of 16, LSGAN: couples the sample domains in about 150 steps, under a minute on a CPU (the demo, the tests)',
    defaults: {
      ...coganDefaults,
      // The reference CoGAN's objective (PyTorch-GAN cogan.py: MSELoss). Measured on the demo's
      // `negative` samples (docs/TRAINING.md), five seeds: κ 0.61–0.81 at step 144, where the
      // non-saturating loss had peaked earlier and lower and was at 0.12–0.64.
      ganMode: 'lsgan',
      ngf: 8,
      ndf: 8,
      batchSize: 16,
      loadSize: 36,
      cropSize: 32,
      sharedGeneratorLayers: coganLayerCount(32) - 1,
      sharedDiscriminatorLayers: coganLayerCount(32) - 1,
      nEpochs: 20,
      previewEvery: 25,
      checkpointEveryEpochs: 5,
    },
  },
  quick: {
    summary: '64 px, DCGAN widths (ngf/ndf 64), batches of 64: a first look at a new pair of folders',
    defaults: coganDefaults,
  },
  standard: {
    summary: "128 px, the paper's face-model width (ngf/ndf 64, 1024 channels at 4×4), batches of 64: use a GPU",
    defaults: {
      ...coganDefaults,
      loadSize: 143,
      cropSize: 128,
      sharedGeneratorLayers: coganLayerCount(128) - 1,
      sharedDiscriminatorLayers: coganLayerCount(128) - 1,
      nEpochs: 50,
      previewEvery: 200,
    },
  },
};

export type CoGanOverrides = Partial<Omit<CoGanConfig, 'model' | 'preset'>> & Pick<CoGanConfig, 'dataA' | 'dataB'>;

/**
 * Fills a CoGAN preset, applies overrides, validates. Shared layer counts not given follow the
 * image size (the paper's choice: all generator layers but the last, all discriminator layers but
 * the first), so `--crop-size 64` on the tiny preset stays the paper's coupling.
 */
export function buildCoGanConfig(preset: CoGanPresetName, overrides: CoGanOverrides): CoGanConfig {
  if (!(COGAN_PRESET_NAMES as readonly string[]).includes(preset))
    throw new InvalidOptionsError([
      { path: 'preset', message: `CoGAN's presets are ${COGAN_PRESET_NAMES.join(', ')} (got ${preset})` },
    ]);
  const given = stripUndefined(overrides);
  const candidate = { ...COGAN_PRESETS[preset].defaults, preset, ...given };
  const layers = coganLayerCount(candidate.cropSize);
  if (given.sharedGeneratorLayers === undefined && layers >= 1) candidate.sharedGeneratorLayers = layers - 1;
  if (given.sharedDiscriminatorLayers === undefined && layers >= 1) candidate.sharedDiscriminatorLayers = layers - 1;
  if (candidate.ganMode === 'wgangp' && given.nCritic === undefined) candidate.nCritic = 5;
  const parsed = CoGanConfig.safeParse(candidate);
  if (!parsed.success) throw new InvalidOptionsError(parsed.error.issues.map(toOptionIssue));
  return parsed.data;
}

// ——— CUT / FastCUT (Park et al. 2020): one generator, one discriminator and a patchwise contrastive loss ———

/** CUT's presets: the demo's, CycleGAN's sizes (tiny/quick/standard), and the reference's settings (paper). */
export const CUT_PRESET_NAMES = ['demo', 'tiny', 'quick', 'standard', 'paper'] as const;
export type CutPresetName = (typeof CUT_PRESET_NAMES)[number];

export const CutConfig = z
  .object({
    model: z.literal('cut'),
    preset: z.enum(CUT_PRESET_NAMES),
    dataA: z.string().min(1),
    dataB: z.string().min(1),
    ...optionShape('cut'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.preprocess !== 'none' && config.preprocess !== 'crop' && config.loadSize < config.cropSize) {
      context.addIssue({
        code: 'custom',
        path: ['loadSize'],
        message: `loadSize (${config.loadSize}) must be at least cropSize (${config.cropSize})`,
      });
    }
    requireGeneratorSide(config, context);
    if (config.nEpochs + config.nEpochsDecay === 0 && config.maxSteps === null) {
      context.addIssue({
        code: 'custom',
        path: ['nEpochs'],
        message: 'train for at least one epoch, or give a number of steps',
      });
    }
  });
export type CutConfig = z.infer<typeof CutConfig>;

type CutDefaults = Omit<CutConfig, 'dataA' | 'dataB' | 'preset'>;

/**
 * What the mode decides, as the reference's CUT_mode sets its defaults (models/cut_model.py): CUT is
 * λ_NCE 1 with the identity term NCE(real_B, G(real_B)); FastCUT is λ_NCE 10, no identity term, flip
 * equivariance, and 150 + 50 epochs instead of the 200 + 200 of train_options.py. Each stays overridable.
 */
const MODE_DEFAULTS: Record<CutMode, Pick<CutDefaults, 'lambdaNce' | 'nceIdt' | 'flipEquivariance'>> = {
  cut: { lambdaNce: 1, nceIdt: true, flipEquivariance: false },
  fastcut: { lambdaNce: 10, nceIdt: false, flipEquivariance: true },
};

/** The reference's defaults (options/base_options.py, train_options.py, models/cut_model.py), CUT mode. */
const cutPaperDefaults: CutDefaults = {
  model: 'cut',
  mode: 'cut',
  netG: 'resnet_9blocks',
  netD: 'basic',
  nLayersD: 3,
  ngf: 64,
  ndf: 64,
  lambdaGan: 1,
  ...MODE_DEFAULTS.cut,
  identityPreservation: 0,
  numPatches: 256,
  nceT: 0.07,
  poolSize: 0,
  lr: 0.0002,
  beta1: 0.5,
  lrPolicy: 'linear',
  lrDecayIters: 50,
  nEpochs: 200,
  nEpochsDecay: 200,
  maxSteps: null,
  preprocess: 'resize_and_crop',
  loadSize: 286,
  cropSize: 256,
  flip: true,
  previewEvery: 100,
  previewSamples: 4,
  checkpointEveryEpochs: 5,
  seed: 0,
};

/**
 * The authors' identity-preservation weight (their SinCUT's lambda_identity, 1) on the CPU-sized
 * presets: PatchNCE is blind to colour, and in the few hundred steps a CPU affords the discriminator
 * alone lets colours drift (on the stripes samples the paper's CUT fell behind the untouched input
 * or level with it; with the term every seed beat every trivial answer by 1.1–1.7 dB; on
 * tiny's ResNet it is 3 dB closer to the truth: docs/TRAINING.md). standard and paper keep the paper's CUT (0).
 */
const CPU_PRESET_IDENTITY_PRESERVATION = 1;

/** CycleGAN's preset of the same name, its networks and sizes, as a CUT preset (no pool; ResNet generators on all three). */
function likeCycleGan(name: 'tiny' | 'quick' | 'standard'): CutDefaults {
  const c = PRESETS[name].defaults;
  return {
    ...cutPaperDefaults,
    identityPreservation: name === 'standard' ? 0 : CPU_PRESET_IDENTITY_PRESERVATION,
    netG: c.netG,
    netD: c.netD,
    nLayersD: c.nLayersD,
    ngf: c.ngf,
    ndf: c.ndf,
    loadSize: c.loadSize,
    cropSize: c.cropSize,
    nEpochs: c.nEpochs,
    nEpochsDecay: c.nEpochsDecay,
    previewEvery: c.previewEvery,
    checkpointEveryEpochs: c.checkpointEveryEpochs,
  };
}

/**
 * CUT's presets, CUT mode. tiny/quick/standard are CycleGAN's presets of the same name (networks,
 * sizes and epochs: they are sized for a machine's time, not for a model); paper is the reference's
 * 256 px, 200 + 200 epochs. FastCUT's schedule comes from buildCutConfig (fastcutEpochs).
 */
export const CUT_PRESETS: Record<CutPresetName, { summary: string; defaults: CutDefaults }> = {
  // CycleGAN's demo networks (its U-Net: the ResNets stay behind the untouched input at 32 px for
  // thousands of steps), no pool (CUT has none), the rate doubled and the schedule cut to 4 + 4
  // epochs (512 steps on the demo's 64 images), and the colours kept: measured on the stripes
  // samples, +1.1 to +1.7 dB over every trivial answer on every seed tried, where the paper's
  // objective alone ended level with the input (docs/TRAINING.md, CUT's proof of learning).
  demo: {
    summary: '32 px U-Net (ngf 16), keeps colours: learns the sample folders in about two minutes on a laptop CPU',
    defaults: {
      ...cutPaperDefaults,
      identityPreservation: CPU_PRESET_IDENTITY_PRESERVATION,
      netG: 'unet_32',
      netD: 'n_layers',
      nLayersD: 2,
      ngf: 16,
      ndf: 16,
      lr: 0.002,
      loadSize: 36,
      cropSize: 32,
      nEpochs: 4,
      nEpochsDecay: 4,
      previewEvery: 64,
      checkpointEveryEpochs: 1,
    },
  },
  tiny: {
    summary:
      '32 px, tiny ResNet networks: the fastest steps, for trying options (used by the tests); keeps colours (identity weight 1)',
    defaults: likeCycleGan('tiny'),
  },
  quick: {
    summary:
      '64 px, 6-block generator (ngf 32): a first look at a new pair of folders on a CPU; keeps colours (identity weight 1)',
    defaults: likeCycleGan('quick'),
  },
  standard: {
    summary: '128 px, 9-block generator (ngf 64): good results with a GPU',
    defaults: likeCycleGan('standard'),
  },
  paper: {
    summary: "256 px, 9-block generator, the paper's settings: CUT 200 + 200 epochs, FastCUT 150 + 50",
    defaults: cutPaperDefaults,
  },
};

/**
 * FastCUT's epochs on a preset: the reference's 150 + 50 on paper; on the smaller presets CycleGAN's
 * total (FastCUT's 200 is CycleGAN's 200) split as FastCUT splits it, three quarters at the full rate.
 */
export function fastcutEpochs(preset: CutPresetName): { nEpochs: number; nEpochsDecay: number } {
  if (preset === 'paper') return { nEpochs: 150, nEpochsDecay: 50 };
  const { nEpochs, nEpochsDecay } = CUT_PRESETS[preset].defaults;
  const total = nEpochs + nEpochsDecay;
  const full = Math.round((total * 3) / 4);
  return { nEpochs: full, nEpochsDecay: total - full };
}

export type CutOverrides = Partial<Omit<CutConfig, 'model' | 'preset'>> & Pick<CutConfig, 'dataA' | 'dataB'>;

/**
 * Fills a CUT preset, applies overrides, validates. The mode (CUT unless told) sets λ_NCE, the
 * identity term, flip equivariance and, for FastCUT, the epochs, as the reference's CUT_mode does;
 * an override of any of them wins.
 */
export function buildCutConfig(preset: CutPresetName, overrides: CutOverrides): CutConfig {
  if (!(CUT_PRESET_NAMES as readonly string[]).includes(preset))
    throw new InvalidOptionsError([
      { path: 'preset', message: `CUT's presets are ${CUT_PRESET_NAMES.join(', ')} (got ${preset})` },
    ]);
  const given = stripUndefined(overrides);
  const mode = given.mode ?? 'cut';
  const modeDefaults = (CUT_MODE_CHOICES as Record<string, string>)[mode]
    ? {
        ...MODE_DEFAULTS[mode],
        // FastCUT stays the light variant: no pass of G over B unless asked for.
        ...(mode === 'fastcut' ? { ...fastcutEpochs(preset), identityPreservation: 0 } : {}),
      }
    : {};
  const candidate = { ...CUT_PRESETS[preset].defaults, ...modeDefaults, preset, ...given };
  const parsed = CutConfig.safeParse(candidate);
  if (!parsed.success) throw new InvalidOptionsError(parsed.error.issues.map(toOptionIssue));
  return parsed.data;
}

/** Any run's config: the model field says which. */
export const RunConfig = z.discriminatedUnion('model', [CycleGanConfig, CoGanConfig, CutConfig]);
export type RunConfig = CycleGanConfig | CoGanConfig | CutConfig;
export type ModelKind = RunConfig['model'];

export type RunOverrides = Record<string, unknown> & { dataA: string; dataB: string };

/** Presets of one model, for the presets list of a UI. */
export function presetsOf(model: ModelKind): { name: string; summary: string; defaults: Record<string, unknown> }[] {
  if (model === 'cogan') return COGAN_PRESET_NAMES.map((name) => ({ name, ...COGAN_PRESETS[name] }));
  if (model === 'cut') return CUT_PRESET_NAMES.map((name) => ({ name, ...CUT_PRESETS[name] }));
  return PRESET_NAMES.map((name) => ({ name, ...PRESETS[name] }));
}

/**
 * Builds the config of either model from a preset and overrides (the CLI's flags, the UI's
 * options); options that belong to the other model are reported, not ignored.
 */
export function buildRunConfig(model: ModelKind, preset: string, overrides: RunOverrides): RunConfig {
  if (model === 'cogan') return buildCoGanConfig(preset as CoGanPresetName, overrides as CoGanOverrides);
  if (model === 'cut') return buildCutConfig(preset as CutPresetName, overrides as CutOverrides);
  if (!(PRESET_NAMES as readonly string[]).includes(preset))
    throw new InvalidOptionsError([
      { path: 'preset', message: `CycleGAN's presets are ${PRESET_NAMES.join(', ')} (got ${preset})` },
    ]);
  return buildCycleGanConfig(preset as PresetName, overrides as ConfigOverrides);
}
