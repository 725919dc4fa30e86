// The trivial answers a translation must beat against a ground truth. A model can look good by
// painting the target domain's average colour, or by leaving the picture alone; a claim that it
// learnt something is a claim that it does better than all of these:
//   input           — the untouched image;
//   targetMean      — a constant image of the target domain's mean colour;
//   colourTransfer  — the source domain's per-channel mean and spread mapped onto the target's
//                     (Reinhard-style global colour transfer, in RGB).
// All work in the networks' [−1, 1] range on NHWC batches.
import * as tf from '@tensorflow/tfjs-core';
import type { BaselineName } from '../../shared/truth.ts';

/** Per-channel mean and standard deviation over every pixel of a batch: two [3] tensors. */
export function channelStatistics(images: tf.Tensor4D): { mean: tf.Tensor1D; std: tf.Tensor1D } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(images, [0, 1, 2]);
    return { mean: mean as tf.Tensor1D, std: tf.sqrt(variance) as tf.Tensor1D };
  });
}

/** The statistics the baselines are drawn from: the source domain's and the target domain's. */
export interface BaselineStatistics {
  source: { mean: tf.Tensor1D; std: tf.Tensor1D };
  goal: { mean: tf.Tensor1D; std: tf.Tensor1D };
}

export function baselineStatistics(inputs: tf.Tensor4D, target: tf.Tensor4D): BaselineStatistics {
  return { source: channelStatistics(inputs), goal: channelStatistics(target) };
}

export function disposeStatistics(statistics: BaselineStatistics): void {
  tf.dispose([statistics.source.mean, statistics.source.std, statistics.goal.mean, statistics.goal.std]);
}

/**
 * The three baseline answers for `inputs` from statistics taken over a whole set, so that a large
 * set can be answered a few images at a time (compare scores in chunks) with the same numbers.
 */
export function baselinesFrom(inputs: tf.Tensor4D, statistics: BaselineStatistics): Record<BaselineName, tf.Tensor4D> {
  return tf.tidy(() => {
    const { source, goal } = statistics;
    const targetMean = tf.mul(tf.onesLike(inputs), goal.mean) as tf.Tensor4D;
    // A channel with no spread (a flat domain) maps onto the target's mean instead of dividing by 0.
    const scale = tf.div(goal.std, tf.maximum(source.std, 1e-6));
    const colourTransfer = tf.clipByValue(
      tf.add(tf.mul(tf.sub(inputs, source.mean), scale), goal.mean),
      -1,
      1,
    ) as tf.Tensor4D;
    return { input: tf.clone(inputs), targetMean, colourTransfer };
  });
}

/**
 * The three baseline answers for `inputs` (source-domain images), given images of the target
 * domain (`target`, any count and size, for its statistics). Each has the shape of `inputs`.
 */
export function baselineTranslations(inputs: tf.Tensor4D, target: tf.Tensor4D): Record<BaselineName, tf.Tensor4D> {
  return tf.tidy(() => baselinesFrom(inputs, baselineStatistics(inputs, target)));
}
