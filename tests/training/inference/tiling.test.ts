// Tiling geometry: tiles cover the padded canvas, overlap by at least what was asked, start at
// multiples of the network's multiple, and the feather weights never leave a pixel uncovered.
import { describe, expect, it } from 'vitest';
import { reflectIndex } from '../../../src/training/inference/rgb-image.ts';
import { featherRamp, padToMultiple, planTiles } from '../../../src/training/inference/tiling.ts';

describe('reflectIndex', () => {
  it('reflects without repeating the edge, as often as needed', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(reflectIndex(-7, 3)).toBe(1);
    expect(reflectIndex(5, 1)).toBe(0);
  });
});

describe('padToMultiple', () => {
  it('pads to the next multiple, half before', () => {
    expect(padToMultiple(37, 4)).toEqual({ canvas: 40, before: 1 });
    expect(padToMultiple(40, 4)).toEqual({ canvas: 40, before: 0 });
    expect(padToMultiple(1, 256)).toEqual({ canvas: 256, before: 127 });
  });
});

describe('planTiles', () => {
  it('covers a 6000×4000 photo with aligned tiles that overlap by at least the overlap', () => {
    const grid = planTiles(4000, 6000, 384, 48, 4);
    expect(grid.canvasHeight).toBe(4000);
    expect(grid.canvasWidth).toBe(6000);
    for (const [origins, canvas] of [
      [grid.tops, grid.canvasHeight],
      [grid.lefts, grid.canvasWidth],
    ] as const) {
      expect(origins[0]).toBe(0);
      expect((origins.at(-1) as number) + 384).toBe(canvas);
      for (const at of origins) expect(at % 4).toBe(0);
      for (let i = 1; i < origins.length; i++) {
        const shared = (origins[i - 1] as number) + 384 - (origins[i] as number);
        expect(shared).toBeGreaterThanOrEqual(48);
        expect(shared).toBeLessThan(384);
      }
    }
    expect(grid.lefts.length).toBe(18);
    expect(grid.tops.length).toBe(12);
  });

  it('uses one tile, clipped to the canvas, when the image is smaller than a tile', () => {
    const grid = planTiles(30, 50, 64, 16, 4);
    expect(grid).toMatchObject({
      canvasHeight: 32,
      canvasWidth: 52,
      tileHeight: 32,
      tileWidth: 52,
      tops: [0],
      lefts: [0],
    });
  });

  it('refuses tiles that are not multiples, or overlaps that leave no stride', () => {
    expect(() => planTiles(100, 100, 30, 8, 4)).toThrow(/multiple of 4/);
    expect(() => planTiles(100, 100, 32, 32, 4)).toThrow(/below the tile side/);
    expect(() => planTiles(1000, 1000, 256, 200, 128)).toThrow(/smaller overlap/);
  });
});

describe('featherRamp', () => {
  it('ignores the outer quarter of an overlap, ramps over the middle half, and is 1 elsewhere', () => {
    const ramp = Array.from(featherRamp(16, 8, true, false));
    expect(ramp.slice(0, 2)).toEqual([0, 0]);
    expect(ramp.slice(2, 6)).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(ramp.slice(6)).toEqual(Array(10).fill(1));
    expect(Array.from(featherRamp(16, 8, false, true))).toEqual([...ramp].reverse());
    expect(Array.from(featherRamp(5, 8, false, false))).toEqual([1, 1, 1, 1, 1]);
  });

  it('leaves no pixel of an overlap without weight', () => {
    const grid = planTiles(1, 203, 64, 16, 4);
    const cover = new Float32Array(grid.canvasWidth);
    grid.lefts.forEach((left, i) => {
      const ramp = featherRamp(grid.tileWidth, 16, i > 0, i < grid.lefts.length - 1);
      ramp.forEach((w, x) => {
        cover[left + x] = (cover[left + x] as number) + w;
      });
    });
    expect(Math.min(...cover)).toBeGreaterThan(0);
  });
});
