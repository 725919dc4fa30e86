// What comparing checkpoints produces and how a host hands the work to an engine: the scores of
// one checkpoint on one image set (the unit that is cached), the whole comparison's result, and the
// job message. Shared by the host, the engine and the UI; the schemas validate cached files too.
import { z } from 'zod';
import { type BackendName, Direction } from './basics.ts';
import { ModelName } from './models.ts';

/** PSNR of identical images is infinite; it is reported as this many dB so every number stays finite (JSON). */
export const PSNR_CAP_DB = 100;

export const ImageScores = z.object({
  /** Mean absolute error per pixel and channel, images in [0, 1] (lower is better). */
  l1: z.number(),
  /** Peak signal-to-noise ratio in dB for a peak of 1, at most PSNR_CAP_DB (higher is better). */
  psnr: z.number(),
  /** Structural similarity, 11×11 Gaussian window σ 1.5, mean over positions and channels (1 is identical). */
  ssim: z.number(),
});
export type ImageScores = z.infer<typeof ImageScores>;

/**
 * One direction of one checkpoint: AtoB is scored on the A images (and its identity on the B images).
 * A one-way model (CUT, src/shared/models.ts) has no way back: its `cycle` is null, per image too,
 * and it has no reconstruction tiles.
 */
export const DirectionScores = z.object({
  direction: Direction,
  /** Means over the images; null where the model does not translate the other way (no round trip). */
  cycle: ImageScores.nullable(),
  /** Mean L1 between G(x) and x for images x already in the target domain (the identity loss); null where the model has no such pass (CoGAN). */
  identityL1: z.number().nullable(),
  /** Translation against the known ground truth; null where none is known. */
  truth: ImageScores.nullable(),
  perImage: z.array(z.object({ cycle: ImageScores.nullable(), truth: ImageScores.nullable() })),
  identityPerImage: z.array(z.number()),
  /** Tiles, one per input image in order: the translation and the reconstruction (PNG; none without a round trip). */
  translated: z.array(z.string()),
  reconstructed: z.array(z.string()),
});
export type DirectionScores = z.infer<typeof DirectionScores>;

/** A CoGAN's pixel agreement (src/training/cogan/agreement.ts): κ 0 uncoupled, 1 perfectly coupled. */
export const AgreementScores = z.object({ agreement: z.number(), chance: z.number(), kappa: z.number() });

export const CheckpointScores = z.object({
  model: ModelName,
  step: z.number().int(),
  /** Side of the square images it was compared at. */
  size: z.number().int(),
  /** Every model translates A → B. */
  AtoB: DirectionScores,
  /** Null for a one-way model (CUT): it has no B → A generator (MODELS[model].directions). */
  BtoA: DirectionScores.nullable(),
  agreement: AgreementScores.nullable(),
  /** Seconds the engine spent on this checkpoint. */
  seconds: z.number(),
  /** What ran its forward passes, in words ("ONNX Runtime 1.30.0, CPU, 2 threads"); absent in results cached before it was recorded. */
  engine: z.string().optional(),
});
export type CheckpointScores = z.infer<typeof CheckpointScores>;

/**
 * The trivial answers' scores against the ground truth (src/shared/truth.ts names and labels them:
 * the input itself, the target domain's mean colour, a global colour transfer), means over the
 * images. Spelled out here rather than built from BASELINE_NAMES: truth.ts imports this file.
 */
export const BaselineScores = z.object({ input: ImageScores, targetMean: ImageScores, colourTransfer: ImageScores });
export type BaselineScores = z.infer<typeof BaselineScores>;

/**
 * The baselines of an image set, per direction whose ground truth is known (null otherwise): A→B
 * answers the A images from B's statistics, B→A the B images from A's. They depend on the images
 * only, so they are computed once per image set, not per checkpoint.
 */
export const CompareBaselines = z.object({ AtoB: BaselineScores.nullable(), BtoA: BaselineScores.nullable() });
export type CompareBaselines = z.infer<typeof CompareBaselines>;

/** A per-pixel relation between the domains that gives the ground truth of any image (the sample domains). */
export const KnownRelation = z.enum(['negative', 'palette']);
export type KnownRelation = z.infer<typeof KnownRelation>;

/** Where the ground truth of a direction comes from: files in the input order, or a known relation. */
export type TruthSource = { kind: 'files'; files: string[] } | { kind: 'relation'; relation: KnownRelation };

/** A comparison as the host hands it to an engine: only checkpoints missing from the cache. */
export interface CompareJob {
  jobId: string;
  /** Images are resized to size × size (a multiple of every checkpoint's size multiple). */
  size: number;
  images: { A: string[]; B: string[] };
  truth: { AtoB: TruthSource | null; BtoA: TruthSource | null };
  /** Where the input (and ground-truth) tiles go: A/<i>.png, A/<i>-truth.png, B/… */
  inputsDir: string;
  checkpoints: { key: string; dir: string; outDir: string }[];
  backend?: BackendName | undefined;
}

/** What a compare engine reports (besides ready / log / fatal). */
export type CompareEngineEvent =
  | { type: 'compare-progress'; jobId: string; key: string; done: number; total: number }
  | { type: 'compare-baselines'; jobId: string; baselines: CompareBaselines }
  | { type: 'compare-checkpoint'; jobId: string; key: string; scores: CheckpointScores }
  | { type: 'compare-finished'; jobId: string };

/** One compared checkpoint in a result. */
export const ComparedCheckpoint = z.object({
  runId: z.string(),
  step: z.number().int(),
  /** "RUN:STEP", as the CLI takes it. */
  label: z.string(),
  /** True when the scores came from the cache. */
  cached: z.boolean(),
  scores: CheckpointScores,
});
export type ComparedCheckpoint = z.infer<typeof ComparedCheckpoint>;

export const CompareResult = z.object({
  jobId: z.string(),
  /** Identifies the image sample (files, their contents, the size and the ground truth). */
  imageSet: z.string(),
  size: z.number().int(),
  images: z.object({ A: z.array(z.string()), B: z.array(z.string()) }),
  /** Input tiles in image order, and the ground-truth tiles where known. */
  inputs: z.object({ A: z.array(z.string()), B: z.array(z.string()) }),
  truth: z.object({ A: z.array(z.string()).nullable(), B: z.array(z.string()).nullable() }),
  checkpoints: z.array(ComparedCheckpoint),
  /** The trivial answers against the same ground truth, the bar each checkpoint must clear. */
  baselines: CompareBaselines,
  /**
   * One PNG per input image: columns input, [ground truth], then each checkpoint's translation and
   * reconstruction in the order of `checkpoints`; a cell a checkpoint has no tile for (a one-way
   * model's reconstruction, or its whole B → A) is left blank.
   */
  grids: z.object({ A: z.array(z.string()), B: z.array(z.string()) }),
  gridsDir: z.string(),
});
export type CompareResult = z.infer<typeof CompareResult>;

/**
 * Host events of a comparison (HostEvent `{ type: 'compare', jobId, event }`): progress while an
 * engine works, then `finished` with the result or `failed` with the reason.
 */
export type CompareEvent =
  | { type: 'progress'; done: number; total: number; checkpoint: string }
  | { type: 'checkpoint'; checkpoint: string; cached: boolean }
  | { type: 'finished'; result: CompareResult }
  | { type: 'failed'; message: string };
