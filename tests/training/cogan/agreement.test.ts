// The agreement evaluation: its relations reproduce the sample domains' ground truth, and the
// ratio and κ separate a coupled pair from an uncoupled one and from the trivially agreeing grey
// pair of an untrained model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSamples } from '../../../src/main/samples.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { measureAgreement, relationTransform } from '../../../src/training/cogan/agreement.ts';
import { loadImageForPreview } from '../../../src/training/data/load-image.ts';
import type { CoupledGenerators, Domain } from '../../../src/training/models/coupled-generator.ts';

const dirs: string[] = [];
beforeAll(async () => {
  await selectBackend('cpu');
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('relations', () => {
  test.each(['negative', 'palette'] as const)('%s maps every A sample onto its ground truth', async (kind) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-relation-'));
    dirs.push(out);
    const samples = await writeSamples({ out, kind, count: 3, size: 16, seed: 3 });
    const transform = relationTransform(kind);
    if (!transform) throw new Error('no transform');
    for (const name of fs.readdirSync(samples.a)) {
      const a = await loadImageForPreview(path.join(samples.a, name), 16);
      const truth = await loadImageForPreview(path.join(samples.truth, name), 16);
      const error = tf.tidy(() => {
        const mapped = transform(tf.tensor4d(a.data, [1, 16, 16, 3]));
        return tf.max(tf.abs(tf.sub(mapped, tf.tensor4d(truth.data, [1, 16, 16, 3])))).dataSync()[0] as number;
      });
      // Exact up to float rounding of the 8-bit values.
      expect(error).toBeLessThan(1e-5);
    }
  });

  test('none has no transform', async () => {
    expect(relationTransform('none')).toBeNull();
  });
});

/** A stand-in for trained generators: each code's A image is one flat colour drawn from z. */
function flatGenerators(bOf: (a: tf.Tensor4D, z: tf.Tensor2D) => tf.Tensor4D): CoupledGenerators {
  const size = 4;
  const a = (z: tf.Tensor2D) =>
    tf.tidy(
      () =>
        tf.tile(tf.reshape(tf.tanh(tf.slice(z, [0, 0], [-1, 3])), [-1, 1, 1, 3]), [1, size, size, 1]) as tf.Tensor4D,
    );
  const generate = (z: tf.Tensor2D, domain: Domain) => (domain === 'A' ? a(z) : tf.tidy(() => bOf(a(z), z)));
  return {
    stores: {} as CoupledGenerators['stores'],
    zDim: 3,
    imageSize: size,
    generate,
    generateBoth: (z) => ({ a: generate(z, 'A'), b: generate(z, 'B') }),
  };
}

describe('measureAgreement', () => {
  let z: tf.Tensor2D;
  beforeAll(() => {
    z = tf.randomNormal([40, 3], 0, 1, 'float32', 9) as tf.Tensor2D;
  });

  test('a perfectly coupled pair agrees everywhere, well above chance', async () => {
    const result = await measureAgreement(
      flatGenerators((a) => tf.neg(a)),
      'negative',
      z,
      0.1,
    );
    expect(result?.agreement).toBe(1);
    expect(result?.chance).toBeLessThan(0.5);
    expect(result?.kappa).toBe(1);
  });

  test('an uncoupled pair agrees only by chance: κ near 0', async () => {
    // B's colour comes from the next code: the right kind of image, of another scene.
    const uncoupled = flatGenerators((_, codes) =>
      tf.tile(
        tf.reshape(tf.neg(tf.tanh(tf.slice(tf.reverse(codes, 0), [0, 0], [-1, 3]))), [-1, 1, 1, 3]),
        [1, 4, 4, 1],
      ),
    );
    const result = await measureAgreement(uncoupled, 'negative', z, 0.1);
    expect(result?.agreement).toBeLessThan(0.3);
    expect(Math.abs(result?.kappa ?? 1)).toBeLessThan(0.25);
  });

  test('two grey generators agree everywhere, and κ says that proves nothing', async () => {
    const grey = flatGenerators((a) => tf.mul(a, 0));
    const greyA: CoupledGenerators = { ...grey, generate: (codes) => tf.zeros([codes.shape[0], 4, 4, 3]) };
    greyA.generateBoth = (codes) => ({ a: greyA.generate(codes, 'A'), b: greyA.generate(codes, 'B') });
    const result = await measureAgreement(greyA, 'negative', z, 0.1);
    expect(result).toEqual({ agreement: 1, chance: 1, kappa: 0 });
  });

  test('the palette relation: (r, g, b) → (−b, r, g)', async () => {
    const coupled = flatGenerators((a) => {
      const [r, g, b] = tf.split(a, 3, 3);
      return tf.concat([tf.neg(b as tf.Tensor), r as tf.Tensor, g as tf.Tensor], 3) as tf.Tensor4D;
    });
    expect((await measureAgreement(coupled, 'palette', z, 0.05))?.agreement).toBe(1);
    expect((await measureAgreement(coupled, 'negative', z, 0.05))?.agreement).toBeLessThan(0.5);
  });
});
