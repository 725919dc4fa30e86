import { describe, expect, it } from 'vitest';
import { minMaxBuckets } from '../../../src/main/store/downsample.ts';

function series(n: number, f: (i: number) => number | null) {
  const steps = Array.from({ length: n }, (_, i) => i);
  return { steps, values: steps.map(f) };
}

describe('minMaxBuckets', () => {
  it('returns a short series as it is', () => {
    const { steps, values } = series(10, (i) => i * 2);
    expect(minMaxBuckets(steps, values, 2000)).toEqual({ steps, values });
  });

  it('never returns more than maxPoints, at any length, with steps ascending', () => {
    for (const n of [2001, 4999, 100_000, 1_000_003]) {
      const { steps, values } = series(n, (i) => Math.sin(i / 37));
      const out = minMaxBuckets(steps, values, 2000);
      expect(out.steps.length).toBeLessThanOrEqual(2000);
      expect(out.steps.length).toBeGreaterThan(1900);
      for (let i = 1; i < out.steps.length; i++) expect(out.steps[i]).toBeGreaterThan(out.steps[i - 1] as number);
      expect(out.values.length).toBe(out.steps.length);
    }
  });

  it('keeps every isolated spike and trough at the step where it happened', () => {
    const spikes = new Map([
      [12_345, 50],
      [500_000, -40],
      [999_999, 99],
    ]);
    const { steps, values } = series(1_000_000, (i) => spikes.get(i) ?? 1 + (i % 7) * 0.01);
    const out = minMaxBuckets(steps, values, 2000);
    for (const [step, value] of spikes) {
      const at = out.steps.indexOf(step);
      expect(at, `step ${step}`).toBeGreaterThanOrEqual(0);
      expect(out.values[at]).toBe(value);
    }
    expect(Math.max(...(out.values as number[]))).toBe(99);
    expect(Math.min(...(out.values as number[]))).toBe(-40);
  });

  it('handles sparse steps (one row every 100 steps) and leaves a gap for non-finite values', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => i * 100);
    const values = steps.map((s) => (s >= 500_000 && s < 510_000 ? null : s / 1000));
    const out = minMaxBuckets(steps, values, 1000);
    expect(out.steps.length).toBeLessThanOrEqual(1000);
    expect(out.values).toContain(null);
    expect(out.steps[0]).toBe(0);
    expect(out.steps.at(-1)).toBe(999_900);
  });

  it('refuses fewer than two points', () => {
    expect(() => minMaxBuckets([1, 2, 3], [1, 2, 3], 1)).toThrow(/at least 2/);
  });
});
