// One CUT step and one FastCUT step (and a CUT step with the U-Net) on webgpu equal the same steps on
// the cpu backend: the losses and the gradient of every weight of G, D and F. CUT adds to CycleGAN's
// path the encoder features taken at five layers, the gather of sampled patch locations, the MLP heads
// with their L2 normalisation and the PatchNCE cross-entropy: this checks them on WebGPU (SwiftShader
// here), whatever kernels serve them.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import type { CutLosses } from '../../../src/training/cut/step.ts';
import { ARCH, oneStep, optionsFor, UNET_ARCH } from '../cut/one-step.ts';
import { compareGradients, onBackend, startWebGpuForTests } from './webgpu-available.ts';

const webgpu = await startWebGpuForTests();

describe.skipIf(webgpu.reason !== null)('a CUT step on webgpu', () => {
  test.each([
    ['CUT', 'cut', undefined, ARCH],
    ['FastCUT, mirrored', 'fastcut', 0.1, ARCH],
    ['CUT with a U-Net', 'cut', undefined, UNET_ARCH],
  ] as const)(
    '%s gives the cpu backend’s losses and gradients (< 1e-4 relative; the pixel head < 1e-3)',
    { timeout: 300_000 },
    async (label, mode, first, arch) => {
      const expected = await onBackend('cpu', () => oneStep(optionsFor(mode, first), arch));
      const actual = await onBackend('webgpu', () => oneStep(optionsFor(mode, first), arch));
      for (const [name, value] of Object.entries(expected.losses)) {
        const got = actual.losses[name as keyof CutLosses];
        expect(Math.abs(got - value), name).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
      }
      expect(new Set([...expected.gradients.keys()].map((name) => name.split(':')[0]))).toEqual(
        new Set(['G', 'D', 'F']),
      );
      // The head on raw pixels (F/mlp0, 3 inputs per patch) gets gradients that are sums of 512 patches'
      // terms of both signs, mostly cancelling: measured at 7e-5 (kernel) and 6e-3 (bias) of the step's
      // largest gradient. SwiftShader's exp/sqrt round differently from the cpu backend's, and the
      // cancellation turns that into 2–4e-4 relative error (wasm: under 1e-5). It is bounded at 1e-3 on
      // its own; every other weight at 1e-4.
      const pixelHead = (name: string) => name.startsWith('F:F/mlp0/');
      const only = (keep: (name: string) => boolean, gradients: Map<string, Float32Array>) =>
        new Map([...gradients].filter(([name]) => keep(name)));
      const others = (name: string) => !pixelHead(name);
      const rest = compareGradients(only(others, actual.gradients), only(others, expected.gradients));
      const head = compareGradients(only(pixelHead, actual.gradients), only(pixelHead, expected.gradients));
      console.info(
        `${label} on webgpu: worst gradient ${rest.worst.name}, relative error ${rest.worst.error.toExponential(2)}; pixel head ${head.worst.error.toExponential(2)}`,
      );
      for (const { nonZero, missing } of [rest, head]) {
        expect(missing).toEqual([]);
        expect(nonZero).toEqual([]);
      }
      expect(head.worst.name).not.toBe('');
      expect(rest.worst.error, rest.worst.name).toBeLessThan(1e-4);
      expect(head.worst.error, head.worst.name).toBeLessThan(1e-3);
      expect(tf.getBackend()).toBe('cpu');
    },
  );
});
