import { describe, expect, it } from 'vitest';
import { hashIntegers, keyedRandom, mulberry32 } from '../../../src/training/data/random.ts';

const take = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe('keyed randomness', () => {
  it('is a pure function of its key', () => {
    expect(take(keyedRandom(42, 7, 1), 5)).toEqual(take(keyedRandom(42, 7, 1), 5));
    expect(take(keyedRandom(42, 7, 1), 5)).not.toEqual(take(keyedRandom(42, 8, 1), 5));
    expect(take(keyedRandom(42, 7, 1), 5)).not.toEqual(take(keyedRandom(42, 7, 2), 5));
    expect(take(keyedRandom(42, 7, 1), 5)).not.toEqual(take(keyedRandom(43, 7, 1), 5));
  });

  it('keeps the high bits of large seeds and indices, and takes negative seeds', () => {
    const big = 2 ** 40;
    expect(hashIntegers(big + 1)).not.toBe(hashIntegers(1));
    expect(hashIntegers(-1)).not.toBe(hashIntegers(1));
    expect(hashIntegers(Number.MAX_SAFE_INTEGER)).toBeGreaterThanOrEqual(0);
    expect(() => hashIntegers(1.5)).toThrow(/whole numbers/);
    expect(() => hashIntegers(Number.NaN)).toThrow(/whole numbers/);
  });

  it('spreads draws evenly over [0, 1), also across neighbouring keys', () => {
    const values = take(mulberry32(123), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    // The first draw of consecutive sample keys: what picks B and flips; must not be correlated with k.
    const firsts = Array.from({ length: 10_000 }, (_, k) => keyedRandom(5, k, 1)());
    const buckets = new Array(10).fill(0);
    for (const v of firsts) buckets[Math.floor(v * 10)]++;
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});
