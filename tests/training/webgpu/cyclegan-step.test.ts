// One full CycleGAN step on webgpu equals the same step on the cpu backend: the eight losses and the
// gradient of every generator and discriminator weight (captured where the step hands them to Adam),
// with the networks, inputs and seeds alike. This is the check that the whole training path (reflection
// pads and their gradient, 7×7/strided/transposed convolutions, instance norm, LSGAN, L1, Adam's
// inputs) is right on WebGPU, whatever kernels serve it.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { createCycleGanNetworks, disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { type CycleGanLosses, createCycleGanStepper } from '../../../src/training/cyclegan/step.ts';
import { captureGradients, compareGradients, onBackend, startWebGpuForTests } from './webgpu-available.ts';

const webgpu = await startWebGpuForTests();

async function oneStep(): Promise<{ losses: CycleGanLosses; gradients: Map<string, Float32Array> }> {
  const nets = createCycleGanNetworks({
    generator: 'resnet_6blocks',
    discriminator: 'n_layers',
    nLayersD: 2,
    ngf: 4,
    ndf: 4,
    seed: 3,
  });
  const stepper = createCycleGanStepper(nets, {
    objective: 'lsgan',
    lambdaA: 10,
    lambdaB: 10,
    lambdaIdentity: 0.5,
    learningRate: 2e-4,
    beta1: 0.5,
  });
  const capture = captureGradients(stepper.optimizers);
  // Odd-sized inputs, batch 2: 20 px goes 20 → 10 → 5 in the generator and through PatchGAN's strides.
  const realA = tf.randomUniform([2, 20, 20, 3], -1, 1, 'float32', 11) as tf.Tensor4D;
  const realB = tf.randomUniform([2, 20, 20, 3], -1, 1, 'float32', 12) as tf.Tensor4D;
  const losses = await stepper.step(realA, realB);
  const gradients = await capture.read();
  tf.dispose([realA, realB]);
  stepper.dispose();
  disposeNetworks(nets);
  return { losses, gradients };
}

describe.skipIf(webgpu.reason !== null)('a CycleGAN step on webgpu', () => {
  test('gives the cpu backend’s losses and gradients (< 1e-4 relative)', { timeout: 240_000 }, async () => {
    const expected = await onBackend('cpu', oneStep);
    const actual = await onBackend('webgpu', oneStep);
    for (const [name, value] of Object.entries(expected.losses)) {
      const got = actual.losses[name as keyof CycleGanLosses];
      expect(Math.abs(got - value), name).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
    }
    // Every weight of both generators and both discriminators has a gradient.
    expect(expected.gradients.size).toBeGreaterThan(40);
    const { worst, nonZero, missing } = compareGradients(actual.gradients, expected.gradients);
    console.info(`worst gradient: ${worst.name}, relative error ${worst.error.toExponential(2)}`);
    expect(missing).toEqual([]);
    expect(nonZero).toEqual([]);
    expect(worst.error, worst.name).toBeLessThan(1e-4);
  });
});
