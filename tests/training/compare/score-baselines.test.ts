// The baselines of a comparison: the engine job reports them once per image set, before any
// checkpoint, and each equals its image (the input, B's mean colour, A's colours mapped onto B's)
// built here pixel by pixel in float64 and scored by hand. Translators whose answers are known tie
// with a baseline (doing nothing is the input baseline) or beat them all (the exact negative).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamples } from '../../../src/main/samples.ts';
import type { BaselineScores, CompareEngineEvent } from '../../../src/shared/compare.ts';
import { BASELINE_NAMES } from '../../../src/shared/truth.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { baselineTranslations } from '../../../src/training/compare/baselines.ts';
import { runCompareJob } from '../../../src/training/compare/engine-job.ts';
import { truthByRelation } from '../../../src/training/compare/ground-truth.ts';
import { ssim } from '../../../src/training/compare/metrics.ts';
import { scoreBaselines } from '../../../src/training/compare/score-baselines.ts';
import { meanScores, scoreCheckpoint, unitScores } from '../../../src/training/compare/score-checkpoint.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import type { Translator } from '../../../src/training/inference/index.ts';
import { savedTinyCheckpoint } from '../inference/helpers.ts';

let root: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-baselines-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const files = (dir: string) =>
  fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));

/** An image file's pixels in [0, 1], as float64 (the reference side of every comparison here). */
async function unitPixels(file: string): Promise<Float64Array> {
  const raw = await sharp(file).raw().toBuffer();
  return Float64Array.from(raw, (v) => v / 255);
}

function channelMoments(images: Float64Array[]): { mean: number[]; std: number[] } {
  const mean = [0, 0, 0];
  const square = [0, 0, 0];
  let n = 0;
  for (const image of images)
    for (let i = 0; i < image.length; i += 3) {
      for (let c = 0; c < 3; c++) {
        const v = image[i + c] as number;
        mean[c] = (mean[c] as number) + v;
        square[c] = (square[c] as number) + v * v;
      }
      n++;
    }
  const m = mean.map((s) => s / n);
  return { mean: m, std: square.map((s, c) => Math.sqrt(Math.max(0, s / n - (m[c] as number) ** 2))) };
}

/** Mean L1 and mean PSNR (peak 1) over image pairs in [0, 1]. */
function byHand(answers: Float64Array[], truths: Float64Array[]): { l1: number; psnr: number } {
  let l1 = 0;
  let psnr = 0;
  for (const [k, answer] of answers.entries()) {
    const truth = truths[k] as Float64Array;
    let abs = 0;
    let sq = 0;
    for (let i = 0; i < answer.length; i++) {
      const d = (answer[i] as number) - (truth[i] as number);
      abs += Math.abs(d);
      sq += d * d;
    }
    l1 += abs / answer.length;
    psnr += -10 * Math.log10(sq / answer.length);
  }
  return { l1: l1 / answers.length, psnr: psnr / answers.length };
}

async function meanSsim(answers: Float64Array[], truths: Float64Array[], size: number): Promise<number> {
  const batch = (list: Float64Array[]) =>
    tf.tensor4d(Float32Array.from(list.flatMap((a) => [...a])), [list.length, size, size, 3]);
  const [a, b] = [batch(answers), batch(truths)];
  const values = await ssim(a, b);
  tf.dispose([a, b]);
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function fakeTranslator(map: (x: tf.Tensor4D) => tf.Tensor4D): Translator {
  return {
    model: 'cyclegan',
    engine: 'tfjs',
    step: 1,
    config: {},
    sizeMultiple: 4,
    tileable: true,
    translate: async (image) => tf.tidy(() => map(image)),
    dispose: () => {},
  };
}

describe('the compare job’s baselines', () => {
  it('are reported once, before the checkpoints, and equal the baseline images scored by hand', {
    timeout: 60_000,
  }, async () => {
    // Six images: more than one chunk of four, so the statistics must be the whole set's.
    const size = 16;
    const samples = await writeSamples({ out: path.join(root, 'negative'), kind: 'negative', count: 6, size, seed: 8 });
    const first = await savedTinyCheckpoint(path.join(root, 'run-1'), 5);
    const second = await savedTinyCheckpoint(path.join(root, 'run-2'), 20);
    const events: CompareEngineEvent[] = [];
    await runCompareJob(
      {
        jobId: 'job-b',
        size,
        images: { A: files(samples.a), B: files(samples.b) },
        truth: { AtoB: { kind: 'relation', relation: 'negative' }, BtoA: null },
        inputsDir: path.join(root, 'inputs'),
        checkpoints: [
          { key: 'r:5', dir: first.dir, outDir: path.join(root, 'out-5') },
          { key: 'r:20', dir: second.dir, outDir: path.join(root, 'out-20') },
        ],
      },
      (event) => events.push(event),
    );
    const kinds = events.map((e) => e.type).filter((t) => t !== 'compare-progress');
    expect(kinds).toEqual(['compare-baselines', 'compare-checkpoint', 'compare-checkpoint', 'compare-finished']);
    const reported = (events[0] as { baselines: { AtoB: BaselineScores | null; BtoA: BaselineScores | null } })
      .baselines;
    expect(reported.BtoA).toBeNull();
    const baselines = reported.AtoB as BaselineScores;

    const A = await Promise.all(files(samples.a).map(unitPixels));
    const B = await Promise.all(files(samples.b).map(unitPixels));
    const truth = A.map((a) => a.map((v) => 1 - v));
    const a = channelMoments(A);
    const b = channelMoments(B);
    const constant = A.map((image) => image.map((_, i) => b.mean[i % 3] as number));
    const transfer = A.map((image) =>
      image.map((v, i) => {
        const c = i % 3;
        const mapped =
          ((v - (a.mean[c] as number)) * (b.std[c] as number)) / (a.std[c] as number) + (b.mean[c] as number);
        return Math.min(1, Math.max(0, mapped));
      }),
    );
    for (const [name, answers] of [
      ['input', A],
      ['targetMean', constant],
      ['colourTransfer', transfer],
    ] as const) {
      const expected = byHand(answers, truth);
      expect(baselines[name].psnr, name).toBeCloseTo(expected.psnr, 3);
      expect(baselines[name].l1, name).toBeCloseTo(expected.l1, 5);
      expect(baselines[name].ssim, name).toBeCloseTo(await meanSsim(answers, truth, size), 4);
    }
    // The negative sample: B's mean colour is a flat grey-ish picture, far from every truth pixel.
    expect(baselines.targetMean.ssim).toBeLessThan(0.2);
    disposeNetworks(first.nets);
    disposeNetworks(second.nets);
  });

  it('match the whole batch scored at once, leak nothing, and bracket translators whose answers are known', async () => {
    const A = tf.randomUniform([7, 16, 16, 3], -1, 0.6, 'float32', 11) as tf.Tensor4D;
    const B = tf.randomUniform([5, 16, 16, 3], -0.2, 1, 'float32', 12) as tf.Tensor4D;
    const truth = truthByRelation('negative', 'AtoB', A);
    const before = tf.memory().numTensors;
    const baselines = await scoreBaselines(A, B, truth);
    expect(tf.memory().numTensors).toBe(before);

    const whole = baselineTranslations(A, B);
    for (const name of BASELINE_NAMES) {
      const expected = meanScores(await unitScores(whole[name], truth));
      expect(baselines[name].l1).toBeCloseTo(expected.l1, 6);
      expect(baselines[name].psnr).toBeCloseTo(expected.psnr, 4);
      expect(baselines[name].ssim).toBeCloseTo(expected.ssim, 5);
    }
    tf.dispose(Object.values(whole));

    const images = { A, B, truth: { AtoB: truth, BtoA: null } };
    // Doing nothing is the input baseline, to the last digit.
    const idle = await scoreCheckpoint(
      fakeTranslator((x) => tf.clone(x)),
      images,
      { outDir: path.join(root, 'idle') },
    );
    expect(idle.AtoB.truth).toEqual(baselines.input);
    // The exact negative beats every baseline by far.
    const perfect = await scoreCheckpoint(
      fakeTranslator((x) => tf.neg(x)),
      images,
      { outDir: path.join(root, 'perfect') },
    );
    const best = Math.max(...BASELINE_NAMES.map((name) => baselines[name].psnr));
    expect(perfect.AtoB.truth?.psnr).toBe(100);
    expect(best).toBeLessThan(40);
    tf.dispose([A, B, truth]);
  });
});
