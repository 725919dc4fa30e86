// Numeric tests of the pack's convolution kernels (Conv2DBackpropFilter, Conv2DBackpropInput) on wasm
// against tfjs-backend-cpu: called directly, through tf.conv2dTranspose, and through tf.grad /
// tf.variableGrads. Relative error as defined in helpers.ts: max|a − b| / max(1, max|b|) < 1e-4.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setConv2DRoute } from '../../../src/training/kernels/conv2d.ts';
import { setFilterGradChunking } from '../../../src/training/kernels/conv2d_backprop_filter.ts';
import { setConvInputRoute } from '../../../src/training/kernels/conv2d_backprop_input.ts';
import { compare, rand, relErr, runOn, setup, TOL } from './helpers.ts';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  s: number;
  pad: Pad;
}

const explicit = (t: number, b: number, l: number, r: number): Pad => [
  [0, 0],
  [t, b],
  [l, r],
  [0, 0],
];

// Strides 1/2 × kernels 1/3/4/7 × same/valid/explicit, odd sizes, batch > 1, channels not multiples of 4.
const cases: Case[] = [];
const pads: [string, (k: number) => Pad][] = [
  ['same', () => 'same'],
  ['valid', () => 'valid'],
  ['explicit', (k) => explicit(Math.floor(k / 2), Math.max(0, k - 2), Math.max(0, k - 2), Math.floor(k / 2))],
];
for (const k of [1, 3, 4, 7]) {
  for (const s of [1, 2]) {
    for (const [, p] of pads) {
      cases.push({ n: 2, h: 9 + (k % 2), w: 11, ci: 3, co: 5, k, s, pad: p(k) });
    }
  }
}
// The shapes CycleGAN hits (smaller channel counts), plus a few odd ones.
cases.push({ n: 1, h: 16, w: 16, ci: 6, co: 6, k: 3, s: 1, pad: 'valid' });
cases.push({ n: 1, h: 16, w: 16, ci: 6, co: 10, k: 3, s: 2, pad: explicit(1, 1, 1, 1) });
cases.push({ n: 1, h: 8, w: 8, ci: 10, co: 7, k: 4, s: 2, pad: explicit(1, 1, 1, 1) });
cases.push({ n: 1, h: 7, w: 7, ci: 9, co: 1, k: 4, s: 1, pad: explicit(1, 1, 1, 1) });
cases.push({ n: 3, h: 13, w: 5, ci: 2, co: 3, k: 3, s: 2, pad: 'same' });
cases.push({ n: 1, h: 12, w: 12, ci: 7, co: 6, k: 7, s: 1, pad: 'same' });
// Enough output channels that 'auto' takes the GEMM routes (Conv2D: pixels ≤ Co; dx: Co ≥ 16 and pixels ≤ Co,
// or stride 1 into fewer than 16 input channels).
cases.push({ n: 2, h: 7, w: 5, ci: 5, co: 40, k: 4, s: 2, pad: explicit(1, 1, 1, 1) });
cases.push({ n: 2, h: 5, w: 6, ci: 9, co: 16, k: 3, s: 1, pad: 'valid' });
// The residual blocks' dx: stride 1, Co ≥ 16 on a map with more pixels than channels ('auto': the phase route).
cases.push({ n: 1, h: 10, w: 10, ci: 16, co: 16, k: 3, s: 1, pad: 'valid' });

const name = (c: Case) =>
  `n${c.n} ${c.h}x${c.w} ci${c.ci} co${c.co} k${c.k} s${c.s} pad ${typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad.slice(1, 3))}`;

function inputs(c: Case, seed: number) {
  const x = tf.tensor4d(rand(c.n * c.h * c.w * c.ci, seed), [c.n, c.h, c.w, c.ci]);
  const f = tf.tensor4d(rand(c.k * c.k * c.ci * c.co, seed + 1), [c.k, c.k, c.ci, c.co]);
  return { x, f };
}

beforeAll(async () => {
  await setup();
});

describe('pack conv kernels vs cpu', () => {
  for (const c of cases) {
    it(`forward + grads through tf.grads: ${name(c)}`, () => {
      const { err, maxAbs } = compare(() => {
        const { x, f } = inputs(c, 11);
        const y = tf.conv2d(x, f, c.s, c.pad);
        const r = tf.tensor(rand(y.size, 99), y.shape);
        // L = Σ y·r, so dL/dy = r: a dense, non-constant upstream gradient.
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), r)),
        )([x, f]);
        return [y, dx as tf.Tensor, df as tf.Tensor];
      });
      expect(maxAbs).toBeGreaterThan(0.1); // real values compared, not zeros
      expect(err).toBeLessThan(TOL);
    });

    it(`kernels called directly, every route: ${name(c)}`, () => {
      for (const [inputRoute, convRoute] of [
        ['gemm', 'gemm'],
        ['phase', 'stock'],
      ] as const) {
        setConvInputRoute(inputRoute);
        setConv2DRoute(convRoute);
        try {
          const { err, maxAbs } = compare(() => {
            const { x, f } = inputs(c, 21);
            const y = tf.conv2d(x, f, c.s, c.pad);
            const dy = tf.tensor4d(rand(y.size, 5), y.shape as [number, number, number, number]);
            const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
            const dX = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, {
              ...attrs,
              inputShape: x.shape,
            } as unknown as tf.NamedAttrMap) as tf.Tensor;
            return [y, dX];
          });
          expect(maxAbs, `${inputRoute}/${convRoute}`).toBeGreaterThan(0.1);
          expect(err, `${inputRoute}/${convRoute}`).toBeLessThan(TOL);
        } finally {
          setConvInputRoute('auto');
          setConv2DRoute('auto');
        }
      }
    });

    it(`filter gradient in chunks of output rows: ${name(c)}`, () => {
      // One output row per chunk (and per sample): every chunk boundary and the per-chunk dy copy are hit.
      setFilterGradChunking({ floats: 1, minPixels: 1 });
      try {
        const { err, maxAbs } = compare(() => {
          const { x, f } = inputs(c, 31);
          const y = tf.conv2d(x, f, c.s, c.pad);
          const dy = tf.tensor4d(rand(y.size, 7), y.shape as [number, number, number, number]);
          return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
            strides: c.s,
            pad: c.pad,
            dataFormat: 'NHWC',
            dimRoundingMode: undefined,
            filterShape: f.shape,
          } as unknown as tf.NamedAttrMap) as tf.Tensor;
        });
        expect(maxAbs).toBeGreaterThan(0.1);
        expect(err).toBeLessThan(TOL);
      } finally {
        setFilterGradChunking(null);
      }
    });

    it(`kernels called directly: ${name(c)}`, () => {
      const { err } = compare(() => {
        const { x, f } = inputs(c, 21);
        const y = tf.conv2d(x, f, c.s, c.pad);
        const dy = tf.tensor4d(rand(y.size, 5), y.shape as [number, number, number, number]);
        const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
        const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          ...attrs,
          filterShape: f.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dX = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, {
          ...attrs,
          inputShape: x.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [dW, dX];
      });
      expect(err).toBeLessThan(TOL);
    });
  }

  for (const [h, s, k, pad] of [
    [16, 2, 3, 'same'],
    [9, 2, 4, 'same'],
    [7, 1, 3, 'valid'],
    [5, 2, 3, 'valid'],
  ] as const) {
    it(`conv2dTranspose forward and its gradients: in ${h}x${h} k${k} s${s} ${pad}`, () => {
      const { err, maxAbs } = compare(() => {
        const ci = 6;
        const co = 5;
        const x = tf.tensor4d(rand(2 * h * h * ci, 3), [2, h, h, ci]);
        const f = tf.tensor4d(rand(k * k * co * ci, 4), [k, k, co, ci]);
        const oh = pad === 'same' ? h * s : (h - 1) * s + k;
        const shape: [number, number, number, number] = [2, oh, oh, co];
        const y = tf.conv2dTranspose(x, f, shape, s, pad);
        const r = tf.tensor(rand(y.size, 8), y.shape);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, shape, s, pad), r)),
        )([x, f]);
        return [y, dx as tf.Tensor, df as tf.Tensor];
      });
      expect(maxAbs).toBeGreaterThan(0.1);
      expect(err).toBeLessThan(TOL);
    });
  }

  it('tf.variableGrads through a small conv stack (conv s2, conv, transposed conv) matches cpu', () => {
    const { err, maxAbs } = compare(() => {
      const w1 = tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 6, 1), [3, 3, 3, 6]), true, 'vg_w1');
      const w2 = tf.variable(tf.tensor4d(rand(3 * 3 * 6 * 6, 2), [3, 3, 6, 6]), true, 'vg_w2');
      const w3 = tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 6, 3), [3, 3, 3, 6]), true, 'vg_w3');
      const x = tf.tensor4d(rand(2 * 10 * 10 * 3, 4), [2, 10, 10, 3]);
      const { grads } = tf.variableGrads(() => {
        let h = tf.relu(tf.conv2d(x, w1, 2, 'same'));
        h = tf.tanh(tf.conv2d(h, w2, 1, 'same'));
        const out = tf.conv2dTranspose(h, w3, [2, 10, 10, 3], 2, 'same');
        return tf.mean(tf.square(tf.sub(out, x))) as tf.Scalar;
      });
      const out = [grads.vg_w1, grads.vg_w2, grads.vg_w3].map((g) => tf.mul(g as tf.Tensor, 100));
      for (const v of [w1, w2, w3]) v.dispose();
      return out;
    });
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(err).toBeLessThan(TOL);
  });
});

describe('the comparison can fail', () => {
  it('a deliberately wrong Conv2DBackpropInput on wasm is caught', () => {
    const good = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(good).toBeDefined();
    const c: Case = { n: 2, h: 9, w: 9, ci: 3, co: 5, k: 3, s: 2, pad: 'same' };
    const f = () => {
      const { x, f: w } = inputs(c, 31);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w, c.s, c.pad))))(x);
    };
    expect(compare(f).err).toBeLessThan(TOL);
    // Wrong on purpose: the unflipped filter (a classic bug) — implemented as the right kernel applied to a
    // filter rotated by 180° in JS.
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      ...good,
      kernelFunc: (args) => {
        const w = args.inputs.filter as tf.TensorInfo;
        const flipped = tf.tidy(() => tf.reverse(tf.engine().makeTensorFromTensorInfo(w), [0, 1]));
        const out = good.kernelFunc({ ...args, inputs: { ...args.inputs, filter: flipped } });
        flipped.dispose();
        return out;
      },
    });
    try {
      expect(compare(f).err).toBeGreaterThan(1e-2);
    } finally {
      tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
      tf.registerKernel(good);
    }
    expect(compare(f).err).toBeLessThan(TOL);
  });

  it('relErr sees a single perturbed element', () => {
    const ref = rand(1000, 1);
    const bad = Float32Array.from(ref);
    bad[537] = (bad[537] as number) + 1e-3;
    expect(relErr(ref, ref)).toBe(0);
    expect(relErr(bad, ref)).toBeGreaterThan(TOL);
    expect(
      relErr(
        Float32Array.from(ref, () => Number.NaN),
        ref,
      ),
    ).toBeNaN();
    expect(runOn('cpu', () => tf.scalar(1)).values[0]?.[0]).toBe(1);
  });
});
