// One CoGAN step on webgpu equals the same step on the cpu backend: the four losses and the gradient
// of every weight of the coupled generators and discriminators (shared trunk and tail, per-domain heads
// and stems), the latent codes drawn alike.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { buildCoGanConfig } from '../../../src/shared/run-config.ts';
import { coganNetworksForConfig, disposeCoGanNetworks } from '../../../src/training/cogan/networks.ts';
import { type CoGanLosses, createCoGanStepper } from '../../../src/training/cogan/step.ts';
import { captureGradients, compareGradients, onBackend, startWebGpuForTests } from './webgpu-available.ts';

const webgpu = await startWebGpuForTests();

async function oneStep(): Promise<{ losses: CoGanLosses; gradients: Map<string, Float32Array> }> {
  const config = buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 4, ndf: 4, zDim: 8, ganMode: 'vanilla' });
  const nets = coganNetworksForConfig(config);
  const stepper = createCoGanStepper(nets, {
    objective: 'vanilla',
    learningRate: 2e-4,
    beta1: 0.5,
    weightDecay: 5e-4,
    latent: (i, n) => tf.randomNormal([n, 8], 0, 1, 'float32', 40 + i) as tf.Tensor2D,
  });
  const capture = captureGradients(stepper.optimizers);
  const size = nets.G.imageSize;
  const realA = tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 21) as tf.Tensor4D;
  const realB = tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 22) as tf.Tensor4D;
  const losses = await stepper.step(realA, realB);
  const gradients = await capture.read();
  tf.dispose([realA, realB]);
  stepper.dispose();
  disposeCoGanNetworks(nets);
  return { losses, gradients };
}

describe.skipIf(webgpu.reason !== null)('a CoGAN step on webgpu', () => {
  test('gives the cpu backend’s losses and gradients (< 1e-4 relative)', { timeout: 240_000 }, async () => {
    const expected = await onBackend('cpu', oneStep);
    const actual = await onBackend('webgpu', oneStep);
    for (const [name, value] of Object.entries(expected.losses)) {
      const got = actual.losses[name as keyof CoGanLosses];
      expect(Math.abs(got - value), name).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
    }
    expect(expected.gradients.size).toBeGreaterThan(10);
    const { worst, nonZero, missing } = compareGradients(actual.gradients, expected.gradients);
    console.info(`worst gradient: ${worst.name}, relative error ${worst.error.toExponential(2)}`);
    expect(missing).toEqual([]);
    expect(nonZero).toEqual([]);
    expect(worst.error, worst.name).toBeLessThan(1e-4);
  });
});
