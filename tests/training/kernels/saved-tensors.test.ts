// The engine's saves for backprop without an Identity kernel (kernels/saved-tensors.ts): the same
// gradients of first and second order, the same tensor counts, and no Identity call left, on wasm and cpu.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAliasingSaves, uninstallAliasingSaves } from '../../../src/training/kernels/saved-tensors.ts';
import { rand, relErr, setup } from './helpers.ts';

beforeAll(async () => {
  await setup();
});

afterAll(() => {
  installAliasingSaves();
});

const x = () => tf.tensor4d(rand(2 * 6 * 6 * 3, 1), [2, 6, 6, 3]);
const w = () => tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]), true, `saved_w_${Math.random()}`);

/** A small conv + tanh + square loss: its gradient saves inputs (conv, square) and an output (tanh). */
function loss(input: tf.Tensor4D, filter: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.tanh(tf.conv2d(input, filter as tf.Tensor4D, 1, 'same'))));
}

/** dL/dw, and the gradient of ‖dL/dx‖² with respect to w (a gradient of a gradient, as WGAN-GP takes). */
function gradients(): Float32Array[] {
  const filter = w();
  const input = x();
  const out = tf.tidy(() => {
    const first = tf.variableGrads(() => loss(input, filter), [filter as tf.Variable]).grads;
    const second = tf.variableGrads(() => {
      const dx = tf.grad((a: tf.Tensor) => loss(a as tf.Tensor4D, filter))(input);
      return tf.sum(tf.square(dx)) as tf.Scalar;
    }, [filter as tf.Variable]).grads;
    return [first[filter.name] as tf.Tensor, second[filter.name] as tf.Tensor].map((t) => t.dataSync() as Float32Array);
  });
  filter.dispose();
  input.dispose();
  return out;
}

describe.each(['wasm', 'cpu'] as const)('aliasing saves on %s', (backend) => {
  it('give the gradients tfjs-core’s clone gives, of first and second order', async () => {
    await tf.setBackend(backend);
    uninstallAliasingSaves();
    const stock = gradients();
    installAliasingSaves();
    const aliased = gradients();
    expect(stock[1]?.some((v) => v !== 0)).toBe(true);
    for (const [i, reference] of stock.entries()) expect(relErr(aliased[i] as Float32Array, reference)).toBe(0);
  });

  it('leave the tensor count where it was and run no Identity kernel', async () => {
    await tf.setBackend(backend);
    installAliasingSaves();
    const filter = w();
    const input = x();
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => loss(input, filter), [filter as tf.Variable]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(profile.kernels.map((k) => k.name)).not.toContain('Identity');
    expect(profile.kernels.length).toBeGreaterThan(3);
    filter.dispose();
    input.dispose();
  });
});
