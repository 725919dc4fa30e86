// Images of any size through a translator: whole (padded and cropped back exactly where the
// image was), and tiled — exactly for a constant offset, and equal to the whole-image result for
// a local net whose reach fits in the overlap — with the memory budget choosing between them.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import type { RgbImage } from '../../../src/training/inference/rgb-image.ts';
import { chooseTiling, fitsWhole, translateImage } from '../../../src/training/inference/translate-image.ts';
import { localConvTranslator, offsetTranslator } from './toy-translators.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

function randomImage(width: number, height: number, seed = 1): RgbImage {
  const data = new Float32Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return { width, height, data };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('translateImage', () => {
  it('translates whole with reflection padding and crops back to the very pixels of the image', async () => {
    const translator = localConvTranslator();
    const image = randomImage(53, 37);
    const shapes: number[][] = [];
    const { image: out, tiles } = await translateImage(
      {
        ...translator,
        translate: (x, d) => {
          shapes.push(x.shape);
          return translator.translate(x, d);
        },
      },
      image,
      { direction: 'AtoB' },
    );
    expect(tiles).toBe(1);
    expect(shapes).toEqual([[1, 40, 56, 3]]);
    // Reference: pad 1 px top/2 bottom and 1 left/2 right by reflection, run, crop.
    const expected = tf.tidy(() => {
      const x = tf.tensor4d(image.data, [1, 37, 53, 3]);
      const padded = tf.mirrorPad(
        x,
        [
          [0, 0],
          [1, 2],
          [1, 2],
          [0, 0],
        ],
        'reflect',
      ) as tf.Tensor4D;
      return tf.slice(
        tf.conv2d(
          tf.relu(tf.conv2d(padded, translator.weights[0] as tf.Tensor4D, 1, 'same')),
          translator.weights[1] as tf.Tensor4D,
          1,
          'same',
        ),
        [0, 1, 1, 0],
        [1, 37, 53, 3],
      );
    });
    expect(out.width).toBe(53);
    expect(out.height).toBe(37);
    expect(maxDifference(out.data, expected.dataSync() as Float32Array)).toBeLessThan(1e-6);
    expected.dispose();
  });

  it('reproduces a constant offset exactly in tiles, whatever the tiling', async () => {
    const image = randomImage(101, 67, 2);
    for (const [tile, overlap] of [
      [16, 8],
      [32, 4],
      [24, 0],
    ] as const) {
      const { image: out, tiles } = await translateImage(offsetTranslator(0.25), image, {
        direction: 'AtoB',
        mode: 'tiled',
        tile,
        overlap,
      });
      expect(tiles).toBeGreaterThan(4);
      const expected = image.data.map((v) => v + 0.25);
      expect(maxDifference(out.data, expected)).toBeLessThan(1e-6);
    }
  });

  it('tiles a local net to the same result as the whole image when its reach fits the overlap', async () => {
    const translator = localConvTranslator();
    const image = randomImage(90, 70, 3);
    const whole = await translateImage(translator, image, { direction: 'AtoB' });
    const tiled = await translateImage(translator, image, { direction: 'AtoB', mode: 'tiled', tile: 32, overlap: 8 });
    expect(tiled.tiles).toBe(12);
    expect(maxDifference(tiled.image.data, whole.image.data)).toBeLessThan(1e-5);
    // Without overlap the tiles' zero padding shows at their seams: the comparison above can fail.
    const seams = await translateImage(translator, image, { direction: 'AtoB', mode: 'tiled', tile: 32, overlap: 0 });
    expect(maxDifference(seams.image.data, whole.image.data)).toBeGreaterThan(0.05);
  });

  it('lets the memory budget decide: whole when it fits, tiles when it does not', async () => {
    const translator = offsetTranslator(0, { workingBytesPerPixel: 1000 });
    expect(fitsWhole(100, 100, translator, 10_000_000)).toBe(true);
    expect(fitsWhole(100, 101, translator, 10_000_000)).toBe(false);
    const image = randomImage(120, 80);
    expect((await translateImage(translator, image, { direction: 'AtoB', memoryBudgetBytes: 10_000_000 })).tiles).toBe(
      1,
    );
    const shapes: number[][] = [];
    const small = offsetTranslator(0, { workingBytesPerPixel: 1000, onTranslate: (s: number[]) => shapes.push(s) });
    const { tiles } = await translateImage(small, image, { direction: 'AtoB', memoryBudgetBytes: 2_000_000 });
    expect(tiles).toBeGreaterThan(1);
    // Every tile fits the budget: 44² px × 1000 bytes ≤ 2 MB.
    for (const [, h, w] of shapes) expect((h as number) * (w as number) * 1000).toBeLessThanOrEqual(2_000_000);
  });

  it('keeps tiles at most 1024 px unless the translator allows more (ONNX Runtime), then the budget decides', () => {
    // 4 GiB at 3,072 bytes per pixel (a standard generator on ONNX Runtime) affords ~1,180 px.
    const budget = 4 * 1024 ** 3;
    const standard = offsetTranslator(0, { workingBytesPerPixel: 3072 });
    expect(chooseTiling(standard, budget)).toEqual({ tile: 1024, overlap: 128 });
    expect(chooseTiling({ ...standard, maxTileSide: 4096 }, budget)).toEqual({ tile: 1180, overlap: 144 });
    // Whatever the cap, a tile never exceeds what the budget affords.
    expect(chooseTiling({ ...standard, maxTileSide: 4096 }, budget / 4).tile).toBe(588);
  });

  it('stops between tiles when cancelled, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const promise = translateImage(offsetTranslator(0), randomImage(64, 64), {
      direction: 'AtoB',
      mode: 'tiled',
      tile: 16,
      overlap: 4,
      signal: controller.signal,
      onTile: (done) => {
        if (done === 3) controller.abort(new Error('cancelled by test'));
      },
    });
    await expect(promise).rejects.toThrow(/cancelled by test/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
