import { describe, expect, it } from 'vitest';
import { splitAgreement } from '../../../src/renderer/lib/agreement.ts';
import type { MetricSeries } from '../../../src/shared/contract.ts';

const series = (loss: string, steps: number[], values: (number | null)[]): MetricSeries => ({
  loss,
  steps,
  values,
  total: steps.length,
  downsampled: false,
});

describe("a CoGAN run's agreement, apart from its losses", () => {
  it('takes the three agreement metrics out and pairs them by step', () => {
    const { losses, agreement } = splitAgreement([
      series('D_A', [1, 2, 3], [1, 0.9, 0.8]),
      series('agreement_kappa', [5, 0], [0.4, 0.1]),
      series('agreement', [0, 5], [0.6, 0.8]),
      series('agreement_chance', [0, 5], [0.5, 0.6]),
      series('G_B', [1, 2, 3], [0.7, 0.7, 0.6]),
    ]);
    expect(losses.map((s) => s.loss)).toEqual(['D_A', 'G_B']);
    expect(agreement).toEqual([
      { step: 0, agreement: 0.6, chance: 0.5, kappa: 0.1 },
      { step: 5, agreement: 0.8, chance: 0.6, kappa: 0.4 },
    ]);
  });

  it('leaves out a step with a missing or non-finite part, and a CycleGAN has none', () => {
    const { agreement } = splitAgreement([
      series('agreement', [0, 5], [0.6, null]),
      series('agreement_chance', [0, 5], [0.5, 0.6]),
      series('agreement_kappa', [0, 5], [0.1, 0.4]),
    ]);
    expect(agreement.map((p) => p.step)).toEqual([0]);
    expect(splitAgreement([series('cycle_A', [1], [0.3])]).agreement).toEqual([]);
  });
});
