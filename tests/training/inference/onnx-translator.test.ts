// Conversion through ONNX Runtime (issue 17): a checkpoint opened with engine 'onnx' translates as
// the TensorFlow.js path does — forward passes within 1e-4, the tiling statistics it captures equal
// the ones tfjs records, and a folder of sample images converted by both engines gives 8-bit outputs
// within ±1 of each other, whole and tiled (a grid of real tiles, with whole-image statistics).
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamples } from '../../../src/main/samples.ts';
import { type ConvertEngineEvent, ConvertOptions, type ConvertSize } from '../../../src/shared/convert.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { convertBatch } from '../../../src/training/convert/batch.ts';
import { floatsToBytes } from '../../../src/training/convert/image-io.ts';
import { loadTranslator } from '../../../src/training/inference/load.ts';
import { translateImage } from '../../../src/training/inference/translate-image.ts';
import type { Translator } from '../../../src/training/inference/translator.ts';
import { listTree, planned } from '../convert/fixtures.ts';
import { savedTinyCheckpoint, tempDir, tinyRunConfig } from './helpers.ts';

const root = tempDir('diptych-onnx-translator-');
let checkpoint: string;
let onnx: Translator;
let tfjs: Translator;

beforeAll(async () => {
  await selectBackend('cpu');
  // ngf 8 (tiny preset) with every weight redrawn: outputs vary across the image, so agreement means something.
  checkpoint = (await savedTinyCheckpoint(path.join(root, 'run'), 42, tinyRunConfig({ ngf: 8 }))).dir;
  onnx = await loadTranslator(checkpoint, { engine: 'onnx' });
  tfjs = await loadTranslator(checkpoint, { engine: 'tfjs' });
});
afterAll(() => {
  onnx?.dispose();
  tfjs?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await difference.data())[0] as number;
  difference.dispose();
  return value;
}

describe('the ONNX Runtime translator', () => {
  it('says which engine runs it, and on what', () => {
    expect(onnx.engine).toBe('onnx');
    expect(onnx.engineNote).toMatch(/^ONNX Runtime \d+\.\d+\.\d+, CPU, \d+ threads?$/);
    // Its tiles are as large as the memory budget allows (tfjs's stay at 1024 px).
    expect(onnx.maxTileSide).toBeGreaterThan(1024);
    expect(tfjs.engine).toBe('tfjs');
    expect(tfjs.maxTileSide).toBeUndefined();
  });

  it('computes what the TensorFlow.js generator computes, both directions, batch of two, two sizes', async () => {
    for (const [height, width] of [
      [32, 32],
      [24, 40],
    ] as const)
      for (const direction of ['AtoB', 'BtoA'] as const) {
        const input = tf.randomUniform([2, height, width, 3], -1, 1, 'float32', height + width) as tf.Tensor4D;
        const expected = await tfjs.translate(input, direction);
        const actual = await onnx.translate(input, direction);
        expect(actual.shape).toEqual([2, height, width, 3]);
        expect(await maxDifference(actual, expected)).toBeLessThan(1e-4);
        const spread = tf.tidy(() => tf.sub(tf.max(expected), tf.min(expected)));
        expect((await spread.data())[0]).toBeGreaterThan(0.1);
        tf.dispose([input, expected, actual, spread]);
      }
  });

  it('captures the statistics tfjs records, and normalises a tile with them as tfjs does', async () => {
    const whole = tf.randomUniform([1, 48, 48, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const tile = tf.tidy(() => tf.slice(whole, [0, 8, 16, 0], [1, 24, 24, 3])) as tf.Tensor4D;
    const fromOnnx = await onnx.captureNormStatistics?.(whole, 'AtoB');
    const fromTfjs = await tfjs.captureNormStatistics?.(whole, 'AtoB');
    if (!fromOnnx || !fromTfjs) throw new Error('both translators capture statistics');
    expect(fromOnnx.layers.length).toBe(fromTfjs.layers.length);
    for (const [i, layer] of fromOnnx.layers.entries()) {
      const other = fromTfjs.layers[i];
      if (!other) throw new Error(`tfjs recorded no layer ${i}`);
      expect(await maxDifference(layer.mean, other.mean)).toBeLessThan(1e-4);
      expect(await maxDifference(layer.variance, other.variance)).toBeLessThan(1e-4);
    }
    const expected = await tfjs.translate(tile, 'AtoB', fromTfjs);
    const actual = await onnx.translate(tile, 'AtoB', fromOnnx);
    expect(await maxDifference(actual, expected)).toBeLessThan(1e-4);
    // The recorded statistics matter: the tile alone normalises differently.
    const alone = await onnx.translate(tile, 'AtoB');
    expect(await maxDifference(alone, expected)).toBeGreaterThan(1e-3);
    // Statistics of another network are refused, not silently misapplied.
    const short = { layers: fromOnnx.layers.slice(1), dispose: () => {} };
    await expect(onnx.translate(tile, 'AtoB', short)).rejects.toThrow(/do not fit this network/);
    fromOnnx.dispose();
    fromTfjs.dispose();
    tf.dispose([whole, tile, expected, actual, alone]);
  });

  it('gives the same 8-bit pixels as tfjs within ±1 on a tiled photo (a grid of real tiles)', async () => {
    const data = new Float32Array(70 * 90 * 3).map((_, i) => Math.sin(i * 0.013) * 0.8);
    const image = { width: 90, height: 70, data };
    const options = { direction: 'AtoB' as const, mode: 'tiled' as const, tile: 32, overlap: 8 };
    const a = await translateImage(onnx, image, options);
    const b = await translateImage(tfjs, image, options);
    expect(a.tiles).toBeGreaterThan(4);
    expect(a.tiles).toBe(b.tiles);
    const bytesA = floatsToBytes(a.image.data);
    const bytesB = floatsToBytes(b.image.data);
    let worst = 0;
    for (let i = 0; i < bytesA.length; i++)
      worst = Math.max(worst, Math.abs((bytesA[i] as number) - (bytesB[i] as number)));
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('where ONNX Runtime cannot make a session', () => {
  // A provider this install does not have stands for a machine where ONNX Runtime cannot run.
  const withProviders = async <T>(providers: string, run: () => Promise<T>): Promise<T> => {
    const previous = process.env.DIPTYCH_ONNX_PROVIDERS;
    process.env.DIPTYCH_ONNX_PROVIDERS = providers;
    try {
      return await run();
    } finally {
      if (previous === undefined) delete process.env.DIPTYCH_ONNX_PROVIDERS;
      else process.env.DIPTYCH_ONNX_PROVIDERS = previous;
    }
  };

  it('auto falls back to TensorFlow.js and says why; onnx refuses in words', async () => {
    const fallback = await withProviders('no-such-provider', () => loadTranslator(checkpoint));
    try {
      expect(fallback.engine).toBe('tfjs');
      expect(fallback.engineNote).toMatch(
        /^ONNX Runtime unavailable \(no ONNX Runtime session could be made \(no-such-provider: .+\)\); TensorFlow\.js translates$/,
      );
      // And it translates, as the tfjs translator does.
      const input = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      const [a, b] = [await fallback.translate(input, 'AtoB'), await tfjs.translate(input, 'AtoB')];
      expect(await maxDifference(a, b)).toBe(0);
      tf.dispose([input, a, b]);
    } finally {
      fallback.dispose();
    }
    await expect(
      withProviders('no-such-provider', () => loadTranslator(checkpoint, { engine: 'onnx' })),
    ).rejects.toThrow(/^ONNX Runtime cannot run this checkpoint here \(.+\); convert with --engine tfjs instead$/);
  });
});

describe('a folder converted by each engine', () => {
  for (const size of ['full', 'tiled'] as ConvertSize[])
    it(`${size}: the sample images come out within ±1 of each other`, async () => {
      const samples = await writeSamples({
        out: path.join(root, `samples-${size}`),
        kind: 'palette',
        count: 3,
        size: 64,
        seed: 5,
      });
      const outputs: Record<string, string> = {};
      const started: ConvertEngineEvent[] = [];
      for (const engine of ['onnx', 'tfjs'] as const) {
        const outDir = path.join(root, `out-${size}-${engine}`);
        const options = await planned({
          ...ConvertOptions.parse({ direction: 'BtoA', inDir: samples.b, outDir, size, engine }),
          jobId: `${engine}-${size}`,
        });
        const translator = await loadTranslator(checkpoint, { engine });
        try {
          const tiles: number[] = [];
          const result = await convertBatch(options, {
            translator,
            emit: (event) => {
              if (event.type === 'convert-started') started.push(event);
              if (event.type === 'convert-file') tiles.push(event.tiles ?? 0);
            },
            // Tiled: a budget of 32 × 32 px of this engine's working memory, so both engines cut the
            // same grid of 32-px tiles and take the statistics from the same downscaled view.
            ...(size === 'tiled' ? { memoryBudgetBytes: (translator.workingBytesPerPixel ?? 0) * 32 * 32 } : {}),
          });
          expect(result.converted).toBe(3);
          expect(tiles.every((count) => (size === 'tiled' ? count >= 4 : count === 1))).toBe(true);
        } finally {
          translator.dispose();
        }
        outputs[engine] = outDir;
      }
      expect(started.map((e) => (e.type === 'convert-started' ? e.engine : null))).toEqual(['onnx', 'tfjs']);
      const names = listTree(outputs.onnx as string);
      expect(names).toEqual(listTree(outputs.tfjs as string));
      expect(names).toHaveLength(3);
      for (const name of names) {
        const [a, b] = await Promise.all(
          [outputs.onnx, outputs.tfjs].map((dir) =>
            sharp(path.join(dir as string, name))
              .raw()
              .toBuffer(),
          ),
        );
        if (!a || !b) throw new Error('both outputs decode');
        expect(a.length).toBe(b.length);
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
        expect(worst, name).toBeLessThanOrEqual(1);
      }
    });
});
