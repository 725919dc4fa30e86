// The learning-rate schedules against values worked out by hand from the reference's
// get_scheduler (epoch = 0-based index of the epoch being trained; see schedule.ts).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/training/backend/ladder.ts';
import { learningRateAt, learningRateOf, setLearningRate } from '../../src/training/schedule.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

const along = (schedule: Parameters<typeof learningRateAt>[0], epochs: number) =>
  Array.from({ length: epochs }, (_, epoch) => learningRateAt(schedule, epoch));

describe('learningRateAt', () => {
  it('linear: constant for nEpochs, then lr·(1 − k/(nEpochsDecay + 1)) for the k-th decay epoch', () => {
    const rates = along({ policy: 'linear', lr: 1, nEpochs: 2, nEpochsDecay: 3 }, 6);
    expect(rates).toEqual([1, 1, 0.75, 0.5, 0.25, 0]);
  });

  it('linear with the paper’s 100 + 100 epochs: full rate through epoch 99, lr/101 in the last epoch', () => {
    const schedule = { policy: 'linear', lr: 2e-4, nEpochs: 100, nEpochsDecay: 100 } as const;
    expect(learningRateAt(schedule, 0)).toBe(2e-4);
    expect(learningRateAt(schedule, 99)).toBe(2e-4);
    expect(learningRateAt(schedule, 100)).toBeCloseTo(2e-4 * (100 / 101), 15);
    expect(learningRateAt(schedule, 150)).toBeCloseTo(2e-4 * (50 / 101), 15);
    expect(learningRateAt(schedule, 199)).toBeCloseTo(2e-4 / 101, 15);
    expect(learningRateAt(schedule, 200)).toBe(0);
  });

  it('step: ×0.1 every decayEvery epochs (50 when not given)', () => {
    const rates = along({ policy: 'step', lr: 1, nEpochs: 10, nEpochsDecay: 0, decayEvery: 2 }, 5);
    expect(rates.map((r) => Number(r.toPrecision(12)))).toEqual([1, 1, 0.1, 0.1, 0.01]);
    const byDefault = { policy: 'step', lr: 2e-4, nEpochs: 100, nEpochsDecay: 100 } as const;
    expect(learningRateAt(byDefault, 49)).toBe(2e-4);
    expect(learningRateAt(byDefault, 50)).toBeCloseTo(2e-5, 15);
    expect(() => learningRateAt({ ...byDefault, decayEvery: 0 }, 1)).toThrow(/decayEvery/);
  });

  it('cosine: from lr at epoch 0 to 0 at nEpochs + nEpochsDecay', () => {
    const schedule = { policy: 'cosine', lr: 1, nEpochs: 2, nEpochsDecay: 2 } as const;
    expect(learningRateAt(schedule, 0)).toBe(1);
    expect(learningRateAt(schedule, 1)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15);
    expect(learningRateAt(schedule, 2)).toBeCloseTo(0.5, 15);
    expect(learningRateAt(schedule, 3)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
    expect(learningRateAt(schedule, 4)).toBe(0);
    expect(learningRateAt(schedule, 9)).toBe(0);
  });

  it('refuses an epoch that is not a whole number ≥ 0', () => {
    const schedule = { policy: 'linear', lr: 1, nEpochs: 1, nEpochsDecay: 1 } as const;
    expect(() => learningRateAt(schedule, -1)).toThrow(/epoch -1/);
    expect(() => learningRateAt(schedule, 0.5)).toThrow(/epoch 0.5/);
  });
});

describe('setLearningRate', () => {
  it('changes the rate of the next Adam step and keeps the moments', () => {
    // d(x)/dx = 1 every step: Adam's bias-corrected update is then exactly lr (m̂/√v̂ = 1, ε aside).
    const x = tf.variable(tf.scalar(0));
    const optimizer = tf.train.adam(0.1, 0.5, 0.999, 1e-12);
    const step = () => {
      const before = x.dataSync()[0] as number;
      optimizer.minimize(() => x.clone() as tf.Scalar);
      return before - (x.dataSync()[0] as number);
    };
    expect(step()).toBeCloseTo(0.1, 5);
    setLearningRate(optimizer, 0.01);
    expect(learningRateOf(optimizer)).toBe(0.01);
    expect(step()).toBeCloseTo(0.01, 6);
    expect(optimizer.iterations).toBe(2);
    setLearningRate(optimizer, 0);
    expect(step()).toBe(0);
    expect(() => setLearningRate(optimizer, Number.NaN)).toThrow(/not a finite number/);
    optimizer.dispose();
    x.dispose();
  });
});
