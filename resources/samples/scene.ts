// A random scene of a few flat shapes on a background: the content both sample domains share.
import { between, pick, type Random } from './random.ts';

export type Rgb = readonly [number, number, number];
export type ShapeKind = 'circle' | 'square' | 'triangle';

export interface Shape {
  kind: ShapeKind;
  /** Centre and radius as fractions of the image side. */
  cx: number;
  cy: number;
  radius: number;
  rotation: number;
  colour: Rgb;
}

export interface Scene {
  background: Rgb;
  shapes: Shape[];
}

const SHAPES: readonly ShapeKind[] = ['circle', 'square', 'triangle'];

export function randomScene(random: Random, palette: readonly Rgb[]): Scene {
  const background: Rgb = [between(random, 0.75, 0.95), between(random, 0.75, 0.95), between(random, 0.7, 0.9)];
  const count = 1 + Math.floor(random() * 3);
  const shapes: Shape[] = [];
  for (let i = 0; i < count; i++) {
    shapes.push({
      kind: pick(random, SHAPES),
      cx: between(random, 0.25, 0.75),
      cy: between(random, 0.25, 0.75),
      radius: between(random, 0.14, 0.3),
      rotation: between(random, 0, Math.PI * 2),
      colour: pick(random, palette),
    });
    // Two draws that once chose a stripe angle and period; kept so every kind's scenes stay the
    // ones earlier measurements (tests, docs) were made on.
    random();
    random();
  }
  return { background, shapes };
}

/**
 * How far the point (x, y), in fractions of the side, lies inside the shape: the distance to its
 * nearest edge in fractions of the side, negative outside.
 */
export function depthInside(shape: Shape, x: number, y: number): number {
  const dx = x - shape.cx;
  const dy = y - shape.cy;
  const cos = Math.cos(-shape.rotation);
  const sin = Math.sin(-shape.rotation);
  const u = (dx * cos - dy * sin) / shape.radius;
  const v = (dx * sin + dy * cos) / shape.radius;
  let local: number;
  switch (shape.kind) {
    case 'circle':
      local = 1 - Math.hypot(u, v);
      break;
    case 'square':
      local = 0.8 - Math.max(Math.abs(u), Math.abs(v));
      break;
    case 'triangle':
      // Equilateral, inscribed in the unit circle, apex up: the base v = −0.5 and the two sides
      // √3·|u| + v = 1 (whose normal has length 2).
      local = Math.min(v + 0.5, (1 - Math.sqrt(3) * Math.abs(u) - v) / 2);
      break;
  }
  return local * shape.radius;
}

/** Whether the point (x, y), in fractions of the side, lies inside the shape. */
export function contains(shape: Shape, x: number, y: number): boolean {
  return depthInside(shape, x, y) >= 0;
}
