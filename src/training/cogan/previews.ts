// The preview a person watches while a CoGAN learns: for a fixed set of latent codes (seeded, the
// same at every preview of a run), G_A(z) and G_B(z) side by side, the pair the model believes
// corresponds. Pairs are laid out four to a row; one PNG per preview, written atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { writeFileAtomic } from '../../node/atomic.ts';
import type { CoupledGenerators } from '../models/coupled-generator.ts';

/** Pairs per row of the grid. */
export const PAIRS_PER_ROW = 4;

/** Renders the grid as 8-bit RGB: each cell is [G_A(z) | G_B(z)]; empty cells are black. */
export function renderCoGanGrid(G: CoupledGenerators, z: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const k = z.shape[0];
    const s = G.imageSize;
    const columns = Math.min(k, PAIRS_PER_ROW);
    const rows = Math.ceil(k / columns);
    const { a, b } = G.generateBoth(z);
    let pairs = tf.concat([a, b], 2); // [K, S, 2S, 3]
    const missing = rows * columns - k;
    if (missing > 0) pairs = tf.concat([pairs, tf.fill([missing, s, 2 * s, 3], -1)], 0);
    // [rows, columns, S, 2S, 3] → [rows, S, columns, 2S, 3] → [rows·S, columns·2S, 3].
    const grid = tf.reshape(tf.transpose(tf.reshape(pairs, [rows, columns, s, 2 * s, 3]), [0, 2, 1, 3, 4]), [
      rows * s,
      columns * 2 * s,
      3,
    ]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(grid, 1), 127.5)), 0, 255), 'int32') as tf.Tensor3D;
  });
}

export async function writeCoGanPreview(G: CoupledGenerators, z: tf.Tensor2D, file: string): Promise<void> {
  const grid = renderCoGanGrid(G, z);
  const [height, width] = grid.shape;
  const pixels = Uint8Array.from(await grid.data());
  grid.dispose();
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
