// The preview grid a person watches while a CUT learns: for fixed samples of each domain the
// reference's visuals side by side — real_A, fake_B = G(A), real_B, idt_B = G(B) — one sample per
// row, written as one PNG. idt_B is drawn for FastCUT too (which does not train it): how much G
// changes a picture that already is a B is worth seeing either way. The samples are CycleGAN's
// (the same files of each domain, cyclegan/previews.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { writeFileAtomic } from '../../node/atomic.ts';
import { loadPreviewSamples, type PreviewSamples } from '../cyclegan/previews.ts';
import type { Network } from '../models/network.ts';

export { loadPreviewSamples, type PreviewSamples };

export const CUT_PREVIEW_COLUMNS = ['real_A', 'fake_B', 'real_B', 'idt_B'] as const;

/** Renders the grid as 8-bit RGB: rows = samples, columns = CUT_PREVIEW_COLUMNS. */
export function renderCutGrid(G: Network, samples: PreviewSamples): tf.Tensor3D {
  return tf.tidy(() => {
    const fakeB = G.apply(samples.a);
    const idtB = G.apply(samples.b);
    // [K, H, W*4, 3] then the K rows on top of each other.
    const rows = tf.concat([samples.a, fakeB, samples.b, idtB], 2);
    const [k, h, w] = rows.shape;
    const grid = tf.reshape(rows, [k * h, w, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(grid, 1), 127.5)), 0, 255), 'int32') as tf.Tensor3D;
  });
}

export async function writeCutPreview(G: Network, samples: PreviewSamples, file: string): Promise<void> {
  const grid = renderCutGrid(G, samples);
  const [height, width] = grid.shape;
  const pixels = Uint8Array.from(await grid.data());
  grid.dispose();
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
