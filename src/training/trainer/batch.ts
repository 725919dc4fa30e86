// A step's samples from the data stream as one [N, H, W, 3] tensor per domain: the batch assembly
// every model shares (the stream's sample k is image k mod N of step ⌊k / N⌋).
import * as tf from '@tensorflow/tfjs-core';
import type { ImageData32 } from '../data/load-image.ts';
import type { UnpairedSample } from '../data/pairs.ts';
import type { RealBatch } from './model-definition.ts';

/**
 * One domain's images as one tensor. All must share one size (the first image's, or `imageSize`
 * where the networks take only that): a batch of mixed sizes cannot be stacked, and a network built
 * for one size would fail deep inside a layer; this fails naming the file.
 */
function stack(images: readonly { image: ImageData32; file: string }[], imageSize: number | undefined): tf.Tensor4D {
  const first = images[0];
  if (!first) throw new Error('a training step needs at least one sample');
  const width = imageSize ?? first.image.width;
  const height = imageSize ?? first.image.height;
  const pixels = width * height * 3;
  const data = new Float32Array(images.length * pixels);
  for (const [i, { image, file }] of images.entries()) {
    if (image.width !== width || image.height !== height)
      throw new Error(
        imageSize === undefined
          ? `${file} came out ${image.width}×${image.height}, the rest of its batch ${width}×${height}`
          : `${file} came out ${image.width}×${image.height}, the networks take ${width}×${height}`,
      );
    data.set(image.data, i * pixels);
  }
  return tf.tensor4d(data, [images.length, height, width, 3]);
}

/**
 * Stacks decoded samples, A and B apart: the two domains may differ in size where the preprocessing
 * keeps each image's own shape (CycleGAN's scale_width and none, one image per step).
 */
export function stackBatch(samples: readonly UnpairedSample[], imageSize?: number): RealBatch {
  const a = stack(
    samples.map((s) => ({ image: s.a, file: s.fileA })),
    imageSize,
  );
  try {
    return {
      a,
      b: stack(
        samples.map((s) => ({ image: s.b, file: s.fileB })),
        imageSize,
      ),
    };
  } catch (error) {
    a.dispose();
    throw error;
  }
}
