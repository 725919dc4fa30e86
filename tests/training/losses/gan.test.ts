// Each GAN objective on fixed logits against values worked out by hand (to 6 decimals), for the
// discriminator's two sides and the generator's side, plus the L1 used by the cycle and identity
// losses. Logits z = [−2, −0.5, 0, 1.5]; softplus(t) = log(1 + eᵗ):
//   softplus(2) = 2.126928, softplus(0.5) = 0.974077, softplus(0) = 0.693147, softplus(−1.5) = 0.201413,
//   softplus(−2) = 0.126928, softplus(−0.5) = 0.474077, softplus(1.5) = 1.701413.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { GAN_OBJECTIVES, ganLoss, generatorGanLoss, l1 } from '../../../src/training/losses/gan.ts';

const Z = [-2, -0.5, 0, 1.5];
const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};
const logits = () => tf.tensor4d(Z, [1, 2, 2, 1]);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('ganLoss and generatorGanLoss', () => {
  it('names the four objectives of the issue', () => {
    expect([...GAN_OBJECTIVES]).toEqual(['lsgan', 'vanilla', 'wgangp', 'bgan']);
  });

  it('lsgan: mean (z − 1)² for real, mean z² for fake; G uses the real target', () => {
    // (9 + 2.25 + 1 + 0.25) / 4 and (4 + 0.25 + 0 + 2.25) / 4.
    expect(value(ganLoss('lsgan', logits(), true))).toBeCloseTo(3.125, 6);
    expect(value(ganLoss('lsgan', logits(), false))).toBeCloseTo(1.625, 6);
    expect(value(generatorGanLoss('lsgan', logits()))).toBeCloseTo(3.125, 6);
  });

  it('vanilla: BCE with logits, mean softplus(−z) for real and softplus(z) for fake; G is non-saturating −log D', () => {
    // (2.126928 + 0.974077 + 0.693147 + 0.201413) / 4 and (0.126928 + 0.474077 + 0.693147 + 1.701413) / 4.
    expect(value(ganLoss('vanilla', logits(), true))).toBeCloseTo(0.998891, 5);
    expect(value(ganLoss('vanilla', logits(), false))).toBeCloseTo(0.748891, 5);
    expect(value(generatorGanLoss('vanilla', logits()))).toBeCloseTo(0.998891, 5);
  });

  it('wgangp: the critic pushes real scores up and fake ones down; G raises its scores', () => {
    // mean z = −0.25.
    expect(value(ganLoss('wgangp', logits(), true))).toBeCloseTo(0.25, 6);
    expect(value(ganLoss('wgangp', logits(), false))).toBeCloseTo(-0.25, 6);
    expect(value(generatorGanLoss('wgangp', logits()))).toBeCloseTo(0.25, 6);
  });

  it('bgan: D trains as vanilla; G minimises ½·E[(log D − log(1 − D))²] = ½·E[z²]', () => {
    expect(value(ganLoss('bgan', logits(), true))).toBeCloseTo(0.998891, 5);
    expect(value(ganLoss('bgan', logits(), false))).toBeCloseTo(0.748891, 5);
    // ½ · (4 + 0.25 + 0 + 2.25) / 4.
    expect(value(generatorGanLoss('bgan', logits()))).toBeCloseTo(0.8125, 6);
    // The same from D's probabilities, as the objective is written: log D − log(1 − D) is the logit.
    const fromProbabilities =
      Z.map((z) => {
        const d = 1 / (1 + Math.exp(-z));
        return (Math.log(d) - Math.log(1 - d)) ** 2;
      }).reduce((a, b) => a + b) / 8;
    expect(fromProbabilities).toBeCloseTo(0.8125, 10);
  });

  it('bgan: the generator is pulled towards D’s decision boundary (z = 0), not past it', () => {
    const grad = tf
      .grad((z: tf.Tensor) => generatorGanLoss('bgan', z))(tf.tensor1d(Z))
      .dataSync();
    // d/dz ½·mean z² = z / 4.
    expect([...grad].map((g) => Number(g.toFixed(6)))).toEqual(Z.map((z) => z / 4));
  });

  it('averages over every logit of a patch map and a batch', () => {
    const batch = tf.tensor4d([...Z, ...Z.map((z) => -z)], [2, 2, 2, 1]);
    // lsgan fake: mean z² is the same for z and −z.
    expect(value(ganLoss('lsgan', batch, false))).toBeCloseTo(1.625, 6);
    // wgangp: the two samples' means cancel.
    expect(value(ganLoss('wgangp', batch, true))).toBeCloseTo(0, 6);
    batch.dispose();
  });
});

describe('l1', () => {
  it('is the mean absolute difference', () => {
    const a = tf.tensor1d([1, -2, 3, 0.5]);
    const b = tf.tensor1d([0, 2, 3, -0.5]);
    // (1 + 4 + 0 + 1) / 4.
    expect(value(l1(a, b))).toBeCloseTo(1.5, 6);
    tf.dispose([a, b]);
  });
});
