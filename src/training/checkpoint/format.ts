// What a checkpoint is in memory: one plain record (nanoGPT style: model, networks, optimizers,
// config, step), and the names its tensors get in the manifest. On disk it is a folder with
// manifest.json and weights.bin, whose layout src/node/checkpoint/manifest.ts describes (the host
// reads manifests too, without TensorFlow.js).
import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointModel } from '../../node/checkpoint/manifest.ts';
import type { ParamStore } from '../nn/params.ts';

/**
 * Tensor state a model keeps between steps beyond its networks and optimizers, saved as
 * pools/<key>/<index> (CycleGAN's image pools of earlier fakes, the first such state; the name stays
 * for the manifest's sake). Plain data, so the checkpoint code knows no model: a model turns its own
 * state into these lists and back (ModelTrainer.saveExtraState / restoreExtraState).
 */
export interface PoolState {
  /** The most tensors the list holds: a resumed run must be configured for the same. */
  capacity: number;
  /** The tensors in slot order (a pool's images are each [1, height, width, channels]). */
  images: { shape: number[]; data: Float32Array }[];
}

export interface CheckpointRecord {
  format: 1;
  model: CheckpointModel;
  /** Training iterations done. */
  step: number;
  /** Epochs completed (0-based index of the epoch a resumed run trains next). */
  epoch: number;
  /** The run config, JSON. */
  config: unknown;
  /** e.g. G_A, G_B, D_A, D_B. */
  networks: Record<string, ParamStore>;
  /** e.g. G, D: Adam's step count, moments and bias-correction powers. */
  optimizers: Record<string, tf.Optimizer>;
  /** A model's extra tensor state, e.g. A, B: the fakes pooled for each discriminator. */
  pools?: Record<string, PoolState>;
  /** JSON extras: sample index, last losses, RNG states. */
  extra?: Record<string, unknown>;
}

/** What a checkpoint is loaded into: networks and optimizers built from the same config. */
export type CheckpointTarget = Pick<CheckpointRecord, 'networks' | 'optimizers'>;

export interface LoadedCheckpoint {
  step: number;
  epoch: number;
  config: unknown;
  model: CheckpointModel;
  extra: Record<string, unknown>;
  /** The extra tensor state, as saved (a CycleGAN's pool images, for createImagePool(capacity, random, state)). */
  pools: Record<string, PoolState>;
}

export const networkTensorName = (key: string, variable: string) => `networks/${key}/${variable}`;
export const optimizerTensorName = (key: string, weight: string) => `optimizers/${key}/${weight}`;
export const poolTensorName = (key: string, index: number) => `pools/${key}/${index}`;
