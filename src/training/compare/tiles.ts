// Writes one image of a batch as a PNG tile (the compare grid's cells), atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { writeFileAtomic } from '../../node/atomic.ts';

/** Image `index` of an NHWC batch in [−1, 1] as an 8-bit RGB PNG at `file`. */
export async function writeTile(batch: tf.Tensor4D, index: number, file: string): Promise<void> {
  const [, height, width] = batch.shape;
  const bytes = tf.tidy(() => {
    const image = tf.slice(batch, [index, 0, 0, 0], [1, -1, -1, -1]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(image, 1), 127.5)), 0, 255), 'int32');
  });
  const pixels = Uint8Array.from(await bytes.data());
  bytes.dispose();
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
