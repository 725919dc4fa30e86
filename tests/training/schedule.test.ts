// The learning-rate schedules against values worked out by hand from the reference's
// get_scheduler (epoch = 0-based index of the epoch being trained; see schedule.ts).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/training/backend/ladder.ts';
import {
  learningRateAt,
  learningRateAtStep,
  learningRateOf,
  planSchedule,
  scheduleEpochAt,
  setLearningRate,
} from '../../src/training/schedule.ts';

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

  it('linear never goes below 0, past its end too', () => {
    const schedule = { policy: 'linear', lr: 2e-4, nEpochs: 5, nEpochsDecay: 5 } as const;
    expect(learningRateAt(schedule, 10)).toBe(0);
    expect(learningRateAt(schedule, 11)).toBe(0);
    expect(learningRateAt(schedule, 1000)).toBe(0);
  });

  it('refuses an epoch that is not a whole number ≥ 0', () => {
    const schedule = { policy: 'linear', lr: 1, nEpochs: 1, nEpochsDecay: 1 } as const;
    expect(() => learningRateAt(schedule, -1)).toThrow(/epoch -1/);
    expect(() => learningRateAt(schedule, 0.5)).toThrow(/epoch 0.5/);
  });
});

describe('planSchedule and learningRateAtStep', () => {
  const tiny = { policy: 'linear', lr: 2e-4, nEpochs: 5, nEpochsDecay: 5 } as const;

  it('within the schedule: one schedule epoch per data epoch, as learningRateAt', () => {
    const plan = planSchedule(tiny, 120, null);
    expect(plan).toMatchObject({ totalSteps: 1200, scheduleSteps: 1200, stretched: false, note: null });
    for (const step of [0, 599, 600, 719, 720, 1199]) {
      expect(learningRateAtStep(plan, step)).toBe(learningRateAt(tiny, Math.floor(step / 120)));
    }
    // A run shorter than its schedule stops early; the schedule is not compressed.
    const short = planSchedule(tiny, 120, 300);
    expect(short).toMatchObject({ totalSteps: 300, stretched: false, note: null });
    expect(learningRateAtStep(short, 299)).toBe(2e-4);
  });

  it('the issue’s run: --steps 3000 on 120 images stretches 5 + 5 epochs to 300 steps each', () => {
    const plan = planSchedule(tiny, 120, 3000);
    expect(plan).toMatchObject({ totalSteps: 3000, scheduleSteps: 1200, stretched: true });
    expect(plan.note).toMatch(
      /3000 steps is longer than the learning-rate schedule \(5 \+ 5 epochs of 120 steps = 1200/,
    );
    expect(plan.note).toMatch(/full rate to step 1500/);
    const rates = Array.from({ length: 3000 }, (_, step) => learningRateAtStep(plan, step));
    expect(rates.every((r) => r > 0)).toBe(true);
    // The constant part and the decay keep their 1:1 ratio: full rate for 1500 steps, then five
    // stages of 300 steps at 5/6, 4/6 … 1/6 of it.
    expect(rates.slice(0, 1500).every((r) => r === 2e-4)).toBe(true);
    for (let k = 0; k < 5; k++) {
      const stage = rates.slice(1500 + 300 * k, 1800 + 300 * k);
      expect(new Set(stage).size).toBe(1);
      expect(stage[0]).toBeCloseTo((2e-4 * (5 - k)) / 6, 15);
    }
    expect(scheduleEpochAt(plan, 2999)).toBe(9);
    // Past the run's end (never trained) it stays on the last epoch, still positive.
    expect(learningRateAtStep(plan, 5000)).toBeCloseTo(2e-4 / 6, 15);
  });

  it('a length that is not a multiple of the schedule: whole-number epochs, the ratio kept', () => {
    const plan = planSchedule({ policy: 'linear', lr: 1, nEpochs: 1, nEpochsDecay: 2 }, 2, 10);
    expect(plan.stretched).toBe(true);
    const epochs = Array.from({ length: 10 }, (_, step) => scheduleEpochAt(plan, step));
    expect(epochs).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const rates = Array.from({ length: 10 }, (_, step) => learningRateAtStep(plan, step));
    expect(rates.map((r) => Number(r.toPrecision(12)))).toEqual(
      [1, 1, 1, 1, 2 / 3, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 1 / 3].map((r) => Number(r.toPrecision(12))),
    );
  });

  it('cosine is stretched too: it anneals over the whole run', () => {
    const plan = planSchedule({ policy: 'cosine', lr: 1, nEpochs: 2, nEpochsDecay: 2 }, 10, 80);
    expect(plan.stretched).toBe(true);
    expect(plan.note).toMatch(/annealed/);
    expect(learningRateAtStep(plan, 0)).toBe(1);
    expect(learningRateAtStep(plan, 40)).toBeCloseTo(0.5, 15);
    expect(learningRateAtStep(plan, 79)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
  });

  it('step has no end and is never stretched', () => {
    const schedule = { policy: 'step', lr: 1, nEpochs: 1, nEpochsDecay: 1, decayEvery: 2 } as const;
    const plan = planSchedule(schedule, 10, 100);
    expect(plan).toMatchObject({ stretched: false, note: null });
    expect(learningRateAtStep(plan, 99)).toBeCloseTo(1e-4, 15);
  });

  it('a schedule of no length (0 + 0 epochs with maxSteps) trains at the full rate', () => {
    const plan = planSchedule({ policy: 'linear', lr: 2e-4, nEpochs: 0, nEpochsDecay: 0 }, 4, 20);
    expect(plan.totalSteps).toBe(20);
    expect(plan.note).toMatch(/no length/);
    expect(learningRateAtStep(plan, 0)).toBe(2e-4);
    expect(learningRateAtStep(plan, 19)).toBe(2e-4);
  });

  it('is a pure function of the schedule, the epoch length and maxSteps (what resume relies on)', () => {
    const a = planSchedule(tiny, 7, 333);
    const b = planSchedule({ ...tiny }, 7, 333);
    for (let step = 0; step < 333; step++) expect(learningRateAtStep(b, step)).toBe(learningRateAtStep(a, step));
    expect(() => planSchedule(tiny, 0, 10)).toThrow(/epoch length/);
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
