// No leaks: the tensor count after 100 training iterations on wasm equals the count after the
// first (a leak of one tensor per step would show as +99).
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createCycleGanNetworks, disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { createImagePool } from '../../../src/training/cyclegan/pool.ts';
import { createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';

test('the tensor count stays flat over 100 iterations (with image pools)', { timeout: 120_000 }, async () => {
  await selectBackend('wasm');
  const nets = createCycleGanNetworks({
    generator: 'resnet_6blocks',
    discriminator: 'n_layers',
    nLayersD: 2,
    ngf: 4,
    ndf: 4,
    seed: 1,
  });
  let draw = 0;
  const random = () => {
    draw = (draw * 9301 + 49297) % 233280;
    return draw / 233280;
  };
  const pools = { A: createImagePool(5, random), B: createImagePool(5, random) };
  const stepper = createCycleGanStepper(nets, {
    objective: 'lsgan',
    lambdaA: 10,
    lambdaB: 10,
    lambdaIdentity: 0.5,
    learningRate: 2e-4,
    beta1: 0.5,
    poolA: (fake) => pools.A.query(fake),
    poolB: (fake) => pools.B.query(fake),
  });
  const a = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const b = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
  // The pools fill during the first five steps; count from there.
  for (let i = 0; i < 5; i++) await stepper.step(a, b);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 100; i++) await stepper.step(a, b);
  expect(tf.memory().numTensors).toBe(before);
  stepper.dispose();
  pools.A.dispose();
  pools.B.dispose();
  disposeNetworks(nets);
  tf.dispose([a, b]);
});
