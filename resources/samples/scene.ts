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
  /** Direction and period (fraction of the side) of the stripes, used by the stripes kind. */
  stripeAngle: number;
  stripePeriod: number;
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
      stripeAngle: between(random, 0, Math.PI),
      stripePeriod: between(random, 0.09, 0.14),
    });
  }
  return { background, shapes };
}

/** Whether the point (x, y), in fractions of the side, lies inside the shape. */
export function contains(shape: Shape, x: number, y: number): boolean {
  const dx = x - shape.cx;
  const dy = y - shape.cy;
  const cos = Math.cos(-shape.rotation);
  const sin = Math.sin(-shape.rotation);
  const u = (dx * cos - dy * sin) / shape.radius;
  const v = (dx * sin + dy * cos) / shape.radius;
  switch (shape.kind) {
    case 'circle':
      return u * u + v * v <= 1;
    case 'square':
      return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 'triangle':
      // Equilateral, inscribed in the unit circle, apex up.
      return v >= -0.5 && v <= 1 - Math.abs(u) * Math.sqrt(3) && Math.abs(u) <= 0.866;
  }
}
