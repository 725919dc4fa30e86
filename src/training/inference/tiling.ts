// Where the tiles of a large image go and how much each one counts where they overlap. Pure
// geometry, so it can be tested without a network.
//
// The image is first padded (by reflection) to a canvas whose sides are multiples of the network's
// size multiple; tiles are squares of `tile` px at origins that are multiples of it too, so every
// tile downsamples in the same phase as the whole image would. Neighbouring tiles overlap by at
// least `overlap` px. In each overlap a tile's outermost quarter is ignored (a convolution's zero
// padding makes its edge pixels wrong), and over the middle half its weight ramps linearly to 1:
// the blend has no seam, and a net whose reach is within a quarter of the overlap gives the same
// result tiled as whole.
import { roundUp } from './rgb-image.ts';

export interface TileGrid {
  /** The padded canvas the tiles cover; the image sits at (padTop, padLeft) inside it. */
  canvasHeight: number;
  canvasWidth: number;
  padTop: number;
  padLeft: number;
  tileHeight: number;
  tileWidth: number;
  /** Tile origins along each axis, ascending, in canvas coordinates. */
  tops: number[];
  lefts: number[];
  overlap: number;
}

/**
 * The smallest canvas of multiples of m around a side, and at least `minimum` (a network's smallest
 * side), the padding split evenly (extra at the end).
 */
export function padToMultiple(side: number, m: number, minimum = m): { canvas: number; before: number } {
  const canvas = Math.max(roundUp(side, m), roundUp(minimum, m));
  return { canvas, before: Math.floor((canvas - side) / 2) };
}

/** Origins of tiles of `tile` px covering 0..canvas with at least `overlap` px shared, the last flush with the end. */
function origins(canvas: number, tile: number, overlap: number, m: number): number[] {
  if (tile >= canvas) return [0];
  const stride = Math.max(m, Math.floor((tile - overlap) / m) * m);
  const result: number[] = [];
  for (let at = 0; at + tile < canvas; at += stride) result.push(at);
  result.push(canvas - tile);
  return result;
}

export function planTiles(
  height: number,
  width: number,
  tile: number,
  overlap: number,
  m: number,
  minimum = m,
): TileGrid {
  if (!Number.isInteger(tile) || tile < m || tile % m !== 0)
    throw new Error(`a tile side must be a positive multiple of ${m}, not ${tile}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile)
    throw new Error(`a tile overlap must be a whole number below the tile side (${tile}), not ${overlap}`);
  if (tile - overlap < m || tile - m < overlap / 2)
    throw new Error(
      `tiles of ${tile} px cannot overlap by ${overlap} px on a network of multiple ${m}: use smaller overlap`,
    );
  const vertical = padToMultiple(height, m, minimum);
  const horizontal = padToMultiple(width, m, minimum);
  // A tile is never below the network's smallest side either (the canvas is at least that).
  const least = roundUp(minimum, m);
  const tileHeight = Math.min(Math.max(tile, least), vertical.canvas);
  const tileWidth = Math.min(Math.max(tile, least), horizontal.canvas);
  return {
    canvasHeight: vertical.canvas,
    canvasWidth: horizontal.canvas,
    padTop: vertical.before,
    padLeft: horizontal.before,
    tileHeight,
    tileWidth,
    tops: origins(vertical.canvas, tileHeight, overlap, m),
    lefts: origins(horizontal.canvas, tileWidth, overlap, m),
    overlap,
  };
}

/**
 * A tile's weight along one axis, for each of its `size` pixels: 1 inside, and across each side
 * shared with a neighbour, 0 over the outer quarter of the overlap, then a ramp up to 1.
 */
export function featherRamp(
  size: number,
  overlap: number,
  neighbourBefore: boolean,
  neighbourAfter: boolean,
): Float32Array {
  const weights = new Float32Array(size).fill(1);
  if (overlap === 0) return weights;
  const skip = Math.floor(overlap / 4);
  const ramp = Math.max(1, overlap - 2 * skip);
  const edge = (distance: number) => Math.min(1, Math.max(0, (distance - skip + 0.5) / ramp));
  for (let i = 0; i < size; i++) {
    let w = 1;
    if (neighbourBefore) w = Math.min(w, edge(i));
    if (neighbourAfter) w = Math.min(w, edge(size - 1 - i));
    weights[i] = w;
  }
  return weights;
}

/** Number of tiles a grid holds. */
export function tileCount(grid: TileGrid): number {
  return grid.tops.length * grid.lefts.length;
}
