// The pack's MirrorPad gradient (tfjs-core's drops the mirrored border) against a plain-JS reference,
// on wasm and cpu; and the pack's registration contract.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernelPack } from '../../../src/training/kernels/index.ts';
import { MIRROR_PAD_GRAD, mirrorPadBackward } from '../../../src/training/kernels/mirror_pad_grad.ts';
import { compare, rand, relErr, runOn, setup, TOL } from './helpers.ts';

/** Reference: dx = Mᵀ·dy, where MirrorPad maps every output index to one input index, per axis. */
function refMirrorPadGrad(
  shape: number[],
  paddings: [number, number][],
  mode: 'reflect' | 'symmetric',
  dy: Float32Array,
): Float32Array {
  const e = mode === 'reflect' ? 1 : 0;
  const src = (i: number, n: number, p0: number) => {
    const k = i - p0;
    if (k < 0) return -k - 1 + e;
    if (k >= n) return 2 * n - 1 - k - e;
    return k;
  };
  const outShape = shape.map((d, a) => d + (paddings[a]?.[0] ?? 0) + (paddings[a]?.[1] ?? 0));
  const dx = new Float32Array(shape.reduce((p, d) => p * d, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < dy.length; o++) {
    let rem = o;
    for (let a = shape.length - 1; a >= 0; a--) {
      const d = outShape[a] as number;
      idx[a] = rem % d;
      rem = Math.floor(rem / d);
    }
    let flat = 0;
    for (let a = 0; a < shape.length; a++) {
      flat = flat * (shape[a] as number) + src(idx[a] as number, shape[a] as number, paddings[a]?.[0] ?? 0);
    }
    dx[flat] = (dx[flat] as number) + (dy[o] as number);
  }
  return dx;
}

beforeAll(async () => {
  await setup();
});

describe('MirrorPad gradient', () => {
  const cases: [number[], [number, number][], 'reflect' | 'symmetric'][] = [
    [
      [2, 9, 7, 5],
      [
        [0, 0],
        [3, 3],
        [3, 3],
        [0, 0],
      ],
      'reflect',
    ],
    [
      [1, 6, 6, 3],
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'reflect',
    ],
    [
      [2, 5, 8, 3],
      [
        [0, 0],
        [2, 1],
        [0, 3],
        [0, 0],
      ],
      'reflect',
    ],
    [
      [1, 5, 6, 2],
      [
        [0, 0],
        [2, 3],
        [1, 0],
        [0, 0],
      ],
      'symmetric',
    ],
  ];
  for (const [shape, paddings, mode] of cases) {
    for (const backend of ['cpu', 'wasm'] as const) {
      it(`${backend}: ${mode} ${JSON.stringify(paddings)} on ${shape}`, () => {
        const size = shape.reduce((p, d) => p * d, 1);
        const outSize = shape.reduce((p, d, a) => p * (d + (paddings[a]?.[0] ?? 0) + (paddings[a]?.[1] ?? 0)), 1);
        const r = rand(outSize, 3);
        const got = runOn(backend, () => {
          const x = tf.tensor(rand(size, 2), shape);
          // L = Σ mirrorPad(x)·r, so dL/dx = Mᵀ·r.
          const outShape = shape.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0));
          return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(a, paddings, mode), tf.tensor(r, outShape))))(x);
        });
        const ref = refMirrorPadGrad(shape, paddings, mode, r);
        expect(relErr(got.values[0] as Float32Array, ref)).toBeLessThan(TOL);
        // The composite form (backends without the fused kernel, e.g. tfjs-node) gives the same.
        const composite = runOn(backend, () => {
          const outShape = shape.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0));
          return mirrorPadBackward(tf.tensor(r, outShape), paddings, mode);
        });
        expect(relErr(composite.values[0] as Float32Array, ref)).toBeLessThan(TOL);
      });
    }
  }

  it('runs the fused gradient kernel on wasm and cpu, and its own gradient (second order) is MirrorPad', async () => {
    const paddings: [number, number][] = [
      [0, 0],
      [2, 1],
      [1, 2],
      [0, 0],
    ];
    const shape = [2, 5, 4, 3];
    const size = 2 * 5 * 4 * 3;
    // f(w) = Σ (∂/∂x Σ mirrorPad(x·w)·u)², differentiated by w: a gradient through the gradient kernel.
    const outer = () => {
      const x = tf.tensor(rand(size, 4), shape);
      const u = tf.tensor(rand(2 * 8 * 7 * 3, 5), [2, 8, 7, 3]);
      return tf.grad((w: tf.Tensor) => {
        const gx = tf.grad((xt: tf.Tensor) =>
          tf.sum(tf.mul(tf.square(tf.mirrorPad(tf.mul(xt, w), paddings, 'reflect')), u)),
        )(x);
        return tf.sum(tf.square(gx));
      })(tf.tensor(rand(size, 6), shape));
    };
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const profile = await tf.profile(() => tf.tidy(outer).dispose());
      expect(profile.kernels.map((k) => k.name)).toContain(MIRROR_PAD_GRAD);
    }
    const { err, maxAbs } = compare(outer);
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(err).toBeLessThan(TOL);
    // Against the composite form on cpu (no fused kernel: unregistered for the comparison).
    const fusedCpu = runOn('cpu', outer).values[0] as Float32Array;
    const config = tf.getKernel(MIRROR_PAD_GRAD, 'cpu');
    tf.unregisterKernel(MIRROR_PAD_GRAD, 'cpu');
    try {
      const composite = runOn('cpu', outer).values[0] as Float32Array;
      expect(relErr(fusedCpu, composite)).toBeLessThan(TOL);
    } finally {
      if (config) tf.registerKernel(config);
    }
  });

  it('wasm matches cpu through conv + reflection pad + instance norm (variableGrads)', () => {
    const { err, maxAbs } = compare(() => {
      const w = tf.variable(tf.tensor4d(rand(7 * 7 * 3 * 5, 1), [7, 7, 3, 5]), true, 'mp_w');
      const x = tf.tensor4d(rand(2 * 11 * 9 * 3, 2), [2, 11, 9, 3]);
      const { grads } = tf.variableGrads(() => {
        const p = tf.mirrorPad(
          x,
          [
            [0, 0],
            [3, 3],
            [3, 3],
            [0, 0],
          ],
          'reflect',
        );
        const y = tf.conv2d(p, w, 1, 'valid');
        const { mean, variance } = tf.moments(y, [1, 2], true);
        const n = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-5)));
        return tf.sum(tf.mul(tf.relu(n), tf.tensor(rand(n.size, 9), n.shape))) as tf.Scalar;
      });
      const g = grads.mp_w as tf.Tensor;
      w.dispose();
      return g;
    });
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(err).toBeLessThan(TOL);
  });
});

describe('registerWasmKernelPack', () => {
  it('registers its kernels for wasm, idempotently', () => {
    const a = registerWasmKernelPack();
    const b = registerWasmKernelPack();
    expect(a).toEqual(b);
    expect(a).toContain('Conv2DBackpropFilter');
    expect(a).toContain('Conv2DBackpropInput');
    for (const k of a) expect(tf.getKernel(k, 'wasm')).toBeDefined();
    const y = () =>
      tf.conv2dTranspose(
        tf.ones([1, 3, 3, 2]) as tf.Tensor4D,
        tf.ones([3, 3, 2, 2]) as tf.Tensor4D,
        [1, 6, 6, 2],
        2,
        'same',
      );
    expect(compare(y).err).toBeLessThan(TOL);
  });

  it('keeps the tensor count flat over training steps on wasm', async () => {
    tf.setBackend('wasm');
    const w = tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 4, 1), [3, 3, 3, 4]));
    const wt = tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]));
    const x = tf.tensor4d(rand(1 * 8 * 8 * 3, 3), [1, 8, 8, 3]);
    const opt = tf.train.adam(1e-3);
    const step = () =>
      opt.minimize(() => {
        const h = tf.conv2d(
          tf.mirrorPad(
            x,
            [
              [0, 0],
              [1, 1],
              [1, 1],
              [0, 0],
            ],
            'reflect',
          ),
          w,
          2,
          'valid',
        );
        const y = tf.conv2dTranspose(h, wt, [1, 8, 8, 3], 2, 'same');
        return tf.mean(tf.square(tf.sub(y, x))) as tf.Scalar;
      });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
    wt.dispose();
    x.dispose();
    opt.dispose();
    tf.setBackend('cpu');
  });
});
