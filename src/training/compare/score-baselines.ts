// The trivial answers of a comparison's image set (baselines.ts) scored against its ground truth
// with the numbers a checkpoint gets (L1 / PSNR / SSIM, means over the images), so Compare can show
// whether a checkpoint does better than leaving the picture alone or painting a colour filter.
// Statistics come from the whole set; the images are answered and scored a few at a time, so memory
// stays flat at any sample size, as it does for the checkpoints.
import * as tf from '@tensorflow/tfjs-core';
import type { BaselineScores, ImageScores } from '../../shared/compare.ts';
import { BASELINE_NAMES, type BaselineName } from '../../shared/truth.ts';
import { baselineStatistics, baselinesFrom, disposeStatistics } from './baselines.ts';
import { meanScores, unitScores } from './score-checkpoint.ts';

const CHUNK = 4;

/**
 * The baselines for `inputs` (source-domain images) against `truth` (their ground truth, same
 * shape), the target domain's statistics taken from `target`. All in [−1, 1].
 */
export async function scoreBaselines(
  inputs: tf.Tensor4D,
  target: tf.Tensor4D,
  truth: tf.Tensor4D,
): Promise<BaselineScores> {
  if (truth.shape[0] !== inputs.shape[0])
    throw new Error(`${truth.shape[0]} ground-truth images for ${inputs.shape[0]} inputs`);
  const statistics = baselineStatistics(inputs, target);
  const perImage = Object.fromEntries(BASELINE_NAMES.map((name) => [name, [] as ImageScores[]])) as Record<
    BaselineName,
    ImageScores[]
  >;
  try {
    for (let start = 0; start < inputs.shape[0]; start += CHUNK) {
      const count = Math.min(CHUNK, inputs.shape[0] - start);
      const x = tf.slice(inputs, [start, 0, 0, 0], [count, -1, -1, -1]);
      const expected = tf.slice(truth, [start, 0, 0, 0], [count, -1, -1, -1]);
      const answers = baselinesFrom(x, statistics);
      try {
        for (const name of BASELINE_NAMES) perImage[name].push(...(await unitScores(answers[name], expected)));
      } finally {
        tf.dispose([x, expected, ...Object.values(answers)]);
      }
    }
  } finally {
    disposeStatistics(statistics);
  }
  return {
    input: meanScores(perImage.input),
    targetMean: meanScores(perImage.targetMean),
    colourTransfer: meanScores(perImage.colourTransfer),
  };
}
