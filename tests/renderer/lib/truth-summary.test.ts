import { describe, expect, it } from 'vitest';
import {
  formatDb,
  formatGain,
  formatSsim,
  mergeTruth,
  summarizeTruth,
  verdictText,
} from '../../../src/renderer/lib/truth-summary.ts';
import type { BaselineName, TruthReport } from '../../../src/shared/truth.ts';

const scores = (psnr: number, ssim: number) => ({ l1: 0.1, psnr, ssim });

function report(step: number, model: number, best: BaselineName = 'input', bestDb = 21.3): TruthReport {
  const baselines = { input: scores(17.5, 0.52), targetMean: scores(15.2, 0.11), colourTransfer: scores(16.8, 0.48) };
  baselines[best] = scores(bestDb, 0.4);
  return {
    step,
    images: 32,
    size: 32,
    model: scores(model, 0.3 + step / 10_000),
    baselines,
    best,
    gainDb: model - bestDb,
  };
}

describe('formatting', () => {
  it('says dB with one decimal, and a change with its sign (a real minus)', () => {
    expect(formatDb(21.34)).toBe('21.3 dB');
    expect(formatGain(1.84)).toBe('+1.8 dB');
    expect(formatGain(-0.44)).toBe('−0.4 dB');
    expect(formatGain(0.04)).toBe('±0.0 dB');
    expect(formatGain(-0.04)).toBe('±0.0 dB');
    expect(formatSsim(0.6349)).toBe('0.63');
  });

  it('says whether the model beats the best trivial answer', () => {
    expect(verdictText(1.84)).toBe('the model beats it by +1.8 dB');
    expect(verdictText(-9.9)).toBe('the model is behind it (−9.9 dB)');
    // Level is not beating it.
    expect(verdictText(0)).toBe('the model is behind it (±0.0 dB)');
  });
});

describe('mergeTruth', () => {
  it('keeps one report per step, in step order, the later one winning', () => {
    const stored = [report(0, 15), report(400, 20)];
    const merged = mergeTruth(stored, [report(800, 23), report(400, 21)]);
    expect(merged.map((r) => [r.step, r.model.psnr])).toEqual([
      [0, 15],
      [400, 21],
      [800, 23],
    ]);
    // Nothing is changed in place.
    expect(stored.map((r) => r.step)).toEqual([0, 400]);
  });
});

describe('summarizeTruth', () => {
  it('is nothing without reports (the panel is not shown)', () => {
    expect(summarizeTruth([])).toBeNull();
  });

  it('before training only: the untrained model, and the best trivial answer it is behind', () => {
    const summary = summarizeTruth([report(0, 15.2)]);
    expect(summary).toMatchObject({ firstLabel: 'before training', trained: false, beats: false });
    expect(summary?.best).toMatchObject({ name: 'input', label: 'the input itself', psnr: 21.3, best: true });
    expect(summary?.gainDb).toBeCloseTo(15.2 - 21.3);
  });

  it('before → now from the first and the latest report, whatever order they came in', () => {
    const summary = summarizeTruth([report(800, 23.1, 'targetMean', 22), report(0, 21.3), report(400, 22)]);
    expect(summary?.first.step).toBe(0);
    expect(summary?.latest.step).toBe(800);
    expect(summary?.trained).toBe(true);
    // The best baseline is the latest report's, named in words.
    expect(summary?.best).toMatchObject({ name: 'targetMean', label: "B's mean colour", psnr: 22 });
    expect(summary?.beats).toBe(true);
    expect(formatGain(summary?.gainDb ?? 0)).toBe('+1.1 dB');
    expect(summary?.baselines.map((b) => [b.name, b.best])).toEqual([
      ['input', false],
      ['targetMean', true],
      ['colourTransfer', false],
    ]);
  });

  it('a run whose first report is not at step 0 says where it starts from', () => {
    expect(summarizeTruth([report(1200, 20), report(1600, 21)])?.firstLabel).toBe('at step 1,200');
  });
});
