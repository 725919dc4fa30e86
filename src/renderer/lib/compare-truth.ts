// The compare screen's ground-truth tables: per direction whose truth is known, one row per
// checkpoint and one per trivial answer (src/shared/truth.ts: the input itself, B's mean colour, a
// global colour transfer), so a person sees at once whether a checkpoint does better than leaving
// the picture alone or a colour filter. A checkpoint's margin is over the best baseline by PSNR,
// the same "one to beat" as the Run screen's truth reports. A one-way checkpoint (CUT) has a row
// in the direction it does not translate too, with a note in words instead of numbers.
import type { Direction } from '../../shared/basics.ts';
import type { CompareBaselines, ComparedCheckpoint, ImageScores } from '../../shared/compare.ts';
import { BASELINE_NAMES, type BaselineName, baselineLabel } from '../../shared/truth.ts';
import { bestOf, oneWayNote } from './compare-numbers.ts';

export interface TruthRow {
  key: string;
  kind: 'checkpoint' | 'baseline';
  /** The checkpoint's label, or the baseline in words. */
  label: string;
  /** Checkpoints: their place in the comparison (the numbered badge); baselines: null. */
  index: number | null;
  scores: ImageScores | null;
  /** Checkpoints that do not translate this direction (a one-way model): why, in words ("one way: A → B only"). */
  note: string | null;
  /** Which of the row's numbers are the best of their column (over checkpoints and baselines). */
  best: { l1: boolean; psnr: boolean; ssim: boolean };
  /** Checkpoints: PSNR minus the best baseline's, in dB (positive beats every trivial answer). */
  margin: number | null;
  /** Baselines: true for the one to beat (the highest PSNR). */
  toBeat: boolean;
}

export interface TruthTable {
  direction: Direction;
  /** "A → B" */
  title: string;
  /** The domain whose images were translated, and how many. */
  source: 'A' | 'B';
  bestBaseline: BaselineName | null;
  rows: TruthRow[];
  /** How many checkpoints beat the best baseline: all, some, none (null without baselines or truth). */
  beats: 'all' | 'some' | 'none' | null;
  /** One sentence saying how the checkpoints fare against the best trivial answer. */
  verdict: string;
}

/** "+1.23 dB" or "−0.45 dB" (a real minus sign); a margin that rounds to nothing reads "±0.00 dB". */
export function formatMargin(db: number): string {
  const rounded = Math.round(db * 100) / 100;
  if (rounded === 0) return '±0.00 dB';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(2)} dB`;
}

function bestBaselineOf(baselines: Record<BaselineName, ImageScores>): BaselineName {
  return BASELINE_NAMES.reduce((a, b) => (baselines[b].psnr > baselines[a].psnr ? b : a));
}

function beatsOf(rows: TruthRow[]): TruthTable['beats'] {
  const margins = rows.flatMap((r) => (r.margin === null ? [] : [r.margin]));
  const beating = margins.filter((m) => m > 0).length;
  if (margins.length === 0) return null;
  return beating === margins.length ? 'all' : beating === 0 ? 'none' : 'some';
}

function verdict(rows: TruthRow[], best: BaselineName | null, direction: Direction): string {
  if (best === null) return 'No baselines were measured for this direction.';
  const margins = rows.flatMap((r) => (r.margin === null ? [] : [r.margin]));
  const beating = margins.filter((m) => m > 0).length;
  const words = baselineLabel(best, direction);
  if (margins.length === 0) return `The trivial answer to beat is ${words}.`;
  if (beating === 0) return `No checkpoint does better than ${words} yet: a model should beat every trivial answer.`;
  if (beating === margins.length)
    return margins.length === 1
      ? `The checkpoint does better than ${words}, the best trivial answer.`
      : `Every checkpoint does better than ${words}, the best trivial answer.`;
  return `${beating} of ${margins.length} checkpoints do better than ${words}, the best trivial answer.`;
}

function table(
  checkpoints: ComparedCheckpoint[],
  labels: string[],
  baselines: Record<BaselineName, ImageScores> | null,
  direction: Direction,
): TruthTable | null {
  const truths = checkpoints.map((c) => c.scores[direction]?.truth ?? null);
  if (!baselines && truths.every((t) => t === null)) return null;
  const best = baselines ? bestBaselineOf(baselines) : null;
  const bar = best && baselines ? baselines[best].psnr : null;
  const rows: Omit<TruthRow, 'best'>[] = [
    ...checkpoints.map((c, i) => {
      const scores = truths[i] ?? null;
      return {
        key: `checkpoint-${c.label}`,
        kind: 'checkpoint' as const,
        label: labels[i] ?? c.label,
        index: i + 1,
        scores,
        note: c.scores[direction] ? null : oneWayNote(c),
        margin: scores && bar !== null ? scores.psnr - bar : null,
        toBeat: false,
      };
    }),
    ...(baselines
      ? BASELINE_NAMES.map((name) => ({
          key: `baseline-${name}`,
          kind: 'baseline' as const,
          label: baselineLabel(name, direction),
          index: null,
          scores: baselines[name],
          note: null,
          margin: null,
          toBeat: name === best,
        }))
      : []),
  ];
  const column = (pick: (s: ImageScores) => number, better: 'lower' | 'higher') =>
    bestOf(
      rows.map((r) => (r.scores ? pick(r.scores) : null)),
      better,
    );
  const l1 = column((s) => s.l1, 'lower');
  const psnr = column((s) => s.psnr, 'higher');
  const ssim = column((s) => s.ssim, 'higher');
  const withBest = rows.map((r, i) => ({
    ...r,
    best: { l1: l1[i] === true, psnr: psnr[i] === true, ssim: ssim[i] === true },
  }));
  const source = direction === 'AtoB' ? 'A' : 'B';
  return {
    direction,
    title: direction === 'AtoB' ? 'A → B' : 'B → A',
    source,
    bestBaseline: best,
    rows: withBest,
    beats: beatsOf(withBest),
    verdict: verdict(withBest, best, direction),
  };
}

/** The tables of the directions with a ground truth (none when neither has one). */
export function truthTables(
  checkpoints: ComparedCheckpoint[],
  labels: string[],
  baselines: CompareBaselines,
): TruthTable[] {
  return (['AtoB', 'BtoA'] as const).flatMap((d) => {
    const t = table(checkpoints, labels, baselines[d], d);
    return t ? [t] : [];
  });
}
