// Translators with known answers for the sizing tests: a constant offset (any tiling must
// reproduce it exactly) and a small local convolution net without normalisation (a reach of 2 px,
// so tiling with enough overlap must match the whole-image result).
import * as tf from '@tensorflow/tfjs-core';
import type { Translator } from '../../../src/training/inference/translator.ts';

export function toyTranslator(
  apply: (x: tf.Tensor4D) => tf.Tensor4D,
  options: { sizeMultiple?: number; workingBytesPerPixel?: number; onTranslate?: (shape: number[]) => void } = {},
): Translator {
  return {
    model: 'cyclegan',
    engine: 'tfjs',
    step: 0,
    config: {},
    sizeMultiple: options.sizeMultiple ?? 4,
    tileable: true,
    workingBytesPerPixel: options.workingBytesPerPixel ?? 100,
    async translate(image) {
      options.onTranslate?.(image.shape);
      return tf.tidy(() => apply(image));
    },
    dispose() {},
  };
}

export const offsetTranslator = (offset: number, options: Parameters<typeof toyTranslator>[1] = {}) =>
  toyTranslator((x) => tf.add(x, offset) as tf.Tensor4D, options);

/** Two 3×3 'same' convolutions (zero padding) with a ReLU between: each output pixel sees 5×5 input pixels. */
export function localConvTranslator(
  options: Parameters<typeof toyTranslator>[1] = {},
): Translator & { weights: tf.Tensor[] } {
  const w1 = tf.randomNormal([3, 3, 3, 6], 0, 0.4, 'float32', 11) as tf.Tensor4D;
  const w2 = tf.randomNormal([3, 3, 6, 3], 0, 0.4, 'float32', 12) as tf.Tensor4D;
  const translator = toyTranslator((x) => tf.conv2d(tf.relu(tf.conv2d(x, w1, 1, 'same')), w2, 1, 'same'), options);
  return { ...translator, weights: [w1, w2] };
}
