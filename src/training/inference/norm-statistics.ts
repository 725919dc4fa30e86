// Instance normalisation over tiles. A CycleGAN generator normalises every feature map by its
// own mean and variance over the whole image; a tile on its own would use the tile's statistics,
// so neighbouring tiles of one photo would come out in different tones. Instead the statistics
// are recorded once from a view of the whole image (downscaled to fit the memory budget) and
// every tile is normalised with them: the tiles agree with each other, and with the whole-image
// result as far as the view's statistics match the full resolution's.
import * as tf from '@tensorflow/tfjs-core';
import { withNormStatisticsHook } from '../nn/layers.ts';
import type { RgbImage } from './rgb-image.ts';

export interface NormStatistics {
  /** Each instance norm's [1, 1, 1, C] mean and variance, in the order the forward pass calls them. */
  readonly layers: readonly { mean: tf.Tensor; variance: tf.Tensor }[];
  dispose(): void;
}

/** Runs a forward pass and keeps the statistics each instance norm computed. */
export function recordNormStatistics(forward: () => tf.Tensor): NormStatistics {
  const layers: { mean: tf.Tensor; variance: tf.Tensor }[] = [];
  const output = withNormStatisticsHook(
    (mean, variance) => {
      layers.push({ mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()) });
      return { mean, variance };
    },
    () => tf.tidy(forward),
  );
  output.dispose();
  return {
    layers,
    dispose: () => {
      for (const { mean, variance } of layers) tf.dispose([mean, variance]);
    },
  };
}

/** Runs a forward pass whose instance norms use recorded statistics instead of their own. */
export function replayNormStatistics<T extends tf.Tensor>(statistics: NormStatistics, forward: () => T): T {
  let next = 0;
  const result = withNormStatisticsHook(
    (mean) => {
      const recorded = statistics.layers[next++];
      if (!recorded) throw new Error('the network normalised more often than when its statistics were recorded');
      if (recorded.mean.shape.at(-1) !== mean.shape.at(-1))
        throw new Error('recorded normalisation statistics do not fit this network');
      return recorded;
    },
    () => tf.tidy(forward),
  );
  if (next !== statistics.layers.length) {
    result.dispose();
    throw new Error('the network normalised less often than when its statistics were recorded');
  }
  return result;
}

/** An area-averaged smaller copy of an image (the view the statistics are taken from). */
export function downscale(image: RgbImage, width: number, height: number): RgbImage {
  if (width === image.width && height === image.height) return image;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * image.width + sx) * 3;
          r += image.data[i] as number;
          g += image.data[i + 1] as number;
          b += image.data[i + 2] as number;
        }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 3;
      data[o] = r / n;
      data[o + 1] = g / n;
      data[o + 2] = b / n;
    }
  }
  return { width, height, data };
}
