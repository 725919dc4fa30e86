// Files → one [N, size, size, 3] batch in [−1, 1], resized as previews and evaluations see them.
import * as tf from '@tensorflow/tfjs-core';
import { loadImageForPreview } from './load-image.ts';

export async function loadImageBatch(files: readonly string[], size: number): Promise<tf.Tensor4D> {
  const images = await Promise.all(files.map((file) => loadImageForPreview(file, size)));
  const data = new Float32Array(images.length * size * size * 3);
  for (const [i, image] of images.entries()) data.set(image.data, i * size * size * 3);
  return tf.tensor4d(data, [images.length, size, size, 3]);
}

/** Evenly spaced files, so a sample shows the spread of a folder rather than its first images. */
export function spreadFiles(files: readonly string[], count: number): string[] {
  const n = Math.min(count, files.length);
  return Array.from({ length: n }, (_, i) => files[Math.floor((i * files.length) / n)] as string);
}
