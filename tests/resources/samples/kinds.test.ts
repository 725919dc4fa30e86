import { describe, expect, it } from 'vitest';
import { paletteMap, renderSample, SAMPLE_KIND_HELP, SAMPLE_KINDS } from '../../../resources/samples/kinds.ts';

describe('paletteMap', () => {
  it('maps (R, G, B) to (255 − B, R, G) and is invertible', () => {
    expect(paletteMap(10, 20, 30)).toEqual([225, 10, 20]);
    const seen = new Set<string>();
    for (let r = 0; r < 256; r += 15)
      for (let g = 0; g < 256; g += 15)
        for (let b = 0; b < 256; b += 15) {
          const [x, y, z] = paletteMap(r, g, b);
          expect([y, z, 255 - x]).toEqual([r, g, b]);
          seen.add(`${x},${y},${z}`);
        }
    expect(seen.size).toBe(18 ** 3);
  });
});

describe('renderSample', () => {
  it('has help for every kind', () => {
    expect(Object.keys(SAMPLE_KIND_HELP).sort()).toEqual([...SAMPLE_KINDS].sort());
  });

  it.each(SAMPLE_KINDS)('%s: deterministic, sized, with truth as the B look of A', (kind) => {
    const size = 16;
    const one = renderSample(kind, 5, 2, size);
    const two = renderSample(kind, 5, 2, size);
    expect(one).toEqual(two);
    for (const image of [one.a, one.b, one.truth]) expect(image).toHaveLength(size * size * 3);
    expect(renderSample(kind, 5, 3, size).a).not.toEqual(one.a);
    expect(renderSample(kind, 6, 2, size).a).not.toEqual(one.a);
    expect(one.b).not.toEqual(one.truth);
  });

  it('does not depend on the image size for which scene is drawn', () => {
    // Index i at 8 px and at 16 px is the same scene: the mean colour stays close.
    const mean = (pixels: Uint8Array) => pixels.reduce((sum, value) => sum + value, 0) / pixels.length;
    const small = renderSample('stripes', 1, 4, 16).a;
    const large = renderSample('stripes', 1, 4, 64).a;
    expect(Math.abs(mean(small) - mean(large))).toBeLessThan(6);
  });
});
