// Scoring a checkpoint: with translators whose outputs are known exactly (the perfect `negative`
// map, and doing nothing) every number is computable by hand; with a real tiny checkpoint, the
// engine job's tiles and scores agree with the networks' own outputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamples } from '../../../src/main/samples.ts';
import type { Direction } from '../../../src/shared/basics.ts';
import type { CheckpointScores, CompareEngineEvent } from '../../../src/shared/compare.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { runCompareJob } from '../../../src/training/compare/engine-job.ts';
import { truthByRelation } from '../../../src/training/compare/ground-truth.ts';
import { scoreCheckpoint } from '../../../src/training/compare/score-checkpoint.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import type { Translator } from '../../../src/training/inference/index.ts';
import { savedTinyCheckpoint } from '../inference/helpers.ts';

let root: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-score-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function fakeTranslator(map: (x: tf.Tensor4D) => tf.Tensor4D): Translator {
  return {
    model: 'cyclegan',
    engine: 'tfjs',
    step: 9,
    config: {},
    sizeMultiple: 4,
    tileable: true,
    translate: async (image) => tf.tidy(() => map(image)),
    dispose: () => {},
  };
}

/** A one-way translator, as a CUT checkpoint is: A → B only; asking it for B → A is a failure. */
function oneWayTranslator(map: (x: tf.Tensor4D) => tf.Tensor4D, asked: Direction[]): Translator {
  return {
    model: 'cut',
    engine: 'tfjs',
    step: 11,
    config: {},
    sizeMultiple: 4,
    tileable: true,
    translate: async (image, direction) => {
      asked.push(direction);
      if (direction !== 'AtoB') throw new Error('a CUT checkpoint translates A → B only');
      return tf.tidy(() => map(image));
    },
    dispose: () => {},
  };
}

const meanAbs = async (x: tf.Tensor) => {
  const m = tf.tidy(() => tf.mean(tf.abs(x)));
  const v = (await m.data())[0] as number;
  m.dispose();
  return v;
};

describe('scoreCheckpoint', () => {
  it('a perfect negative translator: cycle and truth exact, identity L1 = mean |x| of the other domain', async () => {
    const A = tf.randomUniform([5, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const B = tf.randomUniform([3, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const images = {
      A,
      B,
      truth: { AtoB: truthByRelation('negative', 'AtoB', A), BtoA: truthByRelation('negative', 'BtoA', B) },
    };
    const progress: number[] = [];
    const scores = await scoreCheckpoint(
      fakeTranslator((x) => tf.neg(x)),
      images,
      {
        outDir: path.join(root, 'negative'),
        onProgress: (done, total) => progress.push(done / total),
      },
    );
    expect(scores.size).toBe(16);
    expect(scores.AtoB.cycle).toEqual({ l1: 0, psnr: 100, ssim: 1 });
    expect(scores.AtoB.truth).toEqual({ l1: 0, psnr: 100, ssim: 1 });
    expect(scores.AtoB.perImage).toHaveLength(5);
    expect(scores.BtoA?.perImage).toHaveLength(3);
    // G_A(b) = −b against b: |(1 − b)/2 − (1 + b)/2| = |b| on [0, 1].
    expect(scores.AtoB.identityL1).toBeCloseTo(await meanAbs(B), 5);
    expect(scores.BtoA?.identityL1).toBeCloseTo(await meanAbs(A), 5);
    expect(scores.AtoB.identityPerImage).toHaveLength(3);
    expect(progress.at(-1)).toBe(1);
    // Tiles: the translation of A[0] is its negative, pixel for pixel (±1 for rounding).
    const input = await tf
      .tidy(() => tf.round(tf.mul(tf.add(tf.slice(A, [0, 0, 0, 0], [1, -1, -1, -1]), 1), 127.5)))
      .data();
    const tile = await sharp(scores.AtoB.translated[0] as string)
      .raw()
      .toBuffer();
    expect(tile.length).toBe(16 * 16 * 3);
    let worst = 0;
    for (let i = 0; i < tile.length; i++)
      worst = Math.max(worst, Math.abs((tile[i] as number) - (255 - (input[i] as number))));
    expect(worst).toBeLessThanOrEqual(1);
    expect(fs.existsSync(scores.BtoA?.reconstructed[2] as string)).toBe(true);
    tf.dispose([A, B, images.truth.AtoB, images.truth.BtoA]);
  });

  it('a translator that does nothing: perfect cycle, truth error = mean |x|, identity 0, no truth where none is known', async () => {
    const A = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const B = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const truthA = truthByRelation('negative', 'AtoB', A);
    const before = tf.memory().numTensors;
    const scores = await scoreCheckpoint(
      fakeTranslator((x) => tf.clone(x)),
      { A, B, truth: { AtoB: truthA, BtoA: null } },
      { outDir: path.join(root, 'identity') },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(scores.AtoB.cycle?.l1).toBe(0);
    expect(scores.AtoB.identityL1).toBe(0);
    expect(scores.AtoB.truth?.l1).toBeCloseTo(await meanAbs(A), 5);
    expect(scores.AtoB.truth?.psnr).toBeLessThan(20);
    expect(scores.BtoA?.truth).toBeNull();
    expect(scores.BtoA?.perImage[0]?.truth).toBeNull();
    expect(scores.agreement).toBeNull();
    tf.dispose([A, B, truthA]);
  });
});

describe('scoreCheckpoint follows the model facts (src/shared/models.ts)', () => {
  it('a one-way model (CUT) scores A → B only: no round trip, no B → A, the identity pass on the B images; progress counts what is done', async () => {
    const A = tf.randomUniform([5, 16, 16, 3], -1, 1, 'float32', 21) as tf.Tensor4D;
    const B = tf.randomUniform([3, 16, 16, 3], -1, 1, 'float32', 22) as tf.Tensor4D;
    const truth = { AtoB: truthByRelation('negative', 'AtoB', A), BtoA: truthByRelation('negative', 'BtoA', B) };
    const asked: Direction[] = [];
    const progress: [number, number][] = [];
    const outDir = path.join(root, 'one-way');
    const before = tf.memory().numTensors;
    const scores = await scoreCheckpoint(
      oneWayTranslator((x) => tf.neg(x), asked),
      { A, B, truth },
      { outDir, onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(asked.every((d) => d === 'AtoB')).toBe(true);
    expect(scores.model).toBe('cut');
    expect(scores.step).toBe(11);
    // A → B against its truth, image by image; no cycle (there is no way back) and no reconstruction tile.
    expect(scores.AtoB.truth).toEqual({ l1: 0, psnr: 100, ssim: 1 });
    expect(scores.AtoB.cycle).toBeNull();
    expect(scores.AtoB.perImage).toHaveLength(5);
    expect(scores.AtoB.perImage.every((p) => p.cycle === null && p.truth?.psnr === 100)).toBe(true);
    expect(scores.AtoB.translated).toHaveLength(5);
    expect(scores.AtoB.translated.every((f) => fs.existsSync(f))).toBe(true);
    expect(scores.AtoB.reconstructed).toEqual([]);
    expect(fs.existsSync(path.join(outDir, 'A', '0-reconstructed.png'))).toBe(false);
    // The identity pass: G(b) = −b against b, on the 3 B images.
    expect(scores.AtoB.identityPerImage).toHaveLength(3);
    expect(scores.AtoB.identityL1).toBeCloseTo(await meanAbs(B), 5);
    // No B → A at all, not even its truth (which is known here).
    expect(scores.BtoA).toBeNull();
    expect(fs.existsSync(path.join(outDir, 'B'))).toBe(false);
    expect(scores.agreement).toBeNull();
    // 5 A images translated, then 3 B images through the identity pass: 8 in all, ending at 8 of 8.
    expect(progress.every(([, total]) => total === 8)).toBe(true);
    expect(progress.at(-1)).toEqual([8, 8]);
    tf.dispose([A, B, truth.AtoB, truth.BtoA]);
  });

  it('a two-way CoGAN-like model without an identity pass counts no identity work', async () => {
    const A = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 23) as tf.Tensor4D;
    const B = tf.randomUniform([3, 12, 12, 3], -1, 1, 'float32', 24) as tf.Tensor4D;
    const progress: [number, number][] = [];
    const scores = await scoreCheckpoint(
      { ...fakeTranslator((x) => tf.neg(x)), model: 'cogan' },
      { A, B, truth: { AtoB: null, BtoA: null } },
      { outDir: path.join(root, 'cogan-like'), onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(scores.AtoB.identityL1).toBeNull();
    expect(scores.BtoA?.cycle).toEqual({ l1: 0, psnr: 100, ssim: 1 });
    expect(scores.BtoA?.reconstructed).toHaveLength(3);
    tf.dispose([A, B]);
  });
});

describe('runCompareJob', () => {
  it('scores a real checkpoint as its networks translate, with input, truth and result tiles', async () => {
    const samples = await writeSamples({
      out: path.join(root, 'palette'),
      kind: 'palette',
      count: 3,
      size: 16,
      seed: 5,
    });
    const files = (dir: string) =>
      fs
        .readdirSync(dir)
        .sort()
        .map((f) => path.join(dir, f));
    const saved = await savedTinyCheckpoint(path.join(root, 'run'), 42);
    const events: CompareEngineEvent[] = [];
    await runCompareJob(
      {
        jobId: 'job-1',
        size: 16,
        images: { A: files(samples.a), B: files(samples.b) },
        truth: {
          AtoB: { kind: 'files', files: files(samples.truth) },
          BtoA: { kind: 'relation', relation: 'palette' },
        },
        inputsDir: path.join(root, 'inputs'),
        checkpoints: [{ key: 'run:42', dir: saved.dir, outDir: path.join(root, 'out-42') }],
      },
      (event) => events.push(event),
    );
    expect(events.at(-1)).toEqual({ type: 'compare-finished', jobId: 'job-1' });
    const done = events.find((e) => e.type === 'compare-checkpoint');
    const scores = (done as { scores: CheckpointScores }).scores;
    expect(scores.step).toBe(42);
    expect(fs.existsSync(path.join(root, 'inputs', 'A', '2.png'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'inputs', 'A', '2-truth.png'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'inputs', 'B', '0-truth.png'))).toBe(true);

    // The cycle L1 of image 0 is that of G_B(G_A(a)) against a, computed here directly.
    const pixels = await sharp(files(samples.a)[0] as string)
      .raw()
      .toBuffer();
    const a = tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Uint8Array.from(pixels), [1, 16, 16, 3], 'float32'), 127.5), 1));
    const rec = tf.tidy(() => saved.nets.G_B.apply(saved.nets.G_A.apply(a as tf.Tensor4D)));
    const expected = await meanAbs(tf.tidy(() => tf.div(tf.sub(rec, a), 2)));
    expect(scores.AtoB.perImage[0]?.cycle?.l1).toBeCloseTo(expected, 4);
    // An untrained network is far from the truth: the numbers are not trivially perfect.
    expect(scores.AtoB.truth?.l1).toBeGreaterThan(0.05);
    expect(scores.BtoA?.truth?.ssim).toBeLessThan(0.9);
    tf.dispose([a, rec]);
    disposeNetworks(saved.nets);
  });
});
