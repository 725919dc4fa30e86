// WGAN-GP's gradient penalty and the second-order gradients it depends on, against finite
// differences computed here in double precision from float32 evaluations, on cpu and on wasm
// (whose convolution gradients are Diptych's kernel pack). Float32 central differences with steps
// of 1e-2 carry errors of ~1e-4 relative, so tolerances are a few times that.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { gradientPenalty } from '../../../src/training/losses/gradient-penalty.ts';
import { registerSecondOrderGradients } from '../../../src/training/losses/second-order-gradients.ts';
import { conv2d, instanceNorm, type Layer, leakyRelu, reflectPad, sequence } from '../../../src/training/nn/layers.ts';
import {
  createParamStore,
  disposeParams,
  type ParamStore,
  paramList,
  seedStream,
} from '../../../src/training/nn/params.ts';

type Backend = 'cpu' | 'wasm';

/** Deterministic values in [-1, 1) (mulberry32). */
function rand(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

type Activation = 'leaky' | 'smooth';

/**
 * A tiny critic with every op kind the PatchGAN critic uses (and the ResNet's reflection padding):
 * reflect pad, 3×3 conv, instance norm, LeakyReLU, 4×4 stride-2 conv, 1×1 conv to logits. std 0.5
 * keeps its input gradients of order 1, so that the penalty's (‖∇‖ − 1)² is not flat. LeakyReLU's
 * kinks make central differences wrong wherever a step crosses one (an error of ~1e-2 on the odd
 * entry at a 1e-2 step, measured), so the tight comparisons use a 'smooth' twin with tanh in its
 * place and the 'leaky' critic is held to a looser bound with a smaller step.
 */
let critics = 0;
function tinyCritic(activation: Activation): { params: ParamStore; apply: Layer } {
  // tfjs names variables globally: each critic gets its own prefix.
  const params = createParamStore(`critic${critics++}`);
  const init = { std: 0.5, nextSeed: seedStream(7) };
  const act: Layer = activation === 'leaky' ? leakyRelu : (x) => tf.tanh(x);
  const apply = sequence(
    reflectPad(1),
    conv2d(params, 'conv0', init, 3, 2, 4, 1, 0),
    instanceNorm,
    act,
    conv2d(params, 'conv1', init, 4, 4, 3, 2, 1),
    act,
    conv2d(params, 'logits', init, 1, 3, 1, 1, 0),
  );
  return { params, apply };
}

/** Central-difference step and relative tolerance per critic (see tinyCritic). */
const FD = { smooth: { h: 3e-3, tol: 1e-3 }, leaky: { h: 1e-3, tol: 1e-2 } } as const;

const SHAPE: [number, number, number, number] = [2, 6, 6, 2];
const SIZE = SHAPE.reduce((a, b) => a * b);
const ALPHA = [0.25, 0.8];

function inputs() {
  return {
    real: tf.tensor4d(rand(SIZE, 1), SHAPE),
    fake: tf.tensor4d(rand(SIZE, 2), SHAPE),
    alpha: tf.tensor4d(ALPHA, [2, 1, 1, 1]),
  };
}

/** λ·mean((‖∇ₓ D‖ − 1)²) with ∇ₓ D by central differences of Σ D(x) at x̂. */
function penaltyByFiniteDifferences(critic: Layer, lambda: number, h: number): { penalty: number; norms: number[] } {
  const real = rand(SIZE, 1);
  const fake = rand(SIZE, 2);
  const per = SIZE / 2;
  const xHat = new Float32Array(SIZE);
  for (let i = 0; i < SIZE; i++) {
    const a = ALPHA[Math.floor(i / per)] as number;
    xHat[i] = a * (real[i] as number) + (1 - a) * (fake[i] as number);
  }
  const total = (x: Float32Array) => tf.tidy(() => tf.sum(critic(tf.tensor4d(x, SHAPE))).dataSync()[0] as number);
  const squared = [0, 0];
  for (let i = 0; i < SIZE; i++) {
    const plus = Float32Array.from(xHat);
    const minus = Float32Array.from(xHat);
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    const g = (total(plus) - total(minus)) / (2 * h);
    const sample = Math.floor(i / per);
    squared[sample] = (squared[sample] as number) + g * g;
  }
  const norms = squared.map(Math.sqrt);
  const penalty = (lambda * norms.reduce((s, n) => s + (n - 1) ** 2, 0)) / norms.length;
  return { penalty, norms };
}

function penaltyValue(critic: Layer, lambda = 10): number {
  return tf.tidy(() => {
    const { real, fake, alpha } = inputs();
    return gradientPenalty(critic, real, fake, alpha, lambda).dataSync()[0] as number;
  });
}

describe.each<Backend>(['cpu', 'wasm'])('gradientPenalty on %s', (backend) => {
  it('is 0 for a critic whose input gradient has norm 1 and λ·(k − 1)² for norm k', async () => {
    await selectBackend(backend);
    // A linear critic Σ v·x has gradient v everywhere: ‖v‖ = 1 per sample gives no penalty.
    const v = tf.div(tf.ones(SHAPE), Math.sqrt(SIZE / 2));
    expect(penaltyValue((x) => tf.mul(x, v) as tf.Tensor4D)).toBeCloseTo(0, 6);
    expect(penaltyValue((x) => tf.mul(tf.mul(x, v), 3) as tf.Tensor4D)).toBeCloseTo(10 * 4, 3);
    expect(penaltyValue((x) => tf.mul(tf.mul(x, v), 3) as tf.Tensor4D, 2.5)).toBeCloseTo(2.5 * 4, 4);
    v.dispose();
  });

  it.each<Activation>(['smooth', 'leaky'])(
    'equals λ·E[(‖∇D(x̂)‖ − 1)²] with the input gradient by finite differences (%s critic)',
    async (activation) => {
      await selectBackend(backend);
      const critic = tinyCritic(activation);
      const { h, tol } = FD[activation];
      const expected = penaltyByFiniteDifferences(critic.apply, 10, h);
      // The critic is far from 1-Lipschitz at init, so the penalty is not trivially 0.
      expect(expected.penalty).toBeGreaterThan(0.5);
      expect(Math.abs(penaltyValue(critic.apply) / expected.penalty - 1)).toBeLessThan(tol);
      disposeParams(critic.params);
    },
  );

  it.each<Activation>(['smooth', 'leaky'])(
    'trains the critic: weight gradients are finite, non-zero and match finite differences (%s critic)',
    async (activation) => {
      await selectBackend(backend);
      const critic = tinyCritic(activation);
      const { h, tol } = FD[activation];
      const variables = paramList(critic.params);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.tidy(() => {
        const { real, fake, alpha } = inputs();
        return tf.variableGrads(() => gradientPenalty(critic.apply, real, fake, alpha), variables);
      });
      const analytic = Object.fromEntries(
        Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]),
      );
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);

      const prefix = critic.params.name;
      for (const key of ['conv0/kernel', 'conv1/kernel', 'logits/kernel']) {
        const name = `${prefix}/${key}`;
        const g = analytic[name] as Float32Array;
        expect(g, name).toBeDefined();
        expect(g.every(Number.isFinite), name).toBe(true);
        expect(Math.max(...g.map(Math.abs)), name).toBeGreaterThan(1e-2);
      }
      // conv0's bias is followed by instance norm, which subtracts it again: its gradient is exactly 0
      // in exact arithmetic, so float32 leaves only rounding noise.
      const conv0Bias = analytic[`${prefix}/conv0/bias`];
      if (conv0Bias) expect(Math.max(...conv0Bias.map(Math.abs))).toBeLessThan(1e-4);

      // One weight of each kernel, by central differences of the penalty itself.
      for (const [key, index] of [
        ['conv0/kernel', 5],
        ['conv1/kernel', 17],
        ['logits/kernel', 1],
        ['conv1/bias', 2],
      ] as const) {
        const name = `${prefix}/${key}`;
        const variable = critic.params.variables.get(name) as tf.Variable;
        const original = variable.dataSync().slice() as Float32Array;
        const at = (delta: number) => {
          const changed = Float32Array.from(original);
          changed[index] = (changed[index] as number) + delta;
          variable.assign(tf.tensor(changed, variable.shape));
          return penaltyValue(critic.apply);
        };
        // Richardson extrapolation of central differences at h and h/2 cancels their h² error: the
        // penalty is strongly curved in the logits' weights (the input gradient is linear in them).
        const central = (step: number) => (at(step) - at(-step)) / (2 * step);
        const numeric = (4 * central(h / 2) - central(h)) / 3;
        variable.assign(tf.tensor(original, variable.shape));
        const exact = (analytic[name] as Float32Array)[index] as number;
        expect(Math.abs(numeric - exact), `${name}[${index}]: ${exact} vs ${numeric}`).toBeLessThan(
          tol * Math.max(1, Math.abs(numeric)),
        );
      }
      disposeParams(critic.params);
    },
  );
});

describe.each<Backend>(['cpu', 'wasm'])('second-order gradients on %s', (backend) => {
  it('registers what tfjs lacks, once', async () => {
    await selectBackend(backend);
    for (const name of ['Conv2DBackpropFilter', 'Greater', 'LogicalNot'])
      expect(tf.getGradient(name), name).toBeDefined();
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
