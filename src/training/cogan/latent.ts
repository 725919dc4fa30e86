// Latent codes z ~ N(0, I), drawn from seeds that are pure functions of a key, so a resumed run
// draws the codes an uninterrupted one drew, and previews and the agreement use the same codes
// from the first step to the last.
import * as tf from '@tensorflow/tfjs-core';
import { keyedRandom } from '../data/random.ts';

/** Keys of the run's random streams (the data pipeline uses 1–3, CycleGAN 0x9001–0x9002). */
export const LATENT_STREAM = {
  training: 0xc0a1,
  penalty: 0xc0a2,
  preview: 0xc0a3,
  agreement: 0xc0a4,
  inversion: 0xc0a5,
} as const;

/** tfjs seeds its generators from a number: a 31-bit integer drawn from the keyed stream. */
export function seedFor(...key: number[]): number {
  return Math.floor(keyedRandom(...key)() * 2 ** 31);
}

export function latentCodes(count: number, zDim: number, ...key: number[]): tf.Tensor2D {
  return tf.randomNormal([count, zDim], 0, 1, 'float32', seedFor(...key));
}
