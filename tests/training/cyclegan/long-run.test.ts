// A run longer than its preset's schedule (issue 9, item 8: `--preset tiny --steps 3000` on 120
// images died at step 1,320 with a negative learning rate). The schedule is stretched to the run
// (schedule.ts): every step trains at a rate ≥ 0 that follows the stretched schedule, the start
// says so, and a run stopped and resumed inside the stretched part equals one that never stopped.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost, TrainJob } from '../../../src/shared/engine-protocol.ts';
import type { CycleGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { cycleGanModel } from '../../../src/training/cyclegan/definition.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';
import { disposeNetworks, loadNetworks, sampleDomains, tempDir, tinyConfig } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const listImages = (folder: string) =>
  fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(folder, f));

/** Trains in this process; stops after `stopAt` steps when given. */
async function train(config: CycleGanConfig, runDir: string, options: { resumeFrom?: string; stopAt?: number } = {}) {
  const backend = await selectBackend();
  const control = createJobControl();
  const events: EngineToHost[] = [];
  const job: TrainJob = {
    runId: 'long',
    runDir,
    config,
    filesA: listImages(config.dataA),
    filesB: listImages(config.dataB),
    resumeFrom: options.resumeFrom,
  };
  const emit = (event: EngineToHost) => {
    events.push(event);
    if (event.type === 'progress' && event.step === options.stopAt) control.stop();
  };
  await runTraining(cycleGanModel, job, { emit, control, backend });
  return events;
}

const lastCheckpoint = (events: EngineToHost[]) => {
  const event = events.filter((e) => e.type === 'checkpoint').at(-1);
  if (event?.type !== 'checkpoint') throw new Error('no checkpoint');
  return event.path;
};
const losses = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' && !e.replayed ? [{ step: e.step, ...e.losses }] : []));
const rates = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'progress' ? [{ step: e.step, lr: e.learningRate }] : []));

test('tiny preset, --steps 2.5× its schedule: completes on the stretched schedule; resume inside it is exact', {
  timeout: 300_000,
}, async () => {
  // Two images a domain: an epoch of 2 steps, tiny's 5 + 5 epochs = 20 steps; the run asks for 50
  // (the 1,200 → 3,000, scaled down). Unstretched, step 22 onwards would be negative.
  const samples = await sampleDomains('palette', 2, 16);
  dirs.push(path.dirname(samples.a));
  const config = tinyConfig(samples.a, samples.b, {
    cropSize: 16,
    loadSize: 18,
    poolSize: 3,
    previewEvery: 1000,
    maxSteps: 50,
  });
  const straightDir = tempDir('diptych-long-');
  const resumedDir = tempDir('diptych-long-resumed-');
  dirs.push(straightDir, resumedDir);

  const straight = await train(config, straightDir);
  expect(straight.find((e) => e.type === 'fatal')).toBeUndefined();
  expect(straight.at(-1)).toMatchObject({ type: 'finished', status: 'completed', step: 50 });
  const started = straight.find((e) => e.type === 'started');
  expect(started).toMatchObject({ totalSteps: 50, epochLength: 2 });
  expect(started?.type === 'started' && started.note).toMatch(/stretched to 50 steps/);

  // Progress event `step` is the count of steps done: step k's rate belongs to trained step k − 1.
  // Stretched: 10 schedule epochs of 5 steps; full rate for 25 steps, then 5/6 … 1/6 of it.
  const seen = rates(straight);
  expect(seen).toHaveLength(50);
  for (const { step, lr } of seen) {
    const epoch = Math.floor(((step - 1) * 10) / 50);
    const expected = 2e-4 * (1 - Math.max(0, epoch + 1 - 5) / 6);
    expect(lr).toBeGreaterThan(0);
    expect(lr).toBeCloseTo(expected, 15);
  }
  expect(seen.at(-1)?.lr).toBeCloseTo(2e-4 / 6, 15);

  // Stopped at step 35 (schedule epoch 7, half rate; the data is in epoch 17), resumed to 50.
  const first = await train(config, resumedDir, { stopAt: 35 });
  expect(first.at(-1)).toMatchObject({ type: 'finished', status: 'stopped', step: 35 });
  const second = await train(config, resumedDir, { resumeFrom: lastCheckpoint(first) });
  expect(second.find((e) => e.type === 'started')).toMatchObject({ startStep: 35, totalSteps: 50 });
  expect(rates(second)).toEqual(seen.filter((r) => r.step > 35));
  expect(losses(second)).toEqual(losses(straight).filter((l) => l.step > 35));

  const a = await loadNetworks(config, lastCheckpoint(straight));
  const b = await loadNetworks(config, lastCheckpoint(second));
  for (const name of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
    const left = [...a[name].params.variables.values()];
    const right = [...b[name].params.variables.values()];
    expect(right.length).toBe(left.length);
    for (const [i, variable] of left.entries()) {
      expect(Array.from(right[i]?.dataSync() ?? [])).toEqual(Array.from(variable.dataSync()));
    }
  }
  for (const nets of [a, b]) disposeNetworks(nets);
});
