// Image-quality numbers for comparing checkpoints: mean absolute error (L1), PSNR and SSIM, each
// per image of a batch. All three read images in [0, 1] (NHWC), so their values mean the same
// whatever range the networks work in; callers map the networks' [−1, 1] with toUnitRange.
//
// SSIM is Wang et al. 2004 as its reference code and tf.image.ssim compute it: an 11×11 Gaussian
// window with σ 1.5, K1 0.01, K2 0.03, dynamic range 1, statistics over the 'valid' windows only
// (no padding), the map averaged over positions and then over channels.
import * as tf from '@tensorflow/tfjs-core';

export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;

/** [−1, 1] (what the generators produce and eat) → [0, 1]. */
export function toUnitRange(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.add(x, 1), 2));
}

function checkPair(a: tf.Tensor4D, b: tf.Tensor4D, what: string): void {
  if (a.rank !== 4 || a.shape.some((d, i) => d !== b.shape[i]))
    throw new Error(`${what} needs two image batches of one shape; got [${a.shape}] and [${b.shape}]`);
}

async function perImage(values: tf.Tensor1D): Promise<number[]> {
  const data = await values.data();
  values.dispose();
  return Array.from(data);
}

/** Mean |a − b| per image. */
export function meanAbsoluteError(a: tf.Tensor4D, b: tf.Tensor4D): Promise<number[]> {
  checkPair(a, b, 'L1');
  return perImage(tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b)), [1, 2, 3])));
}

/** Mean (a − b)² per image. */
export function meanSquaredError(a: tf.Tensor4D, b: tf.Tensor4D): Promise<number[]> {
  checkPair(a, b, 'MSE');
  return perImage(tf.tidy(() => tf.mean(tf.squaredDifference(a, b), [1, 2, 3])));
}

/** Peak signal-to-noise ratio in dB for a peak of 1: 10·log10(1 / MSE); Infinity for identical images. */
export function psnrFromMse(mse: number): number {
  return mse === 0 ? Number.POSITIVE_INFINITY : -10 * Math.log10(mse);
}

export async function psnr(a: tf.Tensor4D, b: tf.Tensor4D): Promise<number[]> {
  return (await meanSquaredError(a, b)).map(psnrFromMse);
}

/** The normalised 1-D Gaussian; the 2-D window is its outer product with itself. */
export function gaussianWindow(size = SSIM_WINDOW, sigma = SSIM_SIGMA): number[] {
  const centre = (size - 1) / 2;
  const raw = Array.from({ length: size }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
  const total = raw.reduce((sum, v) => sum + v, 0);
  return raw.map((v) => v / total);
}

/** SSIM per image, averaged over the valid window positions and the channels. */
export function ssim(a: tf.Tensor4D, b: tf.Tensor4D): Promise<number[]> {
  checkPair(a, b, 'SSIM');
  const [, height, width, channels] = a.shape;
  if (height < SSIM_WINDOW || width < SSIM_WINDOW)
    throw new Error(`SSIM needs images of at least ${SSIM_WINDOW}×${SSIM_WINDOW} pixels; got ${width}×${height}`);
  return perImage(
    tf.tidy(() => {
      const g = gaussianWindow();
      // Separable: a column pass then a row pass, each a depthwise conv over every channel.
      const column = tf.tile(tf.tensor4d(g, [SSIM_WINDOW, 1, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
      const row = tf.tile(tf.tensor4d(g, [1, SSIM_WINDOW, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
      const blur = (x: tf.Tensor4D) => tf.depthwiseConv2d(tf.depthwiseConv2d(x, column, 1, 'valid'), row, 1, 'valid');
      // Second moments of values centred on 0.5 (variances do not change with a shift): E[x²] − μ²
      // then loses far fewer float32 digits to cancellation than it would on [0, 1].
      const x = tf.sub(a, 0.5) as tf.Tensor4D;
      const y = tf.sub(b, 0.5) as tf.Tensor4D;
      const meanX = blur(x);
      const meanY = blur(y);
      const varA = tf.sub(blur(tf.square(x)), tf.square(meanX));
      const varB = tf.sub(blur(tf.square(y)), tf.square(meanY));
      const covariance = tf.sub(blur(tf.mul(x, y)), tf.mul(meanX, meanY));
      const muA = tf.add(meanX, 0.5);
      const muB = tf.add(meanY, 0.5);
      const muA2 = tf.square(muA);
      const muB2 = tf.square(muB);
      const muAB = tf.mul(muA, muB);
      const c1 = K1 ** 2;
      const c2 = K2 ** 2;
      const numerator = tf.mul(tf.add(tf.mul(muAB, 2), c1), tf.add(tf.mul(covariance, 2), c2));
      const denominator = tf.mul(tf.add(tf.add(muA2, muB2), c1), tf.add(tf.add(varA, varB), c2));
      return tf.mean(tf.div(numerator, denominator), [1, 2, 3]) as tf.Tensor1D;
    }),
  );
}

export interface ImageScores {
  l1: number;
  psnr: number;
  ssim: number;
}

/** L1, PSNR and SSIM of each image pair, for [0, 1] batches. */
export async function scoreImages(a: tf.Tensor4D, b: tf.Tensor4D): Promise<ImageScores[]> {
  const [l1, mse, structure] = await Promise.all([meanAbsoluteError(a, b), meanSquaredError(a, b), ssim(a, b)]);
  return l1.map((value, i) => ({ l1: value, psnr: psnrFromMse(mse[i] as number), ssim: structure[i] as number }));
}
