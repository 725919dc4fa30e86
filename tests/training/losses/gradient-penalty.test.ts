// WGAN-GP's gradient penalty against finite differences computed here in double precision from
// float32 evaluations, on cpu and on wasm (whose convolution gradients are Diptych's kernel pack):
// its value against the input gradient's norm, and its gradient with respect to the critic's
// weights (a gradient of a gradient) against differences of the penalty itself.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { gradientPenalty } from '../../../src/training/losses/gradient-penalty.ts';
import { conv2d, instanceNorm, type Layer, leakyRelu, reflectPad, sequence } from '../../../src/training/nn/layers.ts';
import {
  createParamStore,
  disposeParams,
  type ParamStore,
  paramList,
  seedStream,
} from '../../../src/training/nn/params.ts';
import { rand } from '../kernels/helpers.ts';

type Backend = 'cpu' | 'wasm';

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
