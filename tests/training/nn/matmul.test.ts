// matMul2d (src/training/nn/matmul.ts): on wasm a 1×1 convolution, elsewhere tf.matMul. Its values and
// both gradients equal the cpu backend's tf.matMul, with either operand transposed.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { matMul2d } from '../../../src/training/nn/matmul.ts';

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

/** Product and the gradients of Σ w ⊙ (a·b) for a and b, as plain arrays, on the active backend. */
function productAndGradients(product: typeof matMul2d, ta: boolean, tb: boolean) {
  const a = tf.randomNormal(ta ? [7, 5] : [5, 7], 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal(tb ? [3, 7] : [7, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
  const w = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
  const value = product(a, b, ta, tb);
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
    tf.sum(tf.mul(product(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb), w)),
  )([a, b]);
  const out = [value, ga, gb].map((t) => Array.from((t as tf.Tensor).dataSync()));
  tf.dispose([a, b, w, value, ga as tf.Tensor, gb as tf.Tensor]);
  return out;
}

test.each([
  [false, false],
  [false, true],
  [true, false],
  [true, true],
])('transposeA %s, transposeB %s: wasm (a 1×1 conv) equals cpu’s tf.matMul, values and gradients', async (ta, tb) => {
  await tf.setBackend('cpu');
  const expected = productAndGradients((a, b, x, y) => tf.matMul(a, b, x, y), ta, tb);
  await tf.setBackend('wasm');
  const actual = productAndGradients(matMul2d, ta, tb);
  expect(actual.map((v) => v.length)).toEqual([15, 35, 21]);
  for (const [i, values] of actual.entries())
    for (const [j, v] of values.entries()) expect(v).toBeCloseTo((expected[i] as number[])[j] as number, 4);
});

test('refuses operands whose inner sizes differ', async () => {
  await tf.setBackend('wasm');
  const a = tf.zeros([2, 3]) as tf.Tensor2D;
  const b = tf.zeros([4, 2]) as tf.Tensor2D;
  expect(() => matMul2d(a, b)).toThrow('inner sizes 3 and 4 differ');
  tf.dispose([a, b]);
});
