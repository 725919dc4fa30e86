// The CoGAN step and its preview: the step leaves no tensors behind (for every objective), trains
// only what it should, and the preview grid puts G_A(z) and G_B(z) of the same code side by side.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCoGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { coganNetworksForConfig, disposeCoGanNetworks } from '../../../src/training/cogan/networks.ts';
import { renderCoGanGrid } from '../../../src/training/cogan/previews.ts';
import { createCoGanStepper } from '../../../src/training/cogan/step.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const config = (ganMode: 'vanilla' | 'lsgan' | 'wgangp' | 'bgan', weightDecay = 0) =>
  buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 2, ndf: 2, zDim: 8, ganMode, nCritic: 2, weightDecay });

describe('CoGAN step', () => {
  test.each(['vanilla', 'lsgan', 'wgangp', 'bgan'] as const)(
    '%s: finite losses, tensor count flat',
    async (ganMode) => {
      const nets = coganNetworksForConfig(config(ganMode));
      let draws = 0;
      const stepper = createCoGanStepper(nets, {
        objective: ganMode,
        learningRate: 2e-4,
        beta1: 0.5,
        weightDecay: 0,
        nCritic: 2,
        latent: (_, n) => tf.randomNormal([n, 8], 0, 1, 'float32', draws++) as tf.Tensor2D,
      });
      const realA = tf.randomUniform([3, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const realB = tf.randomUniform([3, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      await stepper.step(realA, realB);
      const after1 = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const losses = await stepper.step(realA, realB);
        expect(Object.keys(losses)).toEqual(['D_A', 'D_B', 'G_A', 'G_B']);
        for (const value of Object.values(losses)) expect(Number.isFinite(value)).toBe(true);
      }
      expect(tf.memory().numTensors).toBe(after1);
      // Critic iterations and the generators' step each draw their own codes.
      expect(draws).toBe(4 * (ganMode === 'wgangp' ? 3 : 2));
      tf.dispose([realA, realB]);
      stepper.dispose();
      disposeCoGanNetworks(nets);
    },
  );

  test('weight decay shrinks the weights beyond what the same step does without it', async () => {
    const norms: number[] = [];
    for (const weightDecay of [0, 0.5]) {
      const nets = coganNetworksForConfig(config('vanilla', weightDecay));
      const stepper = createCoGanStepper(nets, {
        objective: 'vanilla',
        learningRate: 1e-2,
        beta1: 0.5,
        weightDecay,
        latent: (i, n) => tf.randomNormal([n, 8], 0, 1, 'float32', 10 + i) as tf.Tensor2D,
      });
      const realA = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const realB = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      for (let i = 0; i < 5; i++) await stepper.step(realA, realB);
      const kernel = [...nets.G.stores.G_shared.variables.values()][0] as tf.Variable;
      const norm = tf.tidy(() => tf.sum(tf.square(kernel)).dataSync()[0] as number);
      tf.dispose([realA, realB]);
      stepper.dispose();
      disposeCoGanNetworks(nets);
      norms.push(norm);
    }
    expect(norms[1]).toBeLessThan((norms[0] as number) * 0.9);
  });
});

test('the preview grid: [G_A(z) | G_B(z)] per code, four pairs to a row, empty cells black', async () => {
  const nets = coganNetworksForConfig(config('vanilla'));
  const z = tf.randomNormal([5, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
  const grid = renderCoGanGrid(nets.G, z);
  expect(grid.shape).toEqual([64, 4 * 64, 3]);
  const toBytes = (x: tf.Tensor) =>
    tf.tidy(() => Array.from(tf.clipByValue(tf.round(tf.mul(tf.add(x, 1), 127.5)), 0, 255).dataSync()));
  const cell = (row: number, column: number, half: 0 | 1) =>
    Array.from(tf.tidy(() => tf.slice(grid, [row * 32, column * 64 + half * 32, 0], [32, 32, 3]).dataSync()));
  const code = (i: number) => tf.slice(z, [i, 0], [1, -1]) as tf.Tensor2D;
  expect(cell(0, 2, 0)).toEqual(toBytes(nets.G.generate(code(2), 'A')));
  expect(cell(0, 2, 1)).toEqual(toBytes(nets.G.generate(code(2), 'B')));
  expect(cell(1, 0, 1)).toEqual(toBytes(nets.G.generate(code(4), 'B')));
  expect(new Set(cell(1, 3, 0))).toEqual(new Set([0]));
  tf.dispose([z, grid]);
  disposeCoGanNetworks(nets);
});
