// The PatchGAN discriminators against the reference implementation: parameter counts (instance
// norm, so every conv has a bias), the 30×30 logit map of a 256 px image, and each logit's 70×70
// receptive field, found from the gradient of one logit with respect to the image.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { patchDiscriminator, pixelDiscriminator } from '../../../src/training/models/patchgan.ts';
import { countParams, disposeParams } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('patchDiscriminator', () => {
  it('has the reference count for the 70×70 PatchGAN, ndf 64: 2,764,737', () => {
    const d = patchDiscriminator({ name: 'D70', ndf: 64, layers: 3, seed: 1 });
    expect(countParams(d.params)).toBe(2_764_737);
    disposeParams(d.params);
  });

  it('gives a 30×30 logit map for a 256 px image, and each logit sees a 70×70 patch', () => {
    const d = patchDiscriminator({ name: 'Drf', ndf: 8, layers: 3, seed: 1 });
    const x = tf.randomUniform([1, 256, 256, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    expect(tf.tidy(() => d.apply(x).shape)).toEqual([1, 30, 30, 1]);
    // Logit (10, 10): strides 2, 2, 2, 1, 1 and padding 1 on each 4×4 conv put its window at
    // 8·10 − (1 + 2 + 4 + 8 + 8) = 57 … 57 + 69 = 126 on both axes.
    const sensitivity = tf.tidy(() => {
      const g = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.slice(d.apply(input as tf.Tensor4D), [0, 10, 10, 0], [1, 1, 1, 1])),
      )(x);
      return tf.max(tf.abs(g), 3).dataSync() as Float32Array;
    });
    // Instance norm lets every pixel move every logit a little (through the mean and variance of a
    // whole feature map), so "outside" is small, not zero: measured ~50× below the window's edges.
    let peak = 0;
    for (const v of sensitivity) peak = Math.max(peak, v);
    const threshold = 0.05 * peak;
    const rowMax = (r: number) => Math.max(...sensitivity.subarray(r * 256, r * 256 + 256));
    const colMax = (c: number) => {
      let m = 0;
      for (let r = 0; r < 256; r++) m = Math.max(m, sensitivity[r * 256 + c] as number);
      return m;
    };
    const inside = (i: number) => i >= 57 && i <= 126;
    for (let i = 0; i < 256; i++) {
      expect(rowMax(i) > threshold, `row ${i}`).toBe(inside(i));
      expect(colMax(i) > threshold, `column ${i}`).toBe(inside(i));
    }
    x.dispose();
    disposeParams(d.params);
  });

  it('follows n_layers: one more stride-2 layer halves the map (and the count follows the formula)', () => {
    const ndf = 4;
    const d = patchDiscriminator({ name: 'D4', ndf, layers: 4, seed: 1 });
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
    // ndf → 2 → 4 → 8 (stride 2), 8 → 8 (stride 1, the cap), 8 → 1.
    const expected =
      conv(4, 3, ndf) +
      conv(4, ndf, 2 * ndf) +
      conv(4, 2 * ndf, 4 * ndf) +
      conv(4, 4 * ndf, 8 * ndf) +
      conv(4, 8 * ndf, 8 * ndf) +
      conv(4, 8 * ndf, 1);
    expect(countParams(d.params)).toBe(expected);
    expect(tf.tidy(() => d.apply(tf.zeros([1, 256, 256, 3])).shape)).toEqual([1, 14, 14, 1]);
    disposeParams(d.params);
  });
});

describe('pixelDiscriminator', () => {
  it('is three 1×1 convs: 3·64 + 64 + 64·128 + 128 + 128 + 1 = 8,705 parameters at ndf 64', () => {
    const d = pixelDiscriminator({ name: 'Dpx', ndf: 64, seed: 1 });
    expect(countParams(d.params)).toBe(3 * 64 + 64 + 64 * 128 + 128 + 128 * 1 + 1);
    expect(countParams(d.params)).toBe(8_705);
    // One logit per pixel.
    expect(tf.tidy(() => d.apply(tf.zeros([2, 16, 12, 3])).shape)).toEqual([2, 16, 12, 1]);
    disposeParams(d.params);
  });
});
