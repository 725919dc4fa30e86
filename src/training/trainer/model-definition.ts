// What a model supplies to be trained, checkpointed and translated with: the one place a model
// plugs in (issue 16). The trainer skeleton (run-training.ts) owns everything models do alike — the
// data stream, the schedule, the loop, pause/stop, the NaN guard, milestones, checkpoints, resume
// and every event — so a model declares only what is its own. The registry
// (src/training/models/registry.ts) lists the definitions; the engine picks one by the config's
// `model`, and inference by a checkpoint manifest's `model`.
//
// Why a definition plus a per-run trainer: the definition is static facts and factories that the
// host-facing code can read without building anything (its name, directions, losses, how its
// checkpoints translate), while createTrainer builds one run's networks and optimizers from its
// config, which only a training job needs.
import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import type { TrainJob } from '../../shared/engine-protocol.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { PoolState } from '../checkpoint/format.ts';
import type { Translator, TranslatorOptions } from '../inference/translator.ts';
import type { ParamStore } from '../nn/params.ts';
import type { LrSchedule } from '../schedule.ts';

/**
 * The config fields the skeleton reads, which every model's config has: the data, the run's length
 * and rhythm, the seed. Everything else in a config is the model's own business.
 */
export type TrainingConfig = Pick<
  RunConfig,
  | 'model'
  | 'seed'
  | 'preprocess'
  | 'loadSize'
  | 'cropSize'
  | 'flip'
  | 'lr'
  | 'nEpochs'
  | 'maxSteps'
  | 'previewEvery'
  | 'checkpointEveryEpochs'
>;

/** One step's real images, [N, H, W, 3] in [−1, 1] per domain; the skeleton owns and frees them. */
export interface RealBatch {
  a: tf.Tensor4D;
  b: tf.Tensor4D;
}

/**
 * One run's model: its networks, optimizers and whatever else a step needs, built for one job. The
 * skeleton calls it; it never emits events or touches files other than the preview it is asked for,
 * so every model's runs look alike to the host.
 */
export interface ModelTrainer {
  /** Images of each domain per step (CycleGAN 1, CoGAN batchSize): the stream, epochs and pace follow it. */
  readonly batchSize: number;
  /**
   * The one side every training image must have, for networks built for one size (CoGAN); absent, a
   * step takes whatever size the data pipeline gives. A wrong size fails the step with the file's name.
   */
  readonly imageSize?: number;
  /**
   * The schedule every optimizer's rate follows (schedule.ts: planned over the run, stretched to
   * maxSteps), or null for a constant config.lr over nEpochs epochs or maxSteps steps (CoGAN, as its
   * paper). Kept per model because a stretched schedule is a promise only some models make.
   */
  readonly schedule: LrSchedule | null;
  /**
   * The parameter stores a checkpoint holds, by the names its manifest records (networks/<key>/…).
   * The order is the checkpoint's tensor order: keep it, or old checkpoints' bytes move.
   */
  readonly networks: Record<string, ParamStore>;
  /** Every optimizer, by checkpoint name; all Adam, all following `schedule`. Resume restores their moments. */
  readonly optimizers: Record<string, tf.AdamOptimizer>;
  /**
   * One training iteration. `step` is the number of steps done before it: any randomness the step
   * draws (pool swaps, penalty weights, latent codes) must be keyed by (config.seed, step), never by
   * a generator that carries state across steps, or resume would not be exact. Returns the losses by
   * the definition's lossNames, as plain numbers (a NaN or infinity triggers the skeleton's guard).
   */
  step(batch: RealBatch, step: number): Promise<Record<string, number>>;
  /** Writes the preview PNG of the current weights to `file` (atomically); what it draws is the model's. */
  writePreview(file: string): Promise<void>;
  /**
   * Tensor state beyond networks and optimizers that an exact resume needs (CycleGAN's image pools),
   * saved as the checkpoint's pools/<key>/<index> tensors. Absent: the model keeps none.
   */
  saveExtraState?(): Promise<Record<string, PoolState>>;
  /** Puts back what saveExtraState saved (on resume and on the NaN guard's roll-back). */
  restoreExtraState?(state: Record<string, PoolState>): void;
  /**
   * Figures of the model's own beyond its losses, at step 0 and at each numbered checkpoint (CoGAN's
   * agreement with a known relation): emitted as a metrics row just before the checkpoint event, so
   * the host stores them with it. null: nothing to measure for this run.
   */
  measure?(): Promise<Record<string, number> | null>;
  /**
   * The A→B translation in one forward pass, for models that have one (CycleGAN's G_A; CUT's G):
   * where the host found a ground truth (job.truth), the skeleton scores it at step 0 and after each
   * numbered checkpoint and emits a 'truth' event. Absent: no ground-truth report (CoGAN translates
   * by a search, too slow to run while training). A plain function: the skeleton calls it unbound.
   */
  readonly translateAtoB?: (images: tf.Tensor4D) => tf.Tensor4D;
  /** Frees everything it built: networks, optimizers, pools, preview samples. */
  dispose(): void;
}

/** What createTrainer may read of its job, beyond the config. */
export type TrainerSetup = Pick<TrainJob, 'filesA' | 'filesB'>;

/**
 * A model, as the engine knows it. Method syntax on purpose: a ModelDefinition<CycleGanConfig> is
 * then a ModelDefinition of any config, so the registry can list them side by side; the skeleton
 * checks that a job's config names the definition's model before handing it over.
 */
export interface ModelDefinition<C extends TrainingConfig = TrainingConfig> {
  /** The config's `model` and the checkpoint manifest's `model`: the key in the registry. */
  readonly name: C['model'];
  /** The directions its checkpoints translate: both for CycleGAN, ['AtoB'] for a one-way model (CUT). */
  readonly directions: readonly Direction[];
  /** The losses a step reports, in the order charts list them. */
  readonly lossNames: readonly string[];
  /** Builds one run's networks, optimizers and step from its config (fresh weights: a resume loads over them). */
  createTrainer(config: C, setup: TrainerSetup): Promise<ModelTrainer>;
  /** Opens a checkpoint this model wrote as a Translator (convert, compare): its generators only. */
  loadTranslator(dir: string, manifest: CheckpointManifest, options: TranslatorOptions): Promise<Translator>;
}
