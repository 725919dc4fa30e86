import { describe, expect, it } from 'vitest';
import { formatMargin, truthTables } from '../../../src/renderer/lib/compare-truth.ts';
import type { BaselineScores, ComparedCheckpoint, ImageScores } from '../../../src/shared/compare.ts';

const scores = (l1: number, psnr: number, ssim: number): ImageScores => ({ l1, psnr, ssim });

function checkpoint(step: number, truth: { AtoB: ImageScores | null; BtoA: ImageScores | null }): ComparedCheckpoint {
  const direction = (d: 'AtoB' | 'BtoA') => ({
    direction: d,
    cycle: scores(0.1, 20, 0.8),
    identityL1: 0.02,
    truth: truth[d],
    perImage: [],
    identityPerImage: [],
    translated: [],
    reconstructed: [],
  });
  return {
    runId: 'r',
    step,
    label: `r:${step}`,
    cached: false,
    scores: {
      model: 'cyclegan',
      step,
      size: 16,
      AtoB: direction('AtoB'),
      BtoA: direction('BtoA'),
      agreement: null,
      seconds: 1,
    },
  };
}

/** The input scores 14 dB, B's mean colour 17.5 dB (the one to beat), the colour transfer 16 dB. */
const baselines: BaselineScores = {
  input: scores(0.3, 14, 0.4),
  targetMean: scores(0.2, 17.5, 0.05),
  colourTransfer: scores(0.25, 16, 0.35),
};

describe('the ground-truth tables of Compare', () => {
  it('put the baselines in words under the checkpoints, with each checkpoint’s margin over the best', () => {
    const tables = truthTables(
      [
        checkpoint(40, { AtoB: scores(0.15, 19, 0.5), BtoA: null }),
        checkpoint(44, { AtoB: scores(0.22, 16.5, 0.3), BtoA: null }),
      ],
      ['step 40', 'step 44'],
      { AtoB: baselines, BtoA: null },
    );
    expect(tables).toHaveLength(1);
    const [table] = tables;
    expect(table?.title).toBe('A → B');
    expect(table?.source).toBe('A');
    expect(table?.bestBaseline).toBe('targetMean');
    expect(table?.rows.map((r) => [r.kind, r.label, r.index])).toEqual([
      ['checkpoint', 'step 40', 1],
      ['checkpoint', 'step 44', 2],
      ['baseline', 'the input itself', null],
      ['baseline', "B's mean colour", null],
      ['baseline', 'a global colour transfer', null],
    ]);
    expect(table?.rows.map((r) => r.margin)).toEqual([1.5, -1, null, null, null]);
    expect(table?.rows.map((r) => r.toBeat)).toEqual([false, false, false, true, false]);
    // Best of each column over every row: a baseline can hold one (here none does).
    expect(table?.rows.map((r) => r.best.psnr)).toEqual([true, false, false, false, false]);
    expect(table?.rows.map((r) => r.best.l1)).toEqual([true, false, false, false, false]);
    expect(table?.beats).toBe('some');
    expect(table?.verdict).toBe("1 of 2 checkpoints do better than B's mean colour, the best trivial answer.");
  });

  it('say so when no checkpoint beats a trivial answer, and mark the baseline that holds a column', () => {
    const [table] = truthTables([checkpoint(5, { AtoB: null, BtoA: scores(0.4, 12, 0.5) })], ['step 5'], {
      AtoB: null,
      BtoA: baselines,
    });
    expect(table?.direction).toBe('BtoA');
    expect(table?.source).toBe('B');
    expect(table?.rows[0]?.margin).toBe(-5.5);
    expect(table?.rows.find((r) => r.key === 'baseline-targetMean')?.best.psnr).toBe(true);
    expect(table?.rows[0]?.best.ssim).toBe(true);
    // B → A paints A's mean colour.
    expect(table?.rows.map((r) => r.label).slice(1)).toEqual([
      'the input itself',
      "A's mean colour",
      'a global colour transfer',
    ]);
    expect(table?.beats).toBe('none');
    expect(table?.verdict).toBe(
      "No checkpoint does better than A's mean colour yet: a model should beat every trivial answer.",
    );
    const [alone] = truthTables([checkpoint(5, { AtoB: scores(0.1, 30, 0.9), BtoA: null })], ['step 5'], {
      AtoB: baselines,
      BtoA: null,
    });
    expect(alone?.beats).toBe('all');
    expect(alone?.verdict).toBe("The checkpoint does better than B's mean colour, the best trivial answer.");
  });

  it('give a one-way checkpoint its A → B row beside the others, and a note instead of numbers in B → A', () => {
    const cut: ComparedCheckpoint = (() => {
      const c = checkpoint(7, { AtoB: scores(0.12, 21, 0.6), BtoA: null });
      return {
        ...c,
        label: 'cut:7',
        scores: { ...c.scores, model: 'cut', AtoB: { ...c.scores.AtoB, cycle: null }, BtoA: null },
      };
    })();
    const tables = truthTables(
      [checkpoint(40, { AtoB: scores(0.15, 19, 0.5), BtoA: scores(0.2, 18, 0.4) }), cut],
      ['CycleGAN · 40', 'CUT · 7'],
      { AtoB: baselines, BtoA: baselines },
    );
    expect(tables.map((t) => t.direction)).toEqual(['AtoB', 'BtoA']);
    const [atob, btoa] = tables;
    // A → B: both checkpoints measured and marked, CUT the best.
    expect(atob?.rows.slice(0, 2).map((r) => [r.label, r.scores?.psnr, r.margin, r.note])).toEqual([
      ['CycleGAN · 40', 19, 1.5, null],
      ['CUT · 7', 21, 3.5, null],
    ]);
    expect(atob?.rows[1]?.best.psnr).toBe(true);
    expect(atob?.beats).toBe('all');
    // B → A: CUT has a row that says why it has no numbers; the verdict counts CycleGAN alone.
    expect(btoa?.rows.slice(0, 2).map((r) => [r.label, r.scores, r.margin, r.note])).toEqual([
      ['CycleGAN · 40', scores(0.2, 18, 0.4), 0.5, null],
      ['CUT · 7', null, null, 'one way: A → B only'],
    ]);
    expect(btoa?.rows[1]?.best).toEqual({ l1: false, psnr: false, ssim: false });
    expect(btoa?.beats).toBe('all');
    expect(btoa?.verdict).toBe("The checkpoint does better than A's mean colour, the best trivial answer.");
  });

  it('leave out the directions without a ground truth', () => {
    expect(truthTables([checkpoint(5, { AtoB: null, BtoA: null })], ['step 5'], { AtoB: null, BtoA: null })).toEqual(
      [],
    );
  });

  it('write a margin with its sign', () => {
    expect(formatMargin(1.234)).toBe('+1.23 dB');
    expect(formatMargin(-0.456)).toBe('−0.46 dB');
    expect(formatMargin(0.001)).toBe('±0.00 dB');
  });
});
