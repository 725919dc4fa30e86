// Tiles of a real generator (instance norm, a reach of tens of pixels): normalised with the
// statistics of the whole image they match the whole-image translation closely, where tiles
// normalised alone visibly do not; and replaying an image's own statistics changes nothing.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import {
  loadTranslator,
  type RgbImage,
  type Translator,
  translateImage,
} from '../../../src/training/inference/index.ts';
import { savedTinyCheckpoint, tempDir } from './helpers.ts';

let translator: Translator;

beforeAll(async () => {
  // wasm: the plain-JS cpu backend takes seconds per pass of even the tiny generator.
  await selectBackend('wasm');
  const saved = await savedTinyCheckpoint(tempDir(), 9);
  disposeNetworks(saved.nets);
  translator = await loadTranslator(saved.dir);
});
afterAll(() => translator.dispose());

/** A photo-like image: smooth gradients whose tone changes across the frame, plus fine texture. */
function photo(width: number, height: number): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.sin(x / 17) * 0.6 + (x / width) * 0.3;
      data[i + 1] = Math.cos(y / 11) * 0.5 - (y / height) * 0.4;
      data[i + 2] = Math.sin((x + y) / 5) * 0.3;
    }
  return { width, height, data };
}

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

describe('tiles of an instance-norm generator', () => {
  it('replaying an image’s own statistics gives the same translation', async () => {
    const input = tf.tensor4d(photo(32, 24).data, [1, 24, 32, 3]);
    const statistics = await (translator.captureNormStatistics as NonNullable<Translator['captureNormStatistics']>)(
      input,
      'AtoB',
    );
    expect(statistics.layers.length).toBe(2 + 2 * 6 + 2 + 1);
    const plain = await translator.translate(input, 'AtoB');
    const replayed = await translator.translate(input, 'AtoB', statistics);
    expect(meanAbsDifference(plain.dataSync() as Float32Array, replayed.dataSync() as Float32Array)).toBeLessThan(1e-5);
    // (1e-5: on wasm the plain pass uses the fused norm kernel, the replay composite ops.)
    // Another image's statistics do change it: the replay is really used.
    const other = tf.tensor4d(
      photo(32, 24).data.map((v) => v * 0.2),
      [1, 24, 32, 3],
    );
    const foreign = await translator.translate(other, 'AtoB', statistics);
    const own = await translator.translate(other, 'AtoB');
    expect(meanAbsDifference(foreign.dataSync() as Float32Array, own.dataSync() as Float32Array)).toBeGreaterThan(0.01);
    tf.dispose([input, plain, replayed, other, foreign, own]);
    statistics.dispose();
  });

  it('match the whole image with the image’s statistics, and do not without them', async () => {
    const image = photo(128, 96);
    const budget = 1e9;
    const whole = await translateImage(translator, image, { direction: 'AtoB', memoryBudgetBytes: budget });
    expect(whole.tiles).toBe(1);
    const tiled = { direction: 'AtoB', mode: 'tiled', tile: 64, overlap: 32, memoryBudgetBytes: budget } as const;
    const shared = await translateImage(translator, image, tiled);
    const alone = await translateImage(translator, image, { ...tiled, tileStatistics: 'tile' });
    expect(shared.tiles).toBeGreaterThan(4);
    const sharedError = meanAbsDifference(shared.image.data, whole.image.data);
    const aloneError = meanAbsDifference(alone.image.data, whole.image.data);
    console.info(
      `tiles vs whole: mean |Δ| ${sharedError.toFixed(4)} with the image's statistics, ${aloneError.toFixed(4)} alone`,
    );
    expect(sharedError).toBeLessThan(0.1);
    expect(sharedError).toBeLessThan(aloneError / 3);
  });

  it('takes the statistics from a smaller copy when the image does not fit the budget', async () => {
    const image = photo(96, 64);
    const whole = await translateImage(translator, image, { direction: 'AtoB', memoryBudgetBytes: 1e9 });
    // 40² px per translation at most: tiles of 40, statistics from a 48×32 view.
    const budget = 40 * 40 * (translator.workingBytesPerPixel as number);
    const small = await translateImage(translator, image, { direction: 'AtoB', memoryBudgetBytes: budget });
    const alone = await translateImage(translator, image, {
      direction: 'AtoB',
      memoryBudgetBytes: budget,
      tileStatistics: 'tile',
    });
    expect(small.tiles).toBeGreaterThan(4);
    const viewError = meanAbsDifference(small.image.data, whole.image.data);
    const aloneError = meanAbsDifference(alone.image.data, whole.image.data);
    console.info(
      `small budget: mean |Δ| ${viewError.toFixed(4)} from the view's statistics, ${aloneError.toFixed(4)} alone`,
    );
    expect(viewError).toBeLessThan(aloneError);
  });
});
