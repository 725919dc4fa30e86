// The compare screen's table: one row per number of docs/COMPARE.md, one column per checkpoint,
// and which cells hold the best value of their row. Rows no checkpoint has a value for (no CoGAN
// agreement, no identity pass) are left out rather than shown as a row of dashes. The numbers
// against a ground truth have their own table (compare-truth.ts), beside the trivial baselines.
import type { Direction } from '../../shared/basics.ts';
import type { ComparedCheckpoint, DirectionScores } from '../../shared/compare.ts';

export type Better = 'lower' | 'higher' | null;

export interface NumberRow {
  key: string;
  /** The pass it belongs to ("A → B → A"), or the agreement group. */
  group: string;
  label: string;
  help: string;
  better: Better;
  values: (number | null)[];
  /** One flag per checkpoint: the best value of the row (ties all marked; none when all equal). */
  best: boolean[];
  format: (value: number) => string;
}

export const formatL1 = (v: number) => v.toFixed(4);
export const formatPsnr = (v: number) => `${v.toFixed(2)} dB`;
export const formatSsim = (v: number) => v.toFixed(3);
const percent = (v: number) => `${(v * 100).toFixed(1)} %`;
const kappa = (v: number) => v.toFixed(3);

/** Marks the best of the values that exist; nothing when fewer than two exist or all are equal. */
export function bestOf(values: (number | null)[], better: Better): boolean[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const none = values.map(() => false);
  if (better === null || present.length < 2) return none;
  const target = better === 'lower' ? Math.min(...present) : Math.max(...present);
  if (present.every((v) => v === target)) return none;
  return values.map((v) => v === target);
}

function row(
  key: string,
  group: string,
  label: string,
  help: string,
  better: Better,
  values: (number | null)[],
  format: (value: number) => string,
): NumberRow {
  return { key, group, label, help, better, values, best: bestOf(values, better), format };
}

function directionRows(checkpoints: ComparedCheckpoint[], direction: Direction): NumberRow[] {
  const group = direction === 'AtoB' ? 'A → B → A' : 'B → A → B';
  const source = direction === 'AtoB' ? 'A' : 'B';
  const of = (pick: (scores: DirectionScores) => number | null) => checkpoints.map((c) => pick(c.scores[direction]));
  const rows = [
    row(
      `${direction}-cycle-l1`,
      group,
      'cycle L1',
      `Mean difference between each ${source} image and its round trip: lower is better.`,
      'lower',
      of((s) => s.cycle.l1),
      formatL1,
    ),
    row(
      `${direction}-cycle-psnr`,
      group,
      'cycle PSNR',
      'The same pair as a signal-to-noise ratio (100 dB means identical): higher is better.',
      'higher',
      of((s) => s.cycle.psnr),
      formatPsnr,
    ),
    row(
      `${direction}-cycle-ssim`,
      group,
      'cycle SSIM',
      'Structural similarity of the same pair (1 is identical): higher is better.',
      'higher',
      of((s) => s.cycle.ssim),
      formatSsim,
    ),
    row(
      `${direction}-identity`,
      group,
      'identity L1',
      `How much the generator changes images already in the target domain: lower is better. CoGAN has no such pass.`,
      'lower',
      of((s) => s.identityL1),
      formatL1,
    ),
  ];
  return rows.filter((r) => r.values.some((v) => v !== null));
}

function agreementRows(checkpoints: ComparedCheckpoint[]): NumberRow[] {
  const group = 'CoGAN agreement';
  const of = (pick: (a: { agreement: number; chance: number; kappa: number }) => number) =>
    checkpoints.map((c) => (c.scores.agreement ? pick(c.scores.agreement) : null));
  if (checkpoints.every((c) => c.scores.agreement === null)) return [];
  return [
    row(
      'agreement',
      group,
      'pixel agreement',
      'Share of pixels where the A and B images drawn from the same code match under the known relation: higher is better.',
      'higher',
      of((a) => a.agreement),
      percent,
    ),
    row(
      'agreement-chance',
      group,
      'by chance',
      'The same share for codes that were not paired: what an uncoupled pair would reach.',
      null,
      of((a) => a.chance),
      percent,
    ),
    row(
      'agreement-kappa',
      group,
      'κ',
      'Agreement beyond chance: 0 for an uncoupled pair, 1 for a perfect one. Higher is better.',
      'higher',
      of((a) => a.kappa),
      kappa,
    ),
  ];
}

export function compareRows(checkpoints: ComparedCheckpoint[]): NumberRow[] {
  return [...directionRows(checkpoints, 'AtoB'), ...directionRows(checkpoints, 'BtoA'), ...agreementRows(checkpoints)];
}
