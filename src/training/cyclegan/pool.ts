// The image pool of Shrivastava et al. (2017), as the CycleGAN reference's ImagePool: the
// discriminators see a mix of the newest fakes and fakes from earlier generators, which keeps
// them from chasing the generator's latest move. Randomness is injected so that a run (and its
// resume from a checkpoint) replays the same swaps.
import * as tf from '@tensorflow/tfjs-core';
import type { PoolState } from '../checkpoint/format.ts';

/** A pool's stored images as a checkpoint keeps them: the checkpoint's neutral tensor-list state. */
export type { PoolState };

export interface ImagePool {
  /** Per image of the batch, the image itself or a stored one; a NEW tensor the caller owns and disposes. */
  query(images: tf.Tensor4D): tf.Tensor4D;
  /** A copy of the stored images, for a checkpoint. */
  exportState(): Promise<PoolState>;
  dispose(): void;
  /** Images stored now (at most the capacity). */
  readonly size: number;
}

export const DEFAULT_POOL_SIZE = 50;

export function createImagePool(capacity: number, random: () => number, state?: PoolState): ImagePool {
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new Error(`image pool size ${capacity} is not a whole number ≥ 0`);
  const stored: tf.Tensor4D[] = [];
  if (state) {
    if (state.capacity !== capacity)
      throw new Error(`the saved image pool holds up to ${state.capacity} images, this run's pool ${capacity}`);
    if (state.images.length > capacity)
      throw new Error(`the saved image pool has ${state.images.length} images, more than its size ${capacity}`);
    for (const image of state.images) {
      if (image.shape.length !== 4 || image.shape[0] !== 1)
        throw new Error(`a saved pool image has shape [${image.shape}], expected [1, height, width, channels]`);
      stored.push(tf.keep(tf.tensor4d(image.data, image.shape as [number, number, number, number])));
    }
  }

  function query(images: tf.Tensor4D): tf.Tensor4D {
    if (capacity === 0) return tf.clone(images);
    const parts: tf.Tensor4D[] = [];
    const disposable: tf.Tensor4D[] = [];
    const [batch, height, width, channels] = images.shape;
    for (let i = 0; i < batch; i++) {
      const image = tf.slice(images, [i, 0, 0, 0], [1, height, width, channels]);
      if (stored.length < capacity) {
        stored.push(tf.keep(image));
        parts.push(image);
      } else if (random() > 0.5) {
        // The reference draws randint(0, pool_size − 1): every slot, uniformly.
        const slot = Math.min(capacity - 1, Math.floor(random() * capacity));
        const previous = stored[slot] as tf.Tensor4D;
        stored[slot] = tf.keep(image);
        parts.push(previous);
        disposable.push(previous);
      } else {
        parts.push(image);
        disposable.push(image);
      }
    }
    const result = tf.concat(parts, 0);
    tf.dispose(disposable);
    return result;
  }

  return {
    query,
    // Asynchronous: a GPU backend reads its buffers back only asynchronously.
    exportState: async () => ({
      capacity,
      images: await Promise.all(
        stored.map(async (image) => ({ shape: [...image.shape], data: Float32Array.from(await image.data()) })),
      ),
    }),
    dispose: () => {
      tf.dispose(stored);
      stored.length = 0;
    },
    get size() {
      return stored.length;
    },
  };
}
