// The compare screen's table: one row per number of docs/COMPARE.md, one column per checkpoint,
// and which cells hold the best value of their row. Rows no checkpoint has a value for (no CoGAN
// agreement, no identity pass) are left out rather than shown as a row of dashes. A one-way
// checkpoint (CUT) has its A → B numbers beside the others' but no round trip, and no B → A: its
// cells there carry a note in words instead of a number. The numbers against a ground truth have
// their own table (compare-truth.ts), beside the trivial baselines.
import type { Direction } from '../../shared/basics.ts';
import type { ComparedCheckpoint, DirectionScores } from '../../shared/compare.ts';
import { MODELS } from '../../shared/models.ts';

export type Better = 'lower' | 'higher' | null;

export interface NumberRow {
  key: string;
  /** The pass it belongs to ("A → B → A"), or the agreement group. */
  group: string;
  label: string;
  help: string;
  better: Better;
  values: (number | null)[];
  /**
   * One per checkpoint: why it has no value, in words, where that is its model's nature (a one-way
   * model's missing direction or round trip), shown muted instead of a dash; null otherwise.
   */
  notes: (string | null)[];
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
  notes: (string | null)[] = values.map(() => null),
): NumberRow {
  return { key, group, label, help, better, values, notes, best: bestOf(values, better), format };
}

const arrow = (d: Direction) => (d === 'AtoB' ? 'A → B' : 'B → A');

/** "one way: A → B only", for a checkpoint whose model translates one direction. */
export function oneWayNote(checkpoint: ComparedCheckpoint): string {
  return `one way: ${MODELS[checkpoint.scores.model].directions.map(arrow).join(', ')} only`;
}

function directionRows(checkpoints: ComparedCheckpoint[], direction: Direction): NumberRow[] {
  const anyCycle = checkpoints.some((c) => c.scores[direction]?.cycle);
  // The pass the group is named after: the round trip where some checkpoint makes it.
  const group = anyCycle ? (direction === 'AtoB' ? 'A → B → A' : 'B → A → B') : arrow(direction);
  const source = direction === 'AtoB' ? 'A' : 'B';
  const of = (pick: (scores: DirectionScores) => number | null) =>
    checkpoints.map((c) => {
      const scores = c.scores[direction];
      return scores ? pick(scores) : null;
    });
  // A checkpoint without this direction says so in every row; one without a way back in the cycle rows.
  const missing = checkpoints.map((c) => (c.scores[direction] ? null : oneWayNote(c)));
  const noCycle = checkpoints.map(
    (c, i) => missing[i] ?? (c.scores[direction]?.cycle ? null : 'one way: no round trip'),
  );
  const cycleOf = (pick: (cycle: NonNullable<DirectionScores['cycle']>) => number) =>
    of((s) => (s.cycle ? pick(s.cycle) : null));
  const rows = [
    row(
      `${direction}-cycle-l1`,
      group,
      'cycle L1',
      `Mean difference between each ${source} image and its round trip: lower is better.`,
      'lower',
      cycleOf((c) => c.l1),
      formatL1,
      noCycle,
    ),
    row(
      `${direction}-cycle-psnr`,
      group,
      'cycle PSNR',
      'The same pair as a signal-to-noise ratio (100 dB means identical): higher is better.',
      'higher',
      cycleOf((c) => c.psnr),
      formatPsnr,
      noCycle,
    ),
    row(
      `${direction}-cycle-ssim`,
      group,
      'cycle SSIM',
      'Structural similarity of the same pair (1 is identical): higher is better.',
      'higher',
      cycleOf((c) => c.ssim),
      formatSsim,
      noCycle,
    ),
    row(
      `${direction}-identity`,
      group,
      'identity L1',
      `How much the generator changes images already in the target domain: lower is better. CoGAN has no such pass.`,
      'lower',
      of((s) => s.identityL1),
      formatL1,
      missing,
    ),
  ];
  // No checkpoint translates this way (only one-way ones compared): one row says so, in words.
  if (missing.every((note) => note !== null))
    return [
      row(
        `${direction}-none`,
        arrow(direction),
        'translation',
        `None of these checkpoints translates ${arrow(direction)}.`,
        null,
        missing.map(() => null),
        formatL1,
        missing,
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
