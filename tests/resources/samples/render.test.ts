import { describe, expect, it } from 'vitest';
import { flatFill, renderScene, stripedFill } from '../../../resources/samples/render.ts';
import type { Scene, Shape } from '../../../resources/samples/scene.ts';

const square: Shape = {
  kind: 'square',
  cx: 0.5,
  cy: 0.5,
  radius: 0.3,
  rotation: 0,
  colour: [1, 0, 0],
};

function at(pixels: Uint8Array, size: number, x: number, y: number): number[] {
  const offset = (y * size + x) * 3;
  return [pixels[offset] as number, pixels[offset + 1] as number, pixels[offset + 2] as number];
}

describe('renderScene', () => {
  it('fills an empty scene with its background', () => {
    const pixels = renderScene({ background: [0.2, 0.4, 1], shapes: [] }, 8, flatFill);
    expect(pixels).toHaveLength(8 * 8 * 3);
    for (let i = 0; i < pixels.length; i += 3)
      expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([51, 102, 255]);
  });

  it('draws a flat shape over the background, with blended edge pixels', () => {
    const size = 20;
    const pixels = renderScene({ background: [0, 0, 1], shapes: [square] }, size, flatFill);
    expect(at(pixels, size, 10, 10)).toEqual([255, 0, 0]);
    expect(at(pixels, size, 0, 0)).toEqual([0, 0, 255]);
    // The square spans 0.26..0.74 of the side: pixel 5 (0.25..0.30) is partly covered.
    const edge = at(pixels, size, 5, 10);
    expect(edge[0]).toBeGreaterThan(0);
    expect(edge[0]).toBeLessThan(255);
    expect((edge[0] as number) + (edge[2] as number)).toBeGreaterThanOrEqual(254);
  });

  it('draws stripes only inside the shape, following its outline', () => {
    const size = 40;
    const flat = renderScene({ background: [0, 0, 1], shapes: [square] }, size, flatFill);
    const striped = renderScene({ background: [0, 0, 1], shapes: [square] }, size, stripedFill);
    expect(at(striped, size, 0, 0)).toEqual(at(flat, size, 0, 0));
    expect(at(striped, size, 39, 20)).toEqual(at(flat, size, 39, 20));
    // The square spans 0.26..0.74 of the side (px 10.4..29.6). From its edge inwards the stripes
    // alternate every 1/16 of the side (2.5 px): colour, dark, colour, dark…
    const row = Array.from({ length: 10 }, (_, i) => at(striped, size, 10 + i, 20)[0] as number);
    expect(row[1]).toBeGreaterThan(200); // px 11: 0.6 px in
    expect(row[3]).toBeLessThan(60); // px 13: 3.1 px in
    expect(row[6]).toBeGreaterThan(200); // px 16: 6.1 px in
    expect(row[8]).toBeLessThan(60); // px 18: 8.1 px in
    // The same depth on every side: the stripes follow the outline.
    expect(at(striped, size, 20, 13)[0]).toBeLessThan(60);
    expect(at(striped, size, 26, 20)[0]).toBeLessThan(60);
  });

  it('paints later shapes over earlier ones', () => {
    const scene: Scene = { background: [0, 0, 0], shapes: [square, { ...square, radius: 0.1, colour: [0, 1, 0] }] };
    const pixels = renderScene(scene, 20, flatFill);
    expect(at(pixels, 20, 10, 10)).toEqual([0, 255, 0]);
    expect(at(pixels, 20, 7, 7)).toEqual([255, 0, 0]);
  });
});
