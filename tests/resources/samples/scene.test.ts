import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../resources/samples/random.ts';
import { contains, depthInside, type Rgb, randomScene, type Shape } from '../../../resources/samples/scene.ts';

const palette: readonly Rgb[] = [
  [1, 0, 0],
  [0, 1, 0],
];

function shape(kind: Shape['kind'], rotation = 0): Shape {
  return { kind, cx: 0.5, cy: 0.5, radius: 0.2, rotation, colour: [1, 0, 0] };
}

describe('contains', () => {
  it('circle: inside within the radius, outside beyond it', () => {
    expect(contains(shape('circle'), 0.5, 0.5)).toBe(true);
    expect(contains(shape('circle'), 0.69, 0.5)).toBe(true);
    expect(contains(shape('circle'), 0.71, 0.5)).toBe(false);
    expect(contains(shape('circle'), 0.64, 0.64)).toBe(true); // 0.198 from the centre
    expect(contains(shape('circle'), 0.65, 0.65)).toBe(false); // 0.212
  });

  it('square: half-side 0.8 radius, corners included, turned by its rotation', () => {
    expect(contains(shape('square'), 0.5 + 0.15, 0.5 + 0.15)).toBe(true);
    expect(contains(shape('square'), 0.5 + 0.17, 0.5)).toBe(false);
    // Turned 45°, the corner direction now lies along the axis: (0.2, 0) is inside, (0.15, 0.15) is not.
    expect(contains(shape('square', Math.PI / 4), 0.5 + 0.2, 0.5)).toBe(true);
    expect(contains(shape('square', Math.PI / 4), 0.5 + 0.15, 0.5 + 0.15)).toBe(false);
  });

  it('triangle: the centre inside, points beyond its base or apex outside', () => {
    expect(contains(shape('triangle'), 0.5, 0.5)).toBe(true);
    expect(contains(shape('triangle'), 0.5, 0.5 - 0.11)).toBe(false); // below the base at v = -0.5
    expect(contains(shape('triangle'), 0.5, 0.5 + 0.19)).toBe(true); // just under the apex
    expect(contains(shape('triangle'), 0.5, 0.5 + 0.21)).toBe(false);
    expect(contains(shape('triangle'), 0.5 + 0.15, 0.5 + 0.15)).toBe(false); // off a slanted side
  });
});

describe('depthInside', () => {
  it('is the distance to the nearest edge inside, negative outside', () => {
    // Circle of radius 0.2 at the centre: 0.2 deep at its centre, 0.05 at 0.15 from it.
    expect(depthInside(shape('circle'), 0.5, 0.5)).toBeCloseTo(0.2, 6);
    expect(depthInside(shape('circle'), 0.65, 0.5)).toBeCloseTo(0.05, 6);
    expect(depthInside(shape('circle'), 0.75, 0.5)).toBeLessThan(0);
    // Square of half-side 0.8·0.2 = 0.16: 0.06 deep at 0.1 from the centre along x.
    expect(depthInside(shape('square'), 0.6, 0.5)).toBeCloseTo(0.06, 6);
    // Triangle: the base lies 0.5·r below the centre (v = −0.5), the inradius is 0.5·r.
    expect(depthInside(shape('triangle'), 0.5, 0.5)).toBeCloseTo(0.1, 6);
  });
});

describe('randomScene', () => {
  it('is deterministic and keeps its values in range', () => {
    expect(randomScene(createRandom(3), palette)).toEqual(randomScene(createRandom(3), palette));
    for (let seed = 0; seed < 200; seed++) {
      const scene = randomScene(createRandom(seed), palette);
      expect(scene.shapes.length).toBeGreaterThanOrEqual(1);
      expect(scene.shapes.length).toBeLessThanOrEqual(3);
      for (const channel of scene.background) expect(channel >= 0.7 && channel <= 0.95).toBe(true);
      for (const s of scene.shapes) {
        expect(palette).toContainEqual(s.colour);
        expect(s.cx >= 0.25 && s.cx <= 0.75 && s.cy >= 0.25 && s.cy <= 0.75).toBe(true);
        expect(s.radius >= 0.14 && s.radius <= 0.3).toBe(true);
      }
    }
  });
});
