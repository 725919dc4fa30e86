// Conversion through a translator that takes one square size only (a CoGAN, which translates by
// latent inversion): the image is decoded straight to that square (scaled so its shorter side
// fits, the middle of the longer side kept — docs/CONVERT.md says why), searched for, and written
// at the model's size or, for a size in px, scaled to a square of that side. Tiling is refused:
// a tile's latent code is not the image's.
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import type { ConvertSize } from '../../shared/convert.ts';
import type { RgbImage } from '../inference/rgb-image.ts';
import type { Translator } from '../inference/translator.ts';

/** Why a size mode cannot be used with this translator, or null. */
export function fixedSizeProblem(translator: Translator, size: ConvertSize): string | null {
  if (translator.fixedSize === undefined || size !== 'tiled') return null;
  const side = translator.fixedSize;
  return `This ${translator.model === 'cogan' ? 'CoGAN ' : ''}checkpoint translates ${side}×${side} images as a whole (by latent inversion), so it cannot tile: choose full (the model's ${side} px) or a side in px.`;
}

/** What convert-started says about the images of a fixed-size translator. */
export function fixedSizeNote(translator: Translator, size: ConvertSize): string {
  const side = translator.fixedSize as number;
  const written = typeof size === 'number' ? `written at ${size}×${size}` : `written at ${side}×${side}`;
  return `This checkpoint draws ${side}×${side} images: each input is centre-cropped to a square, scaled to ${side} px and translated by latent inversion (slow: progress within each image), ${written}; each file reports its reconstruction error.`;
}

/** The output's size: the model's square, or a square of the asked side. */
export function fixedOutputSize(translator: Translator, size: ConvertSize): { width: number; height: number } {
  const side = typeof size === 'number' ? size : (translator.fixedSize as number);
  return { width: side, height: side };
}

export interface FixedSizeResult {
  image: RgbImage;
  reconstructionError: number | undefined;
}

/** Translates one image already at the translator's square size. */
export async function translateFixedSize(
  translator: Translator,
  image: RgbImage,
  direction: Direction,
  options: { signal?: AbortSignal | undefined; onProgress?: (done: number, total: number) => void },
): Promise<FixedSizeResult> {
  const side = translator.fixedSize as number;
  if (image.width !== side || image.height !== side)
    throw new Error(`expected a ${side}×${side} image for this checkpoint, got ${image.width}×${image.height}`);
  const input = tf.tensor4d(image.data, [1, side, side, 3]);
  try {
    let output: tf.Tensor4D;
    let reconstructionError: number | undefined;
    if (translator.translateSearching) {
      const searched = await translator.translateSearching(input, direction, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      output = searched.output;
      reconstructionError = searched.reconstructionError;
    } else {
      output = await translator.translate(input, direction);
    }
    try {
      return { image: { width: side, height: side, data: (await output.data()) as Float32Array }, reconstructionError };
    } finally {
      output.dispose();
    }
  } finally {
    input.dispose();
  }
}
