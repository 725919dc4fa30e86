// The ground-truth reports a run sends while it trains: with translations whose outputs are known
// (the perfect map of the `negative` samples, and doing nothing), every number is checked against
// one computed here from the pixels, baselines included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTruthFiles } from '../../../src/main/datasets/truth-folder.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { PSNR_CAP_DB } from '../../../src/shared/compare.ts';
import { TruthReport } from '../../../src/shared/truth.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createTruthTracker } from '../../../src/training/compare/truth-tracker.ts';

let root: string;
const list = (dir: string) =>
  fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-truth-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Pixels in [0, 1], channel-interleaved. */
async function unitPixels(file: string): Promise<Float64Array> {
  const raw = await sharp(file).removeAlpha().raw().toBuffer();
  return Float64Array.from(raw, (v) => v / 255);
}

function psnrOf(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return -10 * Math.log10(sum / a.length);
}

describe('truth tracker', () => {
  it('scores the model and the three baselines as the pixels say', async () => {
    const samples = await writeSamples({ out: path.join(root, 'neg'), kind: 'negative', count: 6, size: 16, seed: 3 });
    const truth = await findTruthFiles(list(samples.a));
    if (!truth) throw new Error('the samples have a truth folder');
    expect(truth.a).toHaveLength(6);
    const tracker = await createTruthTracker(truth, list(samples.b), 16);
    try {
      const perfect = TruthReport.parse(await tracker.report(40, (x) => tf.neg(x)));
      const nothing = await tracker.report(0, (x) => tf.clone(x));
      expect(perfect.model.psnr).toBe(PSNR_CAP_DB);
      expect(perfect.step).toBe(40);
      expect(perfect.images).toBe(6);

      // By hand: the input, B's mean colour and the colour transfer against the truth, per image.
      const as = await Promise.all(truth.a.map(unitPixels));
      const truths = await Promise.all(truth.truth.map(unitPixels));
      const bs = await Promise.all(list(samples.b).map(unitPixels));
      const stats = (images: Float64Array[]) =>
        [0, 1, 2].map((c) => {
          const values = images.flatMap((img) => Array.from(img).filter((_, i) => i % 3 === c));
          const mean = values.reduce((s, v) => s + v, 0) / values.length;
          const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
          return { mean, spread };
        });
      const statsA = stats(as);
      const statsB = stats(bs);
      const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
      const input = mean(as.map((a, i) => psnrOf(a, truths[i] as Float64Array)));
      const targetMean = mean(
        truths.map((t) =>
          psnrOf(
            Float64Array.from(t, (_, j) => statsB[j % 3]?.mean as number),
            t,
          ),
        ),
      );
      const transfer = mean(
        as.map((a, i) => {
          const mapped = Float64Array.from(a, (v, j) => {
            const { mean: mA, spread: sA } = statsA[j % 3] as { mean: number; spread: number };
            const { mean: mB, spread: sB } = statsB[j % 3] as { mean: number; spread: number };
            return Math.min(1, Math.max(0, ((v - mA) / sA) * sB + mB));
          });
          return psnrOf(mapped, truths[i] as Float64Array);
        }),
      );
      expect(perfect.baselines.input.psnr).toBeCloseTo(input, 2);
      expect(perfect.baselines.targetMean.psnr).toBeCloseTo(targetMean, 2);
      expect(perfect.baselines.colourTransfer.psnr).toBeCloseTo(transfer, 2);
      const bestPsnr = Math.max(input, targetMean, transfer);
      expect(perfect.baselines[perfect.best].psnr).toBeCloseTo(bestPsnr, 2);
      expect(perfect.gainDb).toBeCloseTo(PSNR_CAP_DB - bestPsnr, 2);

      // Doing nothing is the input baseline exactly, so it never beats the best one.
      expect(nothing.model.psnr).toBeCloseTo(input, 2);
      expect(nothing.gainDb).toBeLessThanOrEqual(1e-6);
      expect(nothing.baselines).toEqual(perfect.baselines);
    } finally {
      tracker.dispose();
    }
  });

  it('finds no truth where the A folder has none beside it, and only files present in both', async () => {
    const samples = await writeSamples({ out: path.join(root, 'pal'), kind: 'palette', count: 4, size: 8, seed: 1 });
    fs.rmSync(path.join(samples.truth, 'palette-0001.png'));
    const found = await findTruthFiles(list(samples.a));
    expect(found?.a.map((f) => path.basename(f))).toEqual(['palette-0000.png', 'palette-0002.png', 'palette-0003.png']);
    expect(found?.truth.map((f) => path.relative(samples.truth, f))).toEqual(found?.a.map((f) => path.basename(f)));
    fs.rmSync(samples.truth, { recursive: true });
    expect(await findTruthFiles(list(samples.a))).toBeNull();
    expect(await findTruthFiles([])).toBeNull();
  });
});
