// One image of any size through a Translator: whole when it fits the memory budget (padded by
// reflection to the network's multiple and cropped back), otherwise — or when asked — in
// overlapping tiles blended with feathered weights (tiling.ts), normalised with the statistics
// of the whole image (norm-statistics.ts). Only one tile's worth of pixels is ever a tensor, so
// a 6000×4000 photo converts on a wasm backend.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, Direction } from '../../shared/basics.ts';
import { downscale, type NormStatistics } from './norm-statistics.ts';
import { extractRegion, type RgbImage, roundUp } from './rgb-image.ts';
import { featherRamp, padToMultiple, planTiles, type TileGrid, tileCount } from './tiling.ts';
import { DEFAULT_WORKING_BYTES_PER_PIXEL, type Translator } from './translator.ts';

export type ResolutionMode = 'full' | 'tiled';

export interface TranslateImageOptions {
  direction: Direction;
  /** full: whole image unless it exceeds the memory budget; tiled: always in tiles. Default full. */
  mode?: ResolutionMode;
  /** Bytes the translation may use; default: memoryBudgetFor(the active backend). */
  memoryBudgetBytes?: number;
  /** Tile side in px when tiling (a multiple of the network's); default: the largest the budget allows, at most the translator's maxTileSide (1024). */
  tile?: number;
  /** Px neighbouring tiles share; default an eighth of the tile, at least the network's multiple. */
  overlap?: number;
  /** Checked between tiles, so a cancel does not wait for a whole large image. */
  signal?: AbortSignal;
  onTile?: (done: number, total: number) => void;
  /**
   * Instance-norm statistics of tiles: 'image' (default) takes them once from the whole image
   * (downscaled to fit the budget) so all tiles are normalised alike; 'tile' lets each tile use
   * its own (tiles may differ in tone). Ignored by translators without instance norm.
   */
  tileStatistics?: 'image' | 'tile';
}

export interface TranslatedImage {
  image: RgbImage;
  /** 1 when translated whole. */
  tiles: number;
}

const GiB = 1024 ** 3;

/**
 * How much memory a translation may use on each backend: wasm's 32-bit heap holds at most 4 GB
 * and fails well before (PERFORMANCE.md: 1024² with ngf 64 is out of bounds); the plain-JS cpu
 * backend lives in the Node heap; native backends have the machine's memory.
 */
export function memoryBudgetFor(backend: BackendName | 'onnx' | string): number {
  switch (backend) {
    case 'onnx':
      // ONNX Runtime's arena is native memory; a quarter of the machine's, at most 4 GiB.
      return Math.min(4 * GiB, Math.floor(os.totalmem() / 4));
    case 'wasm':
      return 1 * GiB;
    case 'tensorflow':
      return 4 * GiB;
    default:
      return 2 * GiB;
  }
}

/** Tiles of a translator that names no limit stay at most this side (Translator.maxTileSide). */
const DEFAULT_MAX_TILE_SIDE = 1024;

const bytesPerPixel = (translator: Translator) => translator.workingBytesPerPixel ?? DEFAULT_WORKING_BYTES_PER_PIXEL;
/** The network's smallest side: an image smaller than it (1×1, 3×5) is padded up to it by reflection. */
const minimumSide = (translator: Translator) => translator.minimumSide ?? translator.sizeMultiple;

/** Whether an image is translated whole under this budget. */
export function fitsWhole(width: number, height: number, translator: Translator, budgetBytes: number): boolean {
  const m = translator.sizeMultiple;
  const least = minimumSide(translator);
  const pixels = padToMultiple(height, m, least).canvas * padToMultiple(width, m, least).canvas;
  return pixels * bytesPerPixel(translator) <= budgetBytes;
}

/** The tile side and overlap for a translator under a budget (both multiples of its size multiple). */
export function chooseTiling(translator: Translator, budgetBytes: number, tile?: number, overlap?: number) {
  const m = translator.sizeMultiple;
  const affordable = Math.floor(Math.sqrt(budgetBytes / bytesPerPixel(translator)) / m) * m;
  const cap = translator.maxTileSide ?? DEFAULT_MAX_TILE_SIDE;
  const side = tile ?? Math.max(2 * m, roundUp(minimumSide(translator), m), Math.min(cap, affordable));
  const shared = overlap ?? Math.max(m, Math.floor(side / 8 / m) * m);
  return { tile: side, overlap: shared };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
}

async function translateRegion(
  translator: Translator,
  pixels: Float32Array,
  height: number,
  width: number,
  direction: Direction,
  statistics?: NormStatistics,
): Promise<Float32Array> {
  const input = tf.tensor4d(pixels, [1, height, width, 3]);
  try {
    const output = await translator.translate(input, direction, statistics);
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  } finally {
    input.dispose();
  }
}

async function translateWhole(translator: Translator, image: RgbImage, direction: Direction): Promise<RgbImage> {
  const m = translator.sizeMultiple;
  const vertical = padToMultiple(image.height, m, minimumSide(translator));
  const horizontal = padToMultiple(image.width, m, minimumSide(translator));
  const canvas = extractRegion(image, -vertical.before, -horizontal.before, vertical.canvas, horizontal.canvas);
  const out = await translateRegion(translator, canvas, vertical.canvas, horizontal.canvas, direction);
  if (vertical.canvas === image.height && horizontal.canvas === image.width)
    return { width: image.width, height: image.height, data: out };
  const cropped = new Float32Array(image.width * image.height * 3);
  for (let y = 0; y < image.height; y++) {
    const from = ((y + vertical.before) * horizontal.canvas + horizontal.before) * 3;
    cropped.set(out.subarray(from, from + image.width * 3), y * image.width * 3);
  }
  return { width: image.width, height: image.height, data: cropped };
}

/**
 * The statistics every tile is normalised with: those of the padded image itself when it fits the
 * budget (then tiles match the whole-image result but for the tiles' edges), else of a smaller copy.
 */
async function imageStatistics(
  translator: Translator,
  image: RgbImage,
  grid: TileGrid,
  budget: number,
  direction: Direction,
): Promise<NormStatistics | undefined> {
  if (!translator.captureNormStatistics) return undefined;
  const m = translator.sizeMultiple;
  let view: { pixels: Float32Array; height: number; width: number };
  if (grid.canvasHeight * grid.canvasWidth * bytesPerPixel(translator) <= budget) {
    const pixels = extractRegion(image, -grid.padTop, -grid.padLeft, grid.canvasHeight, grid.canvasWidth);
    view = { pixels, height: grid.canvasHeight, width: grid.canvasWidth };
  } else {
    const scale = Math.sqrt(budget / bytesPerPixel(translator) / (image.width * image.height));
    const least = roundUp(minimumSide(translator), m);
    const width = Math.max(least, Math.floor((image.width * scale) / m) * m);
    const height = Math.max(least, Math.floor((image.height * scale) / m) * m);
    view = { pixels: downscale(image, width, height).data, height, width };
  }
  const input = tf.tensor4d(view.pixels, [1, view.height, view.width, 3]);
  try {
    return await translator.captureNormStatistics(input, direction);
  } finally {
    input.dispose();
  }
}

async function translateTiles(
  translator: Translator,
  image: RgbImage,
  grid: TileGrid,
  options: TranslateImageOptions,
  budget: number,
): Promise<RgbImage> {
  const statistics =
    options.tileStatistics === 'tile'
      ? undefined
      : await imageStatistics(translator, image, grid, budget, options.direction);
  try {
    return await blendTiles(translator, image, grid, options, statistics);
  } finally {
    statistics?.dispose();
  }
}

async function blendTiles(
  translator: Translator,
  image: RgbImage,
  grid: TileGrid,
  options: TranslateImageOptions,
  statistics: NormStatistics | undefined,
): Promise<RgbImage> {
  const { width, height } = image;
  const sum = new Float32Array(width * height * 3);
  const weight = new Float32Array(width * height);
  const total = tileCount(grid);
  const { tileHeight, tileWidth, overlap } = grid;
  let done = 0;
  for (const [row, top] of grid.tops.entries()) {
    const rampY = featherRamp(tileHeight, overlap, row > 0, row < grid.tops.length - 1);
    for (const [column, left] of grid.lefts.entries()) {
      throwIfAborted(options.signal);
      const rampX = featherRamp(tileWidth, overlap, column > 0, column < grid.lefts.length - 1);
      const imageTop = top - grid.padTop;
      const imageLeft = left - grid.padLeft;
      const pixels = extractRegion(image, imageTop, imageLeft, tileHeight, tileWidth);
      const out = await translateRegion(translator, pixels, tileHeight, tileWidth, options.direction, statistics);
      // Accumulate only the tile's pixels that lie in the image (not in the reflected padding).
      for (let ty = Math.max(0, -imageTop); ty < tileHeight && imageTop + ty < height; ty++) {
        const wy = rampY[ty] as number;
        const y = imageTop + ty;
        for (let tx = Math.max(0, -imageLeft); tx < tileWidth && imageLeft + tx < width; tx++) {
          const w = wy * (rampX[tx] as number);
          if (w === 0) continue;
          const p = y * width + imageLeft + tx;
          const q = (ty * tileWidth + tx) * 3;
          sum[p * 3] = (sum[p * 3] as number) + w * (out[q] as number);
          sum[p * 3 + 1] = (sum[p * 3 + 1] as number) + w * (out[q + 1] as number);
          sum[p * 3 + 2] = (sum[p * 3 + 2] as number) + w * (out[q + 2] as number);
          weight[p] = (weight[p] as number) + w;
        }
      }
      options.onTile?.(++done, total);
    }
  }
  for (let p = 0; p < width * height; p++) {
    const w = weight[p] as number;
    sum[p * 3] = (sum[p * 3] as number) / w;
    sum[p * 3 + 1] = (sum[p * 3 + 1] as number) / w;
    sum[p * 3 + 2] = (sum[p * 3 + 2] as number) / w;
  }
  return { width, height, data: sum };
}

/** Translates one image at its own size; the result has the input's width and height. */
export async function translateImage(
  translator: Translator,
  image: RgbImage,
  options: TranslateImageOptions,
): Promise<TranslatedImage> {
  throwIfAborted(options.signal);
  const budget = options.memoryBudgetBytes ?? memoryBudgetFor(translator.engine === 'onnx' ? 'onnx' : tf.getBackend());
  const mode = options.mode ?? 'full';
  const whole = !translator.tileable || (mode === 'full' && fitsWhole(image.width, image.height, translator, budget));
  if (whole) {
    const result = await translateWhole(translator, image, options.direction);
    options.onTile?.(1, 1);
    return { image: result, tiles: 1 };
  }
  const { tile, overlap } = chooseTiling(translator, budget, options.tile, options.overlap);
  const grid = planTiles(image.height, image.width, tile, overlap, translator.sizeMultiple, minimumSide(translator));
  return { image: await translateTiles(translator, image, grid, options, budget), tiles: tileCount(grid) };
}
