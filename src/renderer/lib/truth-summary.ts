// The Run screen's "distance to the right answer": a run on data with a known ground truth (the
// sample folders) is scored at the start and at each checkpoint (src/shared/truth.ts). This turns
// those reports into what a person reads: before → now in dB, the best trivial answer named in
// words, and whether the model beats it.
import { BASELINE_LABELS, BASELINE_NAMES, type TruthReport } from '../../shared/truth.ts';
import { formatDb, formatGain } from '../../shared/truth-text.ts';

export { formatDb, formatGain };

/** Reports by step, one per step; a later one for a step replaces the earlier (a resumed run scores again). */
export function mergeTruth(known: readonly TruthReport[], incoming: readonly TruthReport[]): TruthReport[] {
  const byStep = new Map<number, TruthReport>();
  for (const report of [...known, ...incoming]) byStep.set(report.step, report);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Whether the model beats the best trivial answer, in words: "the model beats it by +1.8 dB". */
export function verdictText(gainDb: number): string {
  return gainDb > 0 ? `the model beats it by ${formatGain(gainDb)}` : `the model is behind it (${formatGain(gainDb)})`;
}

export function formatSsim(value: number): string {
  return value.toFixed(2);
}

export interface BaselineLine {
  name: string;
  label: string;
  psnr: number;
  ssim: number;
  best: boolean;
}

export interface TruthSummary {
  /** The first report (step 0: the untrained model) and the latest; the same report before any checkpoint. */
  first: TruthReport;
  latest: TruthReport;
  /** "before training", or "at step 400" for a run whose first report came later. */
  firstLabel: string;
  /** Whether a checkpoint has been scored since the first report. */
  trained: boolean;
  /** The best trivial answer at the latest report, in words, and its scores. */
  best: BaselineLine;
  /** The latest model's dB minus the best trivial answer's: positive when the model beats it. */
  gainDb: number;
  beats: boolean;
  baselines: BaselineLine[];
}

export function summarizeTruth(reports: readonly TruthReport[]): TruthSummary | null {
  const sorted = mergeTruth([], reports);
  const first = sorted[0];
  const latest = sorted.at(-1);
  if (!first || !latest) return null;
  const baselines = BASELINE_NAMES.map((name) => ({
    name,
    label: BASELINE_LABELS[name],
    psnr: latest.baselines[name].psnr,
    ssim: latest.baselines[name].ssim,
    best: name === latest.best,
  }));
  const best = baselines.find((line) => line.best) ?? baselines[0];
  if (!best) return null;
  return {
    first,
    latest,
    firstLabel: first.step === 0 ? 'before training' : `at step ${first.step.toLocaleString()}`,
    trained: latest.step > first.step,
    best,
    gainDb: latest.gainDb,
    beats: latest.gainDb > 0,
    baselines,
  };
}
