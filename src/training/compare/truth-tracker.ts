// Scores a training run's A→B translations against a known ground truth while it trains, beside
// the trivial answers (baselines.ts). The images, their truth and the baselines' scores are loaded
// once; each report then costs one forward pass of G_A over at most TRUTH_MAX_IMAGES images.
import * as tf from '@tensorflow/tfjs-core';
import type { ImageScores } from '../../shared/compare.ts';
import {
  BASELINE_NAMES,
  type BaselineName,
  TRUTH_MAX_IMAGES,
  type TruthFiles,
  type TruthReport,
} from '../../shared/truth.ts';
import { loadImageBatch, spreadFiles } from '../data/image-batch.ts';
import { baselineTranslations } from './baselines.ts';
import { meanScores, unitScores } from './score-checkpoint.ts';

/** Images per forward pass: memory stays flat at any crop size. */
const CHUNK = 4;

export interface TruthTracker {
  /** Scores `translate` (G_A, [−1, 1] in and out) at this step. */
  report(step: number, translate: (images: tf.Tensor4D) => tf.Tensor4D): Promise<TruthReport>;
  dispose(): void;
}

async function translateInChunks(
  images: tf.Tensor4D,
  translate: (images: tf.Tensor4D) => tf.Tensor4D,
): Promise<tf.Tensor4D> {
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < images.shape[0]; start += CHUNK) {
    const count = Math.min(CHUNK, images.shape[0] - start);
    parts.push(tf.tidy(() => translate(tf.slice(images, [start, 0, 0, 0], [count, -1, -1, -1]))));
    // One chunk at a time on a GPU backend too: wait for it before queueing the next.
    await parts.at(-1)?.data();
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

export async function createTruthTracker(
  truth: TruthFiles,
  filesB: readonly string[],
  size: number,
): Promise<TruthTracker> {
  const count = Math.min(truth.a.length, truth.truth.length, TRUTH_MAX_IMAGES);
  const inputs = await loadImageBatch(truth.a.slice(0, count), size);
  const expected = await loadImageBatch(truth.truth.slice(0, count), size);
  // B's statistics (mean colour, spread) from as many of its images as A has scored ones.
  const target = await loadImageBatch(spreadFiles(filesB, TRUTH_MAX_IMAGES), size);
  const baselineImages = baselineTranslations(inputs, target);
  target.dispose();
  const baselines = {} as Record<BaselineName, ImageScores>;
  try {
    for (const name of BASELINE_NAMES) baselines[name] = meanScores(await unitScores(baselineImages[name], expected));
  } finally {
    tf.dispose(Object.values(baselineImages));
  }
  const best = BASELINE_NAMES.reduce((a, b) => (baselines[b].psnr > baselines[a].psnr ? b : a));

  return {
    async report(step, translate) {
      const translated = await translateInChunks(inputs, translate);
      let model: ImageScores;
      try {
        model = meanScores(await unitScores(translated, expected));
      } finally {
        translated.dispose();
      }
      return { step, images: count, size, model, baselines, best, gainDb: model.psnr - baselines[best].psnr };
    },
    dispose() {
      tf.dispose([inputs, expected]);
    },
  };
}
