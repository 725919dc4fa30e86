// Latent inversion finds the code of an image the model can draw: for an image made by G_A(z*),
// the search from random starts must bring the reconstruction error far below where it began,
// and the translation G_B(z) must come close to G_B(z*), the image's true partner.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { invertAndTranslate } from '../../../src/training/cogan/invert.ts';
import { type CoupledGenerators, coupledGenerators } from '../../../src/training/models/coupled-generator.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';

let G: CoupledGenerators;
beforeAll(async () => {
  await selectBackend('wasm');
  G = coupledGenerators({ imageSize: 32, zDim: 16, ngf: 8, shared: 3, seed: 4 });
  // Fresh DCGAN weights draw near-grey images; larger heads give images with contrast to match.
  for (const store of [G.stores.G_A, G.stores.G_B])
    for (const variable of store.variables.values()) variable.assign(tf.mul(variable, 40));
});
afterAll(() => {
  for (const store of Object.values(G.stores)) disposeParams(store);
});

const meanAbs = (x: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => tf.mean(tf.abs(tf.sub(x, y))).dataSync()[0] as number) / 2;

test('A→B: the reconstruction error falls well below its start and the translation finds the partner', async () => {
  const zStar = tf.randomNormal([1, 16], 0, 1, 'float32', 77) as tf.Tensor2D;
  const { a: image, b: partner } = G.generateBoth(zStar);
  const progress: number[] = [];
  const result = await invertAndTranslate({ G }, image, 'AtoB', {
    steps: 150,
    restarts: 3,
    learningRate: 0.05,
    seed: 1,
    onProgress: (done, total) => {
      expect(total).toBe(150);
      progress.push(done);
    },
  });
  const translationError = meanAbs(result.output, partner);
  const startTranslationError = tf.tidy(() => {
    const starts = tf.randomNormal([1, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    return meanAbs(G.generate(starts, 'B'), partner);
  });
  console.log(
    `inversion: reconstruction error ${result.initialError.toFixed(4)} → ${result.reconstructionError.toFixed(4)}, translation error ${translationError.toFixed(4)} (a random code: ${startTranslationError.toFixed(4)})`,
  );
  expect(result.initialError).toBeGreaterThan(0.05);
  expect(result.reconstructionError).toBeLessThan(result.initialError * 0.3);
  // The reported error is the reconstruction's real error against the input.
  expect(result.reconstructionError).toBeCloseTo(meanAbs(result.reconstruction, image), 5);
  expect(translationError).toBeLessThan(startTranslationError * 0.5);
  expect(result.output.shape).toEqual([1, 32, 32, 3]);
  expect(result.z.shape).toEqual([1, 16]);
  expect(progress.at(-1)).toBe(150);
  expect(progress).toEqual([...progress].sort((x, y) => x - y));
  tf.dispose([zStar, image, partner, result.output, result.reconstruction, result.z]);
});

test('B→A inverts through G_B; a wrong size or a cancel is refused without leaking tensors', async () => {
  const before = tf.memory().numTensors;
  const wrong = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
  await expect(invertAndTranslate({ G }, wrong, 'BtoA')).rejects.toThrow(/one 32×32 RGB image/);
  const image = tf.tidy(() => G.generate(tf.randomNormal([1, 16], 0, 1, 'float32', 8) as tf.Tensor2D, 'B'));
  const controller = new AbortController();
  controller.abort();
  await expect(invertAndTranslate({ G }, image, 'BtoA', { signal: controller.signal })).rejects.toThrow(/cancelled/);
  const result = await invertAndTranslate({ G }, image, 'BtoA', { steps: 40, restarts: 2 });
  expect(result.reconstructionError).toBeLessThan(result.initialError);
  tf.dispose([wrong, image, result.output, result.reconstruction, result.z]);
  expect(tf.memory().numTensors).toBe(before);
});
