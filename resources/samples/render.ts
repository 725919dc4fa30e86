// Rasterises a scene into 8-bit RGB with 4×4 supersampling, so edges look like images
// rather than aliased masks and a network's output can be compared fairly with the truth.
import { contains, depthInside, type Rgb, type Scene, type Shape } from './scene.ts';

/** Colour of a shape's interior at a point; the default is a flat fill. */
export type Fill = (shape: Shape, x: number, y: number) => Rgb;

export const flatFill: Fill = (shape) => shape.colour;

const STRIPE_DARK: Rgb = [0.08, 0.08, 0.1];

/** Width of one stripe, in fractions of the side: 2 px at 32 px, 4 px at 64. */
export const STRIPE_WIDTH = 1 / 16;

/**
 * Stripes that follow the shape's outline, alternating from its edge inwards: shape colour, dark,
 * colour, … Where each stripe lies is a function of what A shows (the shape's edges), so the
 * ground truth can be predicted from A. Straight stripes at a random angle and phase (the first
 * version) could not be: no model, however well trained, could beat the untouched input on them.
 */
export const stripedFill: Fill = (shape, x, y) =>
  Math.floor(depthInside(shape, x, y) / STRIPE_WIDTH) % 2 === 0 ? shape.colour : STRIPE_DARK;

const SUBSAMPLES = 4;

export function renderScene(scene: Scene, size: number, fill: Fill): Uint8Array {
  const pixels = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
          const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
          let colour = scene.background;
          for (const shape of scene.shapes) if (contains(shape, x, y)) colour = fill(shape, x, y);
          r += colour[0];
          g += colour[1];
          b += colour[2];
        }
      }
      const n = SUBSAMPLES * SUBSAMPLES;
      const offset = (py * size + px) * 3;
      pixels[offset] = Math.round((r / n) * 255);
      pixels[offset + 1] = Math.round((g / n) * 255);
      pixels[offset + 2] = Math.round((b / n) * 255);
    }
  }
  return pixels;
}
