// The compare numbers against identities and values computed by hand: identical images, a known
// noise level, a constant offset, and SSIM against a plain double-precision loop written here from
// the paper's formula (no shared code with the tensor version but the definition).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import {
  gaussianWindow,
  meanAbsoluteError,
  psnr,
  scoreImages,
  ssim,
  toUnitRange,
} from '../../../src/training/compare/metrics.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A deterministic pseudo-random image in [lo, hi]. */
function randomImage(h: number, w: number, c: number, seed: number, lo = 0, hi = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(h * w * c);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return out;
}

const batch = (data: Float64Array, h: number, w: number, c: number) =>
  tf.tensor4d(Float32Array.from(data), [1, h, w, c]);

/** SSIM by the definition: every valid 11×11 window, Gaussian weights, per channel, in doubles. */
function referenceSsim(x: Float64Array, y: Float64Array, h: number, w: number, c: number): number {
  const size = 11;
  const sigma = 1.5;
  const weights: number[][] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    weights.push([]);
    for (let j = 0; j < size; j++) {
      const v = Math.exp(-((i - 5) ** 2 + (j - 5) ** 2) / (2 * sigma * sigma));
      (weights[i] as number[]).push(v);
      total += v;
    }
  }
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  let sum = 0;
  let count = 0;
  for (let ch = 0; ch < c; ch++) {
    for (let top = 0; top + size <= h; top++) {
      for (let left = 0; left + size <= w; left++) {
        let mx = 0;
        let my = 0;
        let xx = 0;
        let yy = 0;
        let xy = 0;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const g = ((weights[i] as number[])[j] as number) / total;
            const at = ((top + i) * w + (left + j)) * c + ch;
            const a = x[at] as number;
            const b = y[at] as number;
            mx += g * a;
            my += g * b;
            xx += g * a * a;
            yy += g * b * b;
            xy += g * a * b;
          }
        }
        const vx = xx - mx * mx;
        const vy = yy - my * my;
        const cov = xy - mx * my;
        sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        count++;
      }
    }
  }
  return sum / count;
}

describe('gaussianWindow', () => {
  it('is the normalised σ 1.5 Gaussian: sums to 1, symmetric, centre/edge ratio exp(25/4.5)', () => {
    const g = gaussianWindow();
    expect(g).toHaveLength(11);
    expect(g.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(g[0]).toBeCloseTo(g[10] as number, 15);
    expect((g[5] as number) / (g[0] as number)).toBeCloseTo(Math.exp(25 / 4.5), 6);
  });
});

describe('L1 and PSNR', () => {
  it('identical images: L1 0, PSNR ∞, SSIM exactly 1', async () => {
    const data = randomImage(16, 16, 3, 1);
    const a = batch(data, 16, 16, 3);
    const b = batch(data, 16, 16, 3);
    const [scores] = await scoreImages(a, b);
    expect(scores).toEqual({ l1: 0, psnr: Number.POSITIVE_INFINITY, ssim: 1 });
    tf.dispose([a, b]);
  });

  it('noise of ±δ everywhere: L1 = δ and PSNR = −20·log10 δ', async () => {
    const delta = 0.05;
    const clean = randomImage(16, 16, 3, 2, 0.2, 0.8);
    const noisy = clean.map((v, i) => v + (i % 2 === 0 ? delta : -delta));
    const a = batch(clean, 16, 16, 3);
    const b = batch(noisy, 16, 16, 3);
    const [l1] = await meanAbsoluteError(a, b);
    const [db] = await psnr(a, b);
    expect(l1).toBeCloseTo(delta, 6);
    // 26.0206 dB for δ = 0.05.
    expect(db).toBeCloseTo(-20 * Math.log10(delta), 3);
    expect(db).toBeCloseTo(26.0206, 3);
    tf.dispose([a, b]);
  });

  it('scores each image of a batch on its own', async () => {
    const zeros = tf.zeros([2, 12, 12, 3]) as tf.Tensor4D;
    const other = tf.concat([tf.fill([1, 12, 12, 3], 0.1), tf.fill([1, 12, 12, 3], 0.5)]) as tf.Tensor4D;
    const l1 = await meanAbsoluteError(zeros, other);
    expect(l1[0]).toBeCloseTo(0.1, 6);
    expect(l1[1]).toBeCloseTo(0.5, 6);
    // MSE 0.25 → 10·log10(4) = 6.0206 dB.
    expect((await psnr(zeros, other))[1]).toBeCloseTo(6.0206, 3);
    tf.dispose([zeros, other]);
  });

  it('toUnitRange maps −1 → 0, 0 → 0.5, 1 → 1', async () => {
    const x = tf.tensor4d([-1, 0, 1], [1, 1, 1, 3]);
    const y = toUnitRange(x);
    expect(Array.from(await y.data())).toEqual([0, 0.5, 1]);
    tf.dispose([x, y]);
  });

  it('refuses batches of different shapes', async () => {
    const a = tf.zeros([1, 12, 12, 3]) as tf.Tensor4D;
    const b = tf.zeros([1, 12, 16, 3]) as tf.Tensor4D;
    expect(() => meanAbsoluteError(a, b)).toThrow(/one shape/);
    tf.dispose([a, b]);
  });
});

describe('SSIM', () => {
  it('matches the definition computed in doubles, on unrelated and on related images', async () => {
    const h = 20;
    const w = 24;
    const x = randomImage(h, w, 3, 3);
    const unrelated = randomImage(h, w, 3, 4);
    // Related: a blend of x with a little of the other image, so SSIM is high but not 1.
    const related = x.map((v, i) => 0.8 * v + 0.2 * (unrelated[i] as number));
    for (const y of [unrelated, related]) {
      const expected = referenceSsim(x, y, h, w, 3);
      const a = batch(x, h, w, 3);
      const b = batch(y, h, w, 3);
      const [actual] = await ssim(a, b);
      expect(actual).toBeCloseTo(expected, 4);
      tf.dispose([a, b]);
    }
    // The two cases really differ (the test would catch a constant).
    expect(referenceSsim(x, related, h, w, 3)).toBeGreaterThan(0.8);
    expect(referenceSsim(x, unrelated, h, w, 3)).toBeLessThan(0.2);
  });

  it('of two flat images is the luminance term alone: (2μxμy + C1) / (μx² + μy² + C1)', async () => {
    const a = tf.fill([1, 11, 11, 3], 0.25) as tf.Tensor4D;
    const b = tf.fill([1, 11, 11, 3], 0.75) as tf.Tensor4D;
    const c1 = 0.0001;
    const [value] = await ssim(a, b);
    expect(value).toBeCloseTo((2 * 0.25 * 0.75 + c1) / (0.25 ** 2 + 0.75 ** 2 + c1), 5);
    tf.dispose([a, b]);
  });

  it('says so when an image is smaller than the window', () => {
    const a = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => ssim(a, a)).toThrow(/at least 11×11/);
    a.dispose();
  });

  it('leaves no tensor behind', async () => {
    const a = tf.ones([1, 16, 16, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    await scoreImages(a, a);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
