import { describe, expect, it } from 'vitest';
import { between, createRandom, pick, streamSeed } from '../../../resources/samples/random.ts';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs for another', () => {
    const a = createRandom(123);
    const b = createRandom(123);
    const c = createRandom(124);
    const seqA = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(seqA);
    expect(Array.from({ length: 100 }, c)).not.toEqual(seqA);
  });

  it('gives the same numbers on every machine (mulberry32 reference values)', () => {
    const random = createRandom(1);
    // The widely published first output of mulberry32 for seed 1.
    expect(random()).toBe(0.6270739405881613);
  });

  it('stays in [0, 1) and spreads over it', () => {
    const random = createRandom(99);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('streamSeed', () => {
  it('depends on seed, stream and index, and on nothing else', () => {
    expect(streamSeed(1, 'stripes/A', 3)).toBe(streamSeed(1, 'stripes/A', 3));
    const seeds = new Set([
      streamSeed(1, 'stripes/A', 3),
      streamSeed(2, 'stripes/A', 3),
      streamSeed(1, 'stripes/B', 3),
      streamSeed(1, 'stripes/A', 4),
      streamSeed(1, 'palette/A', 3),
    ]);
    expect(seeds.size).toBe(5);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});

describe('between and pick', () => {
  it('stay within their bounds and reach every item', () => {
    const random = createRandom(5);
    for (let i = 0; i < 1000; i++) {
      const value = between(random, -2, 3);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThan(3);
    }
    const picked = new Set(Array.from({ length: 200 }, () => pick(random, ['x', 'y', 'z'] as const)));
    expect([...picked].sort()).toEqual(['x', 'y', 'z']);
  });
});
