// A CoGAN run records its pixel agreement in the metrics table beside the losses
// (src/training/cogan/trainer.ts: agreement, agreement_chance, agreement_kappa). The run screen
// shows it on its own, not as three more curves among the losses: it is a score in [0, 1].
import type { MetricSeries } from '../../shared/contract.ts';

export interface AgreementPoint {
  step: number;
  agreement: number;
  chance: number;
  kappa: number;
}

const NAMES = ['agreement', 'agreement_chance', 'agreement_kappa'];

export function isAgreementMetric(name: string): boolean {
  return NAMES.includes(name);
}

/** The losses, and the agreement as one point per step where all three numbers are known. */
export function splitAgreement(series: MetricSeries[]): { losses: MetricSeries[]; agreement: AgreementPoint[] } {
  const losses = series.filter((s) => !isAgreementMetric(s.loss));
  const byName = new Map(series.filter((s) => isAgreementMetric(s.loss)).map((s) => [s.loss, s]));
  const valueAt = (name: string) => {
    const s = byName.get(name);
    const map = new Map<number, number>();
    s?.steps.forEach((step, i) => {
      const v = s.values[i];
      if (v !== null && v !== undefined) map.set(step, v);
    });
    return map;
  };
  const agreement = valueAt('agreement');
  const chance = valueAt('agreement_chance');
  const kappa = valueAt('agreement_kappa');
  const points: AgreementPoint[] = [];
  for (const [step, k] of [...kappa].sort((a, b) => a[0] - b[0])) {
    const a = agreement.get(step);
    const c = chance.get(step);
    if (a !== undefined && c !== undefined) points.push({ step, agreement: a, chance: c, kappa: k });
  }
  return { losses, agreement: points };
}
