// In-process ladder tests: vitest's `forks` pool gives this file its own process, so the
// backend that TensorFlow.js activates here cannot leak into other test files.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendInfo } from '../../../src/shared/backend.ts';
import { LADDER, selectBackend } from '../../../src/training/backend/ladder.ts';

describe('LADDER', () => {
  it('goes from the fastest backend to the last resort', () => {
    expect(LADDER).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  });
});

describe('selectBackend', () => {
  it('activates the best backend that loads and says why the better ones did not', async () => {
    const info = BackendInfo.parse(await selectBackend());
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.version).toBe(tf.version_core);
    const notInstalled = 'not installed (its libtensorflow download is optional and did not happen on this machine)';
    expect(info.fallbacks).toEqual([
      { name: 'tensorflow-gpu', reason: notInstalled },
      // This machine has no GPU: WebGPU finds at most SwiftShader, which the ladder never takes by itself.
      { name: 'webgpu', reason: expect.stringMatching(/software adapter|no WebGPU adapter/) },
      { name: 'tensorflow', reason: notInstalled },
    ]);
    // The backend computes: a small sum on the active backend.
    expect(await tf.sum(tf.tensor1d([1, 2, 3.5])).data()).toEqual(new Float32Array([6.5]));
  });

  it('activates a forced backend and no other', async () => {
    const info = await selectBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', fallbacks: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(await tf.mul(tf.tensor1d([2, 3]), 4).data())).toEqual([8, 12]);
  });

  it.each(['tensorflow', 'tensorflow-gpu'] as const)(
    'throws when the forced %s backend cannot load, without falling back',
    async (name) => {
      const before = tf.getBackend();
      await expect(selectBackend(name)).rejects.toThrow(
        `The ${name} backend was asked for but did not load: not installed`,
      );
      expect(tf.getBackend()).toBe(before);
    },
  );
});
