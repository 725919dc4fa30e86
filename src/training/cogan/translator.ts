// A CoGAN checkpoint as a Translator (src/training/inference), so compare and convert treat it like
// a CycleGAN: each image is inverted to the latent code whose source-domain image reproduces it,
// and that code is drawn in the other domain (invert.ts). A CoGAN draws images of one fixed size,
// so it translates exactly that size (fixedSize), and it is not tileable (a tile's code is not the
// image's). translateSearching is the one-image form with progress and the reconstruction error.
import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import type { Translator } from '../inference/translator.ts';
import { type InversionOptions, invertAndTranslate } from './invert.ts';
import { loadCoGanFromCheckpoint } from './load.ts';

export async function loadCoGanTranslator(
  dir: string,
  _manifest?: CheckpointManifest,
  inversion: Omit<InversionOptions, 'onProgress' | 'signal'> = {},
): Promise<Translator> {
  const loaded = await loadCoGanFromCheckpoint(dir);
  const size = loaded.G.imageSize;
  let disposed = false;
  return {
    model: 'cogan',
    engine: 'tfjs',
    step: loaded.step,
    config: loaded.config,
    sizeMultiple: size,
    fixedSize: size,
    tileable: false,
    async translateSearching(image, direction, options = {}) {
      if (disposed) throw new Error('this translator has been disposed');
      const result = await invertAndTranslate(loaded, image, direction, {
        ...inversion,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      tf.dispose([result.reconstruction, result.z]);
      return { output: result.output, reconstructionError: result.reconstructionError };
    },
    async translate(image: tf.Tensor4D, direction: Direction) {
      if (disposed) throw new Error('this translator has been disposed');
      const [n, h, w, c] = image.shape;
      if (h !== size || w !== size || c !== 3)
        throw new Error(`this CoGAN translates ${size}×${size} RGB images only; got ${w}×${h}×${c}`);
      const outputs: tf.Tensor4D[] = [];
      try {
        for (let i = 0; i < n; i++) {
          const one = tf.slice(image, [i, 0, 0, 0], [1, -1, -1, -1]);
          try {
            const result = await invertAndTranslate(loaded, one, direction, { seed: i, ...inversion });
            tf.dispose([result.reconstruction, result.z]);
            outputs.push(result.output);
          } finally {
            one.dispose();
          }
        }
        return tf.concat(outputs, 0);
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      loaded.dispose();
    },
  };
}
