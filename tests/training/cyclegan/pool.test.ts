// The image pool against the reference ImagePool's rules, with scripted randomness so every
// swap is known in advance.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createImagePool } from '../../../src/training/cyclegan/pool.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A batch whose image i is filled with values[i], so an output image names its source. */
function batch(...values: number[]): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.concat(
        values.map((v) => tf.fill([1, 2, 2, 3], v)),
        0,
      ) as tf.Tensor4D,
  );
}

/** The fill value of each image of a batch. */
function labels(images: tf.Tensor4D): number[] {
  const data = images.dataSync();
  const per = images.size / images.shape[0];
  return Array.from({ length: images.shape[0] }, (_, i) => data[i * per] as number);
}

function scripted(values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('the pool drew more random numbers than scripted');
    return values[i++] as number;
  };
}

function query(pool: ReturnType<typeof createImagePool>, ...values: number[]): number[] {
  const input = batch(...values);
  const output = pool.query(input);
  expect(output).not.toBe(input);
  expect(output.shape).toEqual(input.shape);
  const result = labels(output);
  tf.dispose([input, output]);
  return result;
}

describe('createImagePool', () => {
  it('with size 0 returns the input images as they are and stores nothing', async () => {
    const pool = createImagePool(0, scripted([]));
    expect(query(pool, 1, 2, 3)).toEqual([1, 2, 3]);
    expect(pool.size).toBe(0);
    expect(await pool.exportState()).toEqual({ capacity: 0, images: [] });
  });

  it('stores and returns new images, drawing no random number, while not full', async () => {
    const pool = createImagePool(3, scripted([]));
    expect(query(pool, 1)).toEqual([1]);
    expect(query(pool, 2, 3)).toEqual([2, 3]);
    expect(pool.size).toBe(3);
    expect((await pool.exportState()).images.map((image) => image.data[0])).toEqual([1, 2, 3]);
    pool.dispose();
  });

  it('when full, returns a stored image and stores the new one in its place when p > 0.5, else the new image', async () => {
    // Full after [10, 11, 12]. Then per image: p = 0.9 → slot ⌊0.4·3⌋ = 1 (holds 11); p = 0.5 → the new image
    // (the reference swaps only for p > 0.5); p = 0.51 → slot ⌊0.99·3⌋ = 2 (holds 12).
    const pool = createImagePool(3, scripted([0.9, 0.4, 0.5, 0.51, 0.99]));
    expect(query(pool, 10, 11, 12)).toEqual([10, 11, 12]);
    expect(query(pool, 20, 21, 22)).toEqual([11, 21, 12]);
    expect((await pool.exportState()).images.map((image) => image.data[0])).toEqual([10, 20, 22]);
    expect(pool.size).toBe(3);
    pool.dispose();
  });

  it('decides per image of a batch, including the batch that fills the pool', async () => {
    // Capacity 2: 1 and 2 are stored and returned, 3 meets a full pool: p 0.7 → slot ⌊0·2⌋ = 0 (holds 1).
    const pool = createImagePool(2, scripted([0.7, 0]));
    expect(query(pool, 1, 2, 3)).toEqual([1, 2, 1]);
    expect((await pool.exportState()).images.map((image) => image.data[0])).toEqual([3, 2]);
    pool.dispose();
  });

  it('returns about half stored images once full, drawn from every slot', async () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pool = createImagePool(5, random);
    query(pool, 0, 1, 2, 3, 4);
    let fromPool = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const [out] = query(pool, 100 + i);
      if (out !== 100 + i) {
        fromPool++;
        seen.add(out as number);
      }
    }
    expect(fromPool).toBeGreaterThan(160);
    expect(fromPool).toBeLessThan(240);
    for (const slot of [0, 1, 2, 3, 4]) expect(seen.has(slot)).toBe(true);
    pool.dispose();
  });

  it('resumes from its exported state: the same draws give the same images', async () => {
    const draws = [0.8, 0.1, 0.3, 0.95, 0.6];
    const first = createImagePool(2, scripted([0.9, 0.2, ...draws]));
    query(first, 1, 2);
    query(first, 3);
    const state = await first.exportState();
    expect(state.images.map((image) => image.shape)).toEqual([
      [1, 2, 2, 3],
      [1, 2, 2, 3],
    ]);
    const second = createImagePool(2, scripted(draws), state);
    const continued = createImagePool(2, scripted(draws), await first.exportState());
    expect(second.size).toBe(2);
    expect(query(second, 4, 5, 6)).toEqual(query(first, 4, 5, 6));
    // And the restored pool does not depend on the original living on.
    first.dispose();
    expect(query(continued, 4, 5, 6)).toEqual([3, 5, 2]);
    second.dispose();
    continued.dispose();
  });

  it('refuses a saved state of another size', async () => {
    const state = { capacity: 50, images: [] };
    expect(() => createImagePool(10, Math.random, state)).toThrow(/holds up to 50 images, this run's pool 10/);
    expect(() => createImagePool(-1, Math.random)).toThrow(/not a whole number/);
  });

  it('leaks no tensor: query output is the caller’s, stored images go with dispose', async () => {
    const before = tf.memory().numTensors;
    let seed = 1;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const pool = createImagePool(4, random);
    for (let i = 0; i < 30; i++) {
      const input = batch(i, i + 0.5, i + 0.25);
      const output = pool.query(input);
      tf.dispose([input, output]);
      expect(tf.memory().numTensors).toBe(before + pool.size);
    }
    expect(pool.size).toBe(4);
    pool.dispose();
    expect(pool.size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
