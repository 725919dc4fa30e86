// A 6000×4000 photo on the wasm backend, with the working memory per pixel of the standard
// generator (ngf 64): it cannot be translated whole under wasm's budget, so it is tiled, and
// the result is complete and right. (The translator is a constant offset, so the test is about
// sizes, memory and blending, not about the network's speed.)
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { ConvertEngineEvent } from '../../../src/shared/convert.ts';
import { ConvertOptions } from '../../../src/shared/convert.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { convertBatch } from '../../../src/training/convert/batch.ts';
import { workingBytesPerPixel } from '../../../src/training/inference/generator-checkpoint.ts';
import { offsetTranslator } from '../inference/toy-translators.ts';
import { planned, tempDir } from './fixtures.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

it('converts a 6000×4000 photo in tiles on wasm', { timeout: 120_000 }, async () => {
  const inDir = tempDir();
  const width = 6000;
  const height = 4000;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = 100;
    }
  await sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toFile(path.join(inDir, 'big.png'));
  const outDir = tempDir();
  const events: ConvertEngineEvent[] = [];
  const before = tf.memory().numTensors;
  const translator = offsetTranslator(0, { workingBytesPerPixel: workingBytesPerPixel('resnet_9blocks', 64) });
  const result = await convertBatch(
    await planned({ ...ConvertOptions.parse({ direction: 'AtoB', inDir, outDir }), jobId: 'big' }),
    { translator, emit: (event) => events.push(event) },
  );
  expect(result).toMatchObject({ converted: 1, failed: 0 });
  const file = events.find((e) => e.type === 'convert-file');
  expect(file).toMatchObject({ status: 'converted', tiles: 24 * 16 });
  expect(tf.memory().numTensors).toBe(before);
  // The identity through tiles gives the photo back (png: lossless).
  const out = await sharp(path.join(outDir, 'big.png')).raw().toBuffer({ resolveWithObject: true });
  expect([out.info.width, out.info.height]).toEqual([width, height]);
  let worst = 0;
  for (let i = 0; i < raw.length; i += 997)
    worst = Math.max(worst, Math.abs((raw[i] as number) - (out.data[i] as number)));
  expect(worst).toBe(0);
  fs.rmSync(inDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});
