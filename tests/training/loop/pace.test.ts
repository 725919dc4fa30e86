// The pace figures of the 'progress' event: the mean of the last PACE_WINDOW step times, turned
// into images per second (a batch counts all its images) and a rounded ETA.
import { expect, test } from 'vitest';
import { createPaceMeter, PACE_WINDOW } from '../../../src/training/loop/pace.ts';

test('one image per step: images/s and ETA from the mean step time', () => {
  const pace = createPaceMeter(1);
  expect(pace.record(500, 10)).toEqual({ imagesPerSecond: 2, etaSeconds: 5 });
  // Mean of 500 ms and 1500 ms is 1 s per step.
  expect(pace.record(1500, 9)).toEqual({ imagesPerSecond: 1, etaSeconds: 9 });
});

test('a batch of 4 counts 4 images per step; the ETA rounds to whole seconds', () => {
  const pace = createPaceMeter(4);
  expect(pace.record(250, 7)).toEqual({ imagesPerSecond: 16, etaSeconds: 2 }); // 1.75 s rounds to 2
  expect(pace.record(250, 1)).toEqual({ imagesPerSecond: 16, etaSeconds: 0 }); // 0.25 s rounds to 0
});

test('only the last PACE_WINDOW steps count: an early slow step drops out', () => {
  expect(PACE_WINDOW).toBe(20);
  const pace = createPaceMeter(1);
  pace.record(100_000, 100);
  let figures = { imagesPerSecond: 0, etaSeconds: 0 };
  for (let i = 0; i < PACE_WINDOW - 1; i++) figures = pace.record(1000, 100);
  // Still inside the window: (100 s + 19 s) / 20 = 5.95 s per step.
  expect(figures.etaSeconds).toBe(595);
  figures = pace.record(1000, 100);
  expect(figures).toEqual({ imagesPerSecond: 1, etaSeconds: 100 });
});

test('the same arithmetic as before the extraction, bit for bit', () => {
  const times = [12.3, 45.6, 7.89, 1000 / 3, 0.1];
  const pace = createPaceMeter(3);
  let last = { imagesPerSecond: 0, etaSeconds: 0 };
  for (const t of times) last = pace.record(t, 1234);
  const secondsPerStep = times.reduce((a, b) => a + b, 0) / times.length / 1000;
  expect(last.imagesPerSecond).toBe(3 / secondsPerStep);
  expect(last.etaSeconds).toBe(Math.round(1234 * secondsPerStep));
});
