// A CoGAN checkpoint in a batch conversion, through the convert engine job (so its loader must be
// registered there): each image is centre-cropped to the model's square and translated by latent
// inversion, the output is written at the model's size (or the asked side), progress comes per
// inversion step, and each file reports the reconstruction error the inversion itself reaches.
// Tiling is refused.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvertOptions } from '../../../src/shared/convert.ts';
import { buildCoGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { coganNetworksForConfig, coganStores } from '../../../src/training/cogan/networks.ts';
import { loadCoGanTranslator } from '../../../src/training/cogan/translator.ts';
import { runConvertJob } from '../../../src/training/convert/engine-job.ts';
import { decodeForConversion } from '../../../src/training/convert/image-io.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';
import { planned, tempDir, writeFlat } from './fixtures.ts';

let root: string;
let checkpointDir: string;
let inDir: string;
let built: ReturnType<typeof coganNetworksForConfig>;

/** A wide image in three vertical bands: red | green | blue. Centre-cropped to a square: all green. */
async function writeBands(file: string, width: number, height: number): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const band = Math.min(2, Math.floor((x * 3) / width));
      data[(y * width + x) * 3 + band] = 230;
    }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(data, { raw: { width, height, channels: 3 } }).toFile(file);
}

beforeAll(async () => {
  await selectBackend('cpu');
  root = tempDir('diptych-convert-cogan-');
  built = coganNetworksForConfig(buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 8, ndf: 8, zDim: 8 }));
  // Larger head weights draw images with contrast (fresh DCGAN weights draw near-grey).
  for (const store of Object.values(built.G.stores))
    for (const variable of store.variables.values()) variable.assign(tf.mul(variable, 20));
  checkpointDir = path.join(root, 'checkpoint');
  await saveCheckpoint(checkpointDir, {
    format: 1,
    model: 'cogan',
    step: 7,
    epoch: 0,
    config: buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 8, ndf: 8, zDim: 8 }),
    networks: coganStores(built),
    optimizers: {},
  });
  inDir = path.join(root, 'in');
  await writeBands(path.join(inDir, 'wide.png'), 90, 30);
  await writeFlat(path.join(inDir, 'tall.jpg'), [40, 160, 90], 20, 50);
});
afterAll(() => {
  for (const store of Object.values(coganStores(built))) disposeParams(store);
  fs.rmSync(root, { recursive: true, force: true });
});

function job(outDir: string, extra: Partial<ConvertOptions> = {}) {
  return {
    ...ConvertOptions.parse({ direction: 'AtoB', inDir, outDir, ...extra }),
    jobId: 'cogan',
    checkpointDir,
    inversionSteps: 30,
  };
}

describe('converting with a CoGAN checkpoint', () => {
  it('centre-crops to a square', async () => {
    const decoded = await decodeForConversion(path.join(inDir, 'wide.png'), { square: 32 });
    expect([decoded.width, decoded.height]).toEqual([32, 32]);
    // Every pixel is the middle band's green (in [-1, 1]: 230 → 0.8, 0 → -1).
    // (Columns at the crop's edges may ring a little from the resize's neighbours.)
    for (let y = 0; y < 32; y++)
      for (let x = 3; x < 29; x++) {
        const p = y * 32 + x;
        expect(decoded.data[p * 3]).toBeLessThan(-0.9);
        expect(decoded.data[p * 3 + 1]).toBeGreaterThan(0.7);
      }
  });

  it('writes each image at the model’s size with its reconstruction error and per-step progress', {
    timeout: 60_000,
  }, async () => {
    const outDir = path.join(root, 'out');
    const events: { type: string; [key: string]: unknown }[] = [];
    const result = await runConvertJob(await planned(job(outDir)), (e) => events.push({ ...e }));
    expect(result).toMatchObject({ status: 'completed', converted: 2, failed: 0 });
    for (const name of ['tall.png', 'wide.png']) {
      const meta = await sharp(path.join(outDir, name)).metadata();
      expect([name, meta.width, meta.height]).toEqual([name, 32, 32]);
    }
    const started = events.find((e) => e.type === 'convert-started');
    expect(started?.note).toMatch(/32×32.*latent inversion/);
    const steps = events.filter((e) => e.type === 'convert-tile' && e.input === 'wide.png');
    expect(steps.length).toBe(3);
    expect(steps.every((e) => e.unit === 'inversion steps')).toBe(true);
    expect(steps.map((e) => e.done)).toEqual([10, 20, 30]);
    expect(steps.at(-1)).toMatchObject({ total: 30 });
    const wide = events.find((e) => e.type === 'convert-file' && e.input === 'wide.png');

    // The same inversion run by hand on the same square gives the same error and the same image.
    const translator = await loadCoGanTranslator(checkpointDir, undefined, { steps: 30 });
    try {
      const decoded = await decodeForConversion(path.join(inDir, 'wide.png'), { square: 32 });
      const input = tf.tensor4d(decoded.data, [1, 32, 32, 3]);
      const searched = await translator.translateSearching?.(input, 'AtoB');
      input.dispose();
      if (!searched) throw new Error('a CoGAN translator searches');
      expect(wide?.reconstructionError).toBeCloseTo(searched.reconstructionError, 5);
      expect(searched.reconstructionError).toBeGreaterThan(0);
      const expected = Array.from(await searched.output.data(), (v) => Math.round((v + 1) * 127.5));
      searched.output.dispose();
      const { data } = await sharp(path.join(outDir, 'wide.png')).raw().toBuffer({ resolveWithObject: true });
      let worst = 0;
      for (let i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs((data[i] as number) - Math.min(255, Math.max(0, expected[i] as number))));
      expect(worst).toBeLessThanOrEqual(1);
    } finally {
      translator.dispose();
    }
  });

  it('scales the output to a side in px, and refuses to tile', { timeout: 60_000 }, async () => {
    const outDir = path.join(root, 'out-48');
    const files = [path.join(inDir, 'tall.jpg')];
    const result = await runConvertJob(
      await planned({ ...job(outDir, { size: 48 }), inDir: undefined, files }),
      () => {},
    );
    expect(result.converted).toBe(1);
    const meta = await sharp(path.join(outDir, 'tall.png')).metadata();
    expect([meta.width, meta.height]).toEqual([48, 48]);
    // The work list as given (not resolved here, which would create the folder): the refusal comes first.
    const tiled = path.join(root, 'out-tiled');
    const work = { inDir, outDir: tiled, loose: false, inputs: [] };
    await expect(runConvertJob({ ...job(tiled, { size: 'tiled' }), work }, () => {})).rejects.toThrow(/cannot tile/);
    expect(fs.existsSync(path.join(root, 'out-tiled'))).toBe(false);
  });
});
