// The fused instance norm (DiptychInstanceNorm and its gradient kernel) on wasm and cpu against the
// composite tfjs-ops norm on tfjs-backend-cpu: outputs and input gradients, odd sizes, batch > 1.
// Also the aliasing Identity/Cast of the wasm pack, and the composite fallback for second order.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { INSTANCE_NORM, withCompositeInstanceNorm } from '../../../src/training/kernels/instance_norm.ts';
import { compositeInstanceNorm, instanceNorm } from '../../../src/training/nn/layers.ts';
import { rand, relErr, runOn, setup, TOL } from './helpers.ts';

beforeAll(async () => {
  await setup();
});

const shapes: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 5, 7, 3],
  [3, 9, 4, 17],
  [1, 16, 16, 128],
];

/** y and dL/dx for L = Σ y·u (u fixed), with x scaled and shifted so that μ and σ are not 0 and 1. */
function normAndGrad(norm: (x: tf.Tensor4D) => tf.Tensor4D, shape: [number, number, number, number], seed: number) {
  return () => {
    const size = tf.util.sizeFromShape(shape);
    const x = tf.add(tf.mul(tf.tensor(rand(size, seed), shape), 3), 0.7) as tf.Tensor4D;
    const u = tf.tensor(rand(size, seed + 1), shape);
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(norm(t as tf.Tensor4D), u)))(x);
    return [norm(x), grad, value];
  };
}

describe('fused instance norm', () => {
  for (const shape of shapes) {
    for (const backend of ['wasm', 'cpu'] as const) {
      it(`matches the composite norm on cpu for ${JSON.stringify(shape)} on ${backend}`, () => {
        const ref = runOn('cpu', withCompositeNorm(normAndGrad(compositeInstanceNorm, shape, 3)));
        const got = runOn(backend, normAndGrad(instanceNorm, shape, 3));
        expect(got.shapes).toEqual(ref.shapes);
        ref.values.forEach((r, i) => {
          expect(relErr(got.values[i] as Float32Array, r)).toBeLessThan(TOL);
        });
        // Bites: a 1×1 map normalises to 0; otherwise the output has unit spread per channel.
        const y = got.values[0] as Float32Array;
        const spread = Math.max(...Array.from(y, Math.abs));
        expect(spread).toBeGreaterThan(shape[1] * shape[2] > 1 ? 0.5 : -1);
        tf.setBackend('cpu');
      });
    }
  }

  it('runs the fused kernel on wasm and cpu, and no kernel copies the tensors it saves', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const x = tf.tensor(rand(2 * 6 * 5 * 4, 9), [2, 6, 5, 4]) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        tf.grad((t: tf.Tensor) => tf.sum(instanceNorm(t as tf.Tensor4D)))(x).dispose();
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain(INSTANCE_NORM);
      expect(names).not.toContain('Mean');
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
    await tf.setBackend('cpu');
  });

  it('refuses a second-order gradient with a clear message, and takes it in the composite form', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(rand(1 * 4 * 3 * 2, 5), [1, 4, 3, 2]) as tf.Tensor4D;
    const w = tf.tensor(rand(1 * 4 * 3 * 2, 6), [1, 4, 3, 2]);
    const u = tf.tensor(rand(1 * 4 * 3 * 2, 7), [1, 4, 3, 2]);
    // d/dw ‖∇ₓ Σ norm(x·w)·u‖², a gradient of a gradient through the norm.
    const outer = () =>
      tf.grad((wt: tf.Tensor) => {
        const gx = tf.grad((xt: tf.Tensor) => tf.sum(tf.mul(instanceNorm(tf.mul(xt, wt) as tf.Tensor4D), u)))(x);
        return tf.sum(tf.square(gx));
      })(w);
    expect(() => tf.tidy(outer)).toThrow(/withCompositeInstanceNorm/);
    const fusedBackend = tf.tidy(() => withCompositeInstanceNorm(outer).dataSync());
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => withCompositeInstanceNorm(outer).dataSync());
    expect(relErr(fusedBackend, ref)).toBeLessThan(TOL);
    expect(Math.max(...Array.from(ref, Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([x, w, u]);
  });
});

describe('wasm Identity / Cast aliases', () => {
  it('clones and same-dtype casts share the buffer, stay valid after the source is gone, and free it last', async () => {
    await tf.setBackend('wasm');
    const bytesBefore = tf.memory().numBytes;
    const x = tf.tensor([1.5, -2, 3.25, 4], [2, 2]);
    const c = tf.clone(x);
    const k = tf.cast(x, 'float32');
    const i = tf.cast(x, 'int32');
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1.5, -2, 3.25, 4]);
    expect(Array.from(k.dataSync())).toEqual([1.5, -2, 3.25, 4]);
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3, 4]);
    expect(i.dtype).toBe('int32');
    tf.dispose([c, k, i]);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    await tf.setBackend('cpu');
  });
});

function withCompositeNorm<T>(f: () => T): () => T {
  return () => withCompositeInstanceNorm(f);
}
