import { describe, expect, it } from 'vitest';
import { parseCheckpointRefs, preselectFrom } from '../../../src/renderer/lib/checkpoint-refs.ts';
import { bestOf, compareRows } from '../../../src/renderer/lib/compare-numbers.ts';
import type { ComparedCheckpoint, DirectionScores } from '../../../src/shared/compare.ts';

function direction(
  d: 'AtoB' | 'BtoA',
  l1: number,
  psnr: number,
  truth: number | null,
  identity: number | null,
): DirectionScores {
  return {
    direction: d,
    cycle: { l1, psnr, ssim: 1 - l1 },
    identityL1: identity,
    truth: truth === null ? null : { l1: truth, psnr: 20, ssim: 0.5 },
    perImage: [],
    identityPerImage: [],
    translated: [],
    reconstructed: [],
  };
}

function checkpoint(
  step: number,
  l1: number,
  psnr: number,
  truth: number | null,
  model: 'cyclegan' | 'cogan' = 'cyclegan',
): ComparedCheckpoint {
  return {
    runId: 'r',
    step,
    label: `r:${step}`,
    cached: false,
    scores: {
      model,
      step,
      size: 16,
      AtoB: direction('AtoB', l1, psnr, truth, model === 'cogan' ? null : 0.02),
      BtoA: direction('BtoA', l1 * 2, psnr, truth, model === 'cogan' ? null : 0.02),
      agreement: model === 'cogan' ? { agreement: 0.7, chance: 0.2, kappa: 0.625 } : null,
      seconds: 1,
    },
  };
}

describe('the compare table', () => {
  it('marks the lowest or highest value, ties included, nothing when all equal or alone', () => {
    expect(bestOf([0.3, 0.1, 0.2], 'lower')).toEqual([false, true, false]);
    expect(bestOf([0.3, 0.1, 0.3], 'higher')).toEqual([true, false, true]);
    expect(bestOf([0.3, null, 0.5], 'higher')).toEqual([false, false, true]);
    expect(bestOf([0.3, 0.3], 'lower')).toEqual([false, false]);
    expect(bestOf([0.3, null], 'lower')).toEqual([false, false]);
    expect(bestOf([0.3, 0.1], null)).toEqual([false, false]);
  });

  it('has a row per number, the best checkpoint marked, rows without any value left out', () => {
    const rows = compareRows([checkpoint(10, 0.2, 18, null), checkpoint(20, 0.1, 22, null)]);
    const keys = rows.map((r) => r.key);
    expect(keys).toEqual([
      'AtoB-cycle-l1',
      'AtoB-cycle-psnr',
      'AtoB-cycle-ssim',
      'AtoB-identity',
      'BtoA-cycle-l1',
      'BtoA-cycle-psnr',
      'BtoA-cycle-ssim',
      'BtoA-identity',
    ]);
    const l1 = rows.find((r) => r.key === 'AtoB-cycle-l1');
    expect(l1?.values).toEqual([0.2, 0.1]);
    expect(l1?.best).toEqual([false, true]);
    expect(rows.find((r) => r.key === 'AtoB-cycle-ssim')?.best).toEqual([false, true]);
    expect(rows.find((r) => r.key === 'AtoB-identity')?.best).toEqual([false, false]);
    expect(l1?.format(0.12345)).toBe('0.1235');
  });

  it('adds CoGAN agreement where a checkpoint has it; the ground truth has a table of its own', () => {
    const rows = compareRows([checkpoint(10, 0.2, 18, 0.3), checkpoint(20, 0.1, 22, null, 'cogan')]);
    expect(rows.filter((r) => r.key.includes('truth'))).toEqual([]);
    expect(rows.find((r) => r.key === 'AtoB-identity')?.values).toEqual([0.02, null]);
    const kappa = rows.find((r) => r.key === 'agreement-kappa');
    expect(kappa?.values).toEqual([null, 0.625]);
    expect(rows.find((r) => r.key === 'agreement')?.format(0.7)).toBe('70.0 %');
  });
});

/** A CUT checkpoint as Compare scores it: A → B without a round trip, no B → A. */
function oneWay(step: number, identity: number): ComparedCheckpoint {
  const AtoB = { ...direction('AtoB', 0, 0, null, identity), cycle: null };
  return {
    runId: 'cut',
    step,
    label: `cut:${step}`,
    cached: false,
    scores: { model: 'cut', step, size: 16, AtoB, BtoA: null, agreement: null, seconds: 1 },
  };
}

describe('the compare table with a one-way checkpoint', () => {
  it('puts its A → B identity beside CycleGAN’s, and says “one way” instead of numbers it cannot have', () => {
    const rows = compareRows([checkpoint(10, 0.2, 18, null), oneWay(30, 0.01)]);
    expect(rows.map((r) => r.key)).toEqual([
      'AtoB-cycle-l1',
      'AtoB-cycle-psnr',
      'AtoB-cycle-ssim',
      'AtoB-identity',
      'BtoA-cycle-l1',
      'BtoA-cycle-psnr',
      'BtoA-cycle-ssim',
      'BtoA-identity',
    ]);
    const identity = rows.find((r) => r.key === 'AtoB-identity');
    expect(identity?.values).toEqual([0.02, 0.01]);
    expect(identity?.best).toEqual([false, true]);
    expect(identity?.notes).toEqual([null, null]);
    // A → B has no round trip for CUT: no value, a note, and nothing to be best against.
    const cycle = rows.find((r) => r.key === 'AtoB-cycle-l1');
    expect(cycle?.group).toBe('A → B → A');
    expect(cycle?.values).toEqual([0.2, null]);
    expect(cycle?.notes).toEqual([null, 'one way: no round trip']);
    expect(cycle?.best).toEqual([false, false]);
    // B → A: CycleGAN's numbers, CUT's cells say why they are empty.
    for (const row of rows.filter((r) => r.key.startsWith('BtoA'))) {
      expect(row.values[1]).toBeNull();
      expect(row.notes).toEqual([null, 'one way: A → B only']);
    }
    expect(rows.find((r) => r.key === 'BtoA-cycle-l1')?.values).toEqual([0.4, null]);
  });

  it('with one-way checkpoints only: A → B without cycle rows, and one B → A row that says so', () => {
    const rows = compareRows([oneWay(10, 0.03), oneWay(20, 0.01)]);
    expect(rows.map((r) => [r.key, r.group])).toEqual([
      ['AtoB-identity', 'A → B'],
      ['BtoA-none', 'B → A'],
    ]);
    const none = rows[1];
    expect(none?.values).toEqual([null, null]);
    expect(none?.notes).toEqual(['one way: A → B only', 'one way: A → B only']);
    expect(none?.best).toEqual([false, false]);
  });
});

describe('checkpoint references', () => {
  it('reads RUN:STEP, drops bad and repeated ones, keeps at most four', () => {
    expect(parseCheckpointRefs(['r1:10', 'bad', 'r1:10', 'r2:0', 'r/x:3', 'r3:1', 'r4:2', 'r5:3'])).toEqual([
      { runId: 'r1', step: 10 },
      { runId: 'r2', step: 0 },
      { runId: 'r3', step: 1 },
      { runId: 'r4', step: 2 },
    ]);
  });

  it("preselects the clicked checkpoint first, then the run's newest others", () => {
    expect(preselectFrom('r', [10, 40, 30, 20, 50], 20)).toEqual([
      { runId: 'r', step: 20 },
      { runId: 'r', step: 50 },
      { runId: 'r', step: 40 },
      { runId: 'r', step: 30 },
    ]);
  });
});
