// The preview grid a person watches while a CycleGAN learns: for fixed samples of each domain,
// the paper's visuals side by side — real_A, fake_B = G_A(A), rec_A = G_B(G_A(A)) and
// real_B, fake_A = G_B(B), rec_B = G_A(G_B(B)) — one sample per row, written as one PNG.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { writeFileAtomic } from '../../node/atomic.ts';
import { loadImageBatch, spreadFiles } from '../data/image-batch.ts';
import type { CycleGanNetworks } from './networks.ts';

export const PREVIEW_COLUMNS = ['real_A', 'fake_B', 'rec_A', 'real_B', 'fake_A', 'rec_B'] as const;

export interface PreviewSamples {
  /** [K, size, size, 3] in [−1, 1]. */
  a: tf.Tensor4D;
  b: tf.Tensor4D;
  files: { a: string[]; b: string[] };
}

export async function loadPreviewSamples(
  filesA: readonly string[],
  filesB: readonly string[],
  count: number,
  size: number,
): Promise<PreviewSamples> {
  const pickedA = spreadFiles(filesA, count);
  const pickedB = spreadFiles(filesB, count);
  const rows = Math.min(pickedA.length, pickedB.length);
  const a = pickedA.slice(0, rows);
  const b = pickedB.slice(0, rows);
  return { a: await loadImageBatch(a, size), b: await loadImageBatch(b, size), files: { a, b } };
}

/** Renders the grid as 8-bit RGB: rows = samples, columns = PREVIEW_COLUMNS. */
export function renderCycleGanGrid(nets: CycleGanNetworks, samples: PreviewSamples): tf.Tensor3D {
  return tf.tidy(() => {
    const fakeB = nets.G_A.apply(samples.a);
    const recA = nets.G_B.apply(fakeB);
    const fakeA = nets.G_B.apply(samples.b);
    const recB = nets.G_A.apply(fakeA);
    // [K, H, W*6, 3] then the K rows on top of each other.
    const rows = tf.concat([samples.a, fakeB, recA, samples.b, fakeA, recB], 2);
    const [k, h, w] = rows.shape;
    const grid = tf.reshape(rows, [k * h, w, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(grid, 1), 127.5)), 0, 255), 'int32') as tf.Tensor3D;
  });
}

export async function writeCycleGanPreview(
  nets: CycleGanNetworks,
  samples: PreviewSamples,
  file: string,
): Promise<void> {
  const grid = renderCycleGanGrid(nets, samples);
  const [height, width] = grid.shape;
  const pixels = Uint8Array.from(await grid.data());
  grid.dispose();
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
