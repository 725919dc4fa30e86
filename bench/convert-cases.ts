// Conversion benchmarks: a folder of images through convertBatch (decode, translate, encode and
// write, pipelined) with a real checkpoint of the generator a user converts with. A checkpoint
// of freshly initialised generators is saved to a temporary folder and opened with
// loadTranslator, so the whole path a `diptych convert` takes is timed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { collectConvertInputs } from '../src/node/convert/inputs.ts';
import { ConvertOptions, type ConvertSize } from '../src/shared/convert.ts';
import { saveCheckpoint } from '../src/training/checkpoint/index.ts';
import { convertBatch } from '../src/training/convert/batch.ts';
import { generatorsForConfig } from '../src/training/cyclegan/networks.ts';
import { loadTranslator } from '../src/training/inference/load.ts';
import type { Translator } from '../src/training/inference/translator.ts';
import { disposeParams } from '../src/training/nn/params.ts';
import type { CaseTiming } from './timing.ts';

export interface ConvertShape {
  width: number;
  height: number;
  images: number;
  ngf: number;
  netG: 'resnet_9blocks' | 'resnet_6blocks';
  size: ConvertSize;
  /** What runs the network: ONNX Runtime (the default engine) or TensorFlow.js. */
  engine: 'onnx' | 'tfjs';
}

async function benchTranslator(
  netG: ConvertShape['netG'],
  ngf: number,
  engine: ConvertShape['engine'],
  dir: string,
): Promise<Translator> {
  const config = { netG, ngf, seed: 0 };
  const nets = generatorsForConfig(config);
  const checkpoint = path.join(dir, 'checkpoint');
  await saveCheckpoint(checkpoint, {
    format: 1,
    model: 'cyclegan',
    step: 0,
    epoch: 0,
    config,
    networks: { G_A: nets.G_A.params, G_B: nets.G_B.params },
    optimizers: {},
  });
  disposeParams(nets.G_A.params);
  disposeParams(nets.G_B.params);
  return loadTranslator(checkpoint, { engine });
}

/** A smooth colour field with some texture: a photo-like PNG that encodes quickly. */
async function writePhoto(file: string, width: number, height: number, seed: number): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128 + 100 * Math.sin((x + y + seed * 17) / 23);
    }
  await sharp(data, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toFile(file);
}

export async function convertFolder(shape: ConvertShape): Promise<CaseTiming> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-bench-convert-'));
  try {
    const translator = await benchTranslator(shape.netG, shape.ngf, shape.engine, root);
    const engine = {
      engine: translator.engine,
      ...(translator.engineNote ? { engine_note: translator.engineNote } : {}),
    };
    const inDir = path.join(root, 'in');
    const warmDir = path.join(root, 'warm');
    fs.mkdirSync(inDir);
    fs.mkdirSync(warmDir);
    for (let i = 0; i < shape.images; i++) await writePhoto(path.join(inDir, `${i}.png`), shape.width, shape.height, i);
    // Warm-up on a small image: kernel set-up and first-call costs stay out of the timing.
    await writePhoto(path.join(warmDir, 'warm.png'), 64, 64, 0);
    // The work list as the host resolves it before an engine starts (src/main/jobs/convert.ts).
    const options = async (inDir: string, outDir: string) => {
      const given = { ...ConvertOptions.parse({ direction: 'AtoB', inDir, outDir, size: shape.size }), jobId: 'bench' };
      return { ...given, work: await collectConvertInputs(given) };
    };
    await convertBatch(await options(warmDir, path.join(root, 'warm-out')), { translator, emit: () => {} });

    const tensorsBefore = tf.memory().numTensors;
    let tiles = 0;
    const started = performance.now();
    const result = await convertBatch(await options(inDir, path.join(root, 'out')), {
      translator,
      emit: (event) => {
        if (event.type === 'convert-file' && event.status === 'converted') {
          tiles = Math.max(tiles, event.tiles ?? 1);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const tensorsAfter = tf.memory().numTensors;
    translator.dispose();
    if (result.converted !== shape.images) throw new Error(`converted ${result.converted} of ${shape.images} images`);
    // A pipeline's time per image is its wall time over the images: a file's own span overlaps the
    // next file's translation (decode and encode run beside it), so per-file spans would count twice.
    const perImageMs = Math.round(((seconds * 1000) / shape.images) * 10) / 10;
    return {
      median_ms: perImageMs,
      min_ms: perImageMs,
      iterations: shape.images,
      images_per_s: Math.round((shape.images / seconds) * 1000) / 1000,
      tensors_before: tensorsBefore,
      tensors_after: tensorsAfter,
      throughput: { value: tiles, unit: tiles === 1 ? 'tile per image (whole)' : 'tiles per image' },
      ...engine,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
