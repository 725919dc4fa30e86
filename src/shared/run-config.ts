// The configuration of a training run: every option of the CycleGAN paper's reference code that
// Diptych exposes, its default, and a sentence a person can read in a tooltip. Presets fill the
// fields; every field stays overridable. The host validates a config here before any engine
// starts, and the run keeps the full config (config.json and the database).
import { z } from 'zod';

export const PRESET_NAMES = ['tiny', 'quick', 'standard', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const CycleGanConfig = z
  .object({
    model: z.literal('cyclegan'),
    preset: z.enum(PRESET_NAMES),
    dataA: z.string().min(1),
    dataB: z.string().min(1),
    netG: z.enum(['resnet_9blocks', 'resnet_6blocks', 'unet_128', 'unet_256']),
    netD: z.enum(['basic', 'n_layers', 'pixel']),
    nLayersD: positiveInt(6),
    ngf: positiveInt(256),
    ndf: positiveInt(256),
    ganMode: z.enum(['lsgan', 'vanilla', 'wgangp', 'bgan']),
    /** Critic steps per generator step (WGAN-GP's n_critic); 1 for the other objectives. */
    nCritic: positiveInt(20),
    lambdaGp: z.number().min(0).max(1000),
    lambdaA: z.number().min(0).max(1000),
    lambdaB: z.number().min(0).max(1000),
    lambdaIdentity: z.number().min(0).max(10),
    poolSize: z.number().int().min(0).max(1000),
    lr: z.number().positive().max(1),
    beta1: z.number().min(0).max(0.9999),
    lrPolicy: z.enum(['linear', 'step', 'cosine']),
    lrDecayIters: positiveInt(100_000),
    nEpochs: z.number().int().min(0).max(100_000),
    nEpochsDecay: z.number().int().min(0).max(100_000),
    /** Stop after this many steps whatever the epochs say (--steps); null trains all epochs. */
    maxSteps: z.number().int().min(1).max(100_000_000).nullable(),
    preprocess: z.enum(['resize_and_crop', 'crop', 'scale_width', 'none']),
    loadSize: positiveInt(4096),
    cropSize: positiveInt(4096),
    flip: z.boolean(),
    previewEvery: positiveInt(1_000_000),
    previewSamples: positiveInt(16),
    checkpointEveryEpochs: positiveInt(100_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
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
    if (config.netG.startsWith('unet')) {
      const needed = config.netG === 'unet_256' ? 256 : 128;
      if (config.cropSize % needed !== 0) {
        context.addIssue({
          code: 'custom',
          path: ['cropSize'],
          message: `${config.netG} needs images whose side is a multiple of ${needed} (cropSize ${config.cropSize})`,
        });
      }
    } else if (config.cropSize % 4 !== 0) {
      context.addIssue({
        code: 'custom',
        path: ['cropSize'],
        message: `the ResNet generator downsamples twice: cropSize must be a multiple of 4 (got ${config.cropSize})`,
      });
    }
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
  tiny: {
    summary: '32 px, tiny networks: learns a simple colour mapping in about a minute on a CPU (used by the tests)',
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

/** Fills a preset, applies overrides, validates; throws a readable message listing every problem. */
export function buildCycleGanConfig(preset: PresetName, overrides: ConfigOverrides): CycleGanConfig {
  const candidate = { ...PRESETS[preset].defaults, preset, ...stripUndefined(overrides) };
  if (candidate.ganMode === 'wgangp' && overrides.nCritic === undefined) candidate.nCritic = 5;
  const parsed = CycleGanConfig.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(
      `Invalid training options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
