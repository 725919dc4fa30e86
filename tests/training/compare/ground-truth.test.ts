// The relation maps reproduce the sample generator's own ground truth (resources/samples), and
// B→A undoes A→B exactly.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSample } from '../../../resources/samples/kinds.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { truthByRelation } from '../../../src/training/compare/ground-truth.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

const toImage = (pixels: Uint8Array, size: number) =>
  tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(pixels), [1, size, size, 3]), 127.5), 1)) as tf.Tensor4D;

describe('truthByRelation', () => {
  for (const relation of ['palette', 'negative'] as const) {
    it(`${relation}: A→B gives the sample's truth image, B→A brings it back to A`, async () => {
      const size = 12;
      const sample = renderSample(relation, 7, 0, size);
      const a = toImage(sample.a, size);
      const truth = toImage(sample.truth, size);
      const mapped = truthByRelation(relation, 'AtoB', a);
      const back = truthByRelation(relation, 'BtoA', mapped);
      const err = tf.tidy(() => [tf.max(tf.abs(tf.sub(mapped, truth))), tf.max(tf.abs(tf.sub(back, a)))]);
      const [toTruth, roundTrip] = await Promise.all(err.map(async (t) => (await t.data())[0] as number));
      expect(toTruth).toBeLessThan(1e-6);
      expect(roundTrip).toBe(0);
      // The map is not the identity on this image.
      const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(mapped, a))));
      expect((await moved.data())[0]).toBeGreaterThan(0.5);
      tf.dispose([a, truth, mapped, back, moved, ...err]);
    });
  }
});
