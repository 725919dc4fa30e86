// The gradients that second-order differentiation (WGAN-GP) needs beyond tfjs's own, on cpu and on
// wasm: the ones tfjs lacks (Conv2DBackpropFilter, comparisons) and the output-based ones it gets
// wrong one order up (Tanh, Sigmoid, Exp), each against finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import {
  inputBasedGradConfigs,
  registerSecondOrderGradients,
} from '../../../src/training/losses/second-order-gradients.ts';
import { rand } from '../kernels/helpers.ts';

type Backend = 'cpu' | 'wasm';

describe.each<Backend>(['cpu', 'wasm'])('second-order gradients on %s', (backend) => {
  it('registers what tfjs lacks, once', async () => {
    await selectBackend(backend);
    for (const name of ['Conv2DBackpropFilter', 'Greater', 'LogicalNot'])
      expect(tf.getGradient(name), name).toBeDefined();
    for (const config of inputBasedGradConfigs) expect(tf.getGradient(config.kernelName)).toBe(config);
    expect(registerSecondOrderGradients()).toEqual([]);
  });

  // Conv2DBackpropFilter is bilinear in (x, dy), so f(x, dy) = Σ R ⊙ BPF(x, dy) is linear in each
  // argument and its central differences are exact up to float32 rounding, whatever the step.
  it.each([
    { stride: 2, pad: 1 as const, k: 4 },
    { stride: 1, pad: 'same' as const, k: 3 },
    { stride: 2, pad: 'valid' as const, k: 3 },
  ])('differentiates Conv2DBackpropFilter (k $k, stride $stride, pad $pad)', async ({ stride, pad, k }) => {
    await selectBackend(backend);
    const xShape: [number, number, number, number] = [2, 7, 6, 2];
    const wShape: [number, number, number, number] = [k, k, 2, 3];
    const yShape = tf.tidy(
      () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, stride, pad).shape,
    );
    const r = tf.tensor4d(
      rand(
        wShape.reduce((a, b) => a * b),
        11,
      ),
      wShape,
    );
    const w0 = tf.zeros(wShape) as tf.Tensor4D;
    const f = (x: tf.Tensor4D, dy: tf.Tensor4D) =>
      tf.sum(tf.mul(r, tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, stride, pad), dy)))(w0)));
    const xValues = rand(
      xShape.reduce((a, b) => a * b),
      12,
    );
    const dyValues = rand(
      yShape.reduce((a, b) => a * b),
      13,
    );
    const [gx, gdy] = tf.tidy(() =>
      tf
        .grads((x: tf.Tensor, dy: tf.Tensor) => f(x as tf.Tensor4D, dy as tf.Tensor4D))([
          tf.tensor4d(xValues, xShape),
          tf.tensor4d(dyValues, yShape),
        ])
        .map((g) => g.dataSync() as Float32Array),
    ) as unknown as [Float32Array, Float32Array];
    const value = (x: Float32Array, dy: Float32Array) =>
      tf.tidy(
        () =>
          f(
            tf.tensor4d(x, xShape),
            tf.tensor4d(dy, yShape as [number, number, number, number]),
          ).dataSync()[0] as number,
      );
    const check = (values: Float32Array, analytic: Float32Array, isX: boolean) => {
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < values.length; i++) {
        const plus = Float32Array.from(values);
        const minus = Float32Array.from(values);
        plus[i] = (plus[i] as number) + 0.5;
        minus[i] = (minus[i] as number) - 0.5;
        const numeric = isX
          ? value(plus, dyValues) - value(minus, dyValues)
          : value(xValues, plus) - value(xValues, minus);
        worst = Math.max(worst, Math.abs(numeric - (analytic[i] as number)));
        scale = Math.max(scale, Math.abs(numeric));
      }
      expect(scale).toBeGreaterThan(0.1);
      expect(worst / scale).toBeLessThan(1e-4);
    };
    check(xValues, gx, true);
    check(dyValues, gdy, false);
    tf.dispose([r, w0]);
  });
});

describe.each<Backend>(['cpu', 'wasm'])('input-based element-wise gradients on %s', (backend) => {
  // d/dw of d f(w·x)/dx = f'(w·x) + w·x·f''(w·x), against central differences of tf.grad in w.
  it.each([
    ['tanh', (z: tf.Tensor) => tf.tanh(z)],
    ['sigmoid', (z: tf.Tensor) => tf.sigmoid(z)],
    ['exp', (z: tf.Tensor) => tf.exp(z)],
  ] as const)('%s: a gradient of its gradient matches finite differences', async (_name, f) => {
    await selectBackend(backend);
    const xs = tf.tensor1d([0.9, -0.4, 1.3]);
    const w = tf.variable(tf.scalar(0.7));
    const inputGradientSum = (weight: tf.Tensor) => tf.sum(tf.grad((x: tf.Tensor) => tf.sum(f(tf.mul(weight, x))))(xs));
    const { value, grads } = tf.variableGrads(() => inputGradientSum(w) as tf.Scalar, [w]);
    const analytic = Object.values(grads)[0]?.dataSync()[0] as number;
    const at = (v: number) => tf.tidy(() => inputGradientSum(tf.scalar(v)).dataSync()[0] as number);
    const h = 1e-3;
    const numeric = (at(0.7 + h) - at(0.7 - h)) / (2 * h);
    expect(Math.abs(analytic - numeric)).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
    tf.dispose([xs, w, value, ...Object.values(grads)]);
  });
});
