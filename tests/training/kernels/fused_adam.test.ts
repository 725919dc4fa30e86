// FusedAdamOptimizer (the one-pass DiptychAdam kernel) against tfjs's own AdamOptimizer: same weights,
// same moments after several steps, on wasm and on cpu, and the same optimiser state for checkpoints.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ADAM, fusedAdam } from '../../../src/training/kernels/fused_adam.ts';
import { rand, relErr, setup } from './helpers.ts';

beforeAll(async () => {
  await setup();
});

/** Three Adam steps on two weights with fixed gradients; returns weights and moments. */
function train(make: () => tf.AdamOptimizer, prefix: string): { values: Float32Array[]; names: string[] } {
  const shapes = [[3, 3, 4, 5], [7]];
  const vars = shapes.map((s, i) =>
    tf.tidy(() => tf.variable(tf.tensor(rand(tf.util.sizeFromShape(s), 10 + i), s), true, `${prefix}_w${i}`)),
  );
  const opt = make();
  for (let step = 0; step < 3; step++) {
    // The list form, as src/training/cyclegan/step.ts passes them.
    const grads = vars.map((v, i) => ({
      name: v.name,
      tensor: tf.tidy(() => tf.mul(tf.tensor(rand(v.size, 100 * step + i), v.shape), step === 1 ? 1e-3 : 1)),
    }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const state = opt as unknown as {
    accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
    accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  };
  const moments = [...state.accumulatedFirstMoment, ...state.accumulatedSecondMoment];
  const values = [...vars, ...moments.map((m) => m.variable)].map((t) => t.dataSync() as Float32Array);
  const names = moments.map((m) => m.originalName.replace(prefix, 'P'));
  expect(opt.iterations).toBe(3);
  opt.dispose();
  for (const v of vars) v.dispose();
  return { values, names };
}

describe('FusedAdamOptimizer', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches tf.train.adam on ${backend} (weights and moments after 3 steps)`, async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const ref = train(() => tf.train.adam(0.01, 0.5, 0.999), `ref_${backend}`);
      const got = train(() => fusedAdam(0.01, 0.5, 0.999), `fused_${backend}`);
      expect(tf.getKernel(FUSED_ADAM, backend)).toBeDefined();
      expect(got.names).toEqual(ref.names);
      ref.values.forEach((r, i) => {
        expect(relErr(got.values[i] as Float32Array, r)).toBeLessThan(1e-5);
      });
      // The weights really moved (lr 0.01 × 3 steps).
      const w0 = rand(180, 10);
      expect(relErr(ref.values[0] as Float32Array, w0)).toBeGreaterThan(0.01);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
    });
  }
});
