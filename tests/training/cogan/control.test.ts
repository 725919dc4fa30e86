// Pause, resume and stop reach a CoGAN job between steps, as they do a CycleGAN one: a pause is
// reported and waits, a resume continues, a stop ends the job after its step with a checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { coGanModel } from '../../../src/training/cogan/definition.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';
import { sampleDomains, tempDir } from '../cyclegan/helpers.ts';
import { tinyCoGan } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('pause, resume, then stop: paused and resumed events, a stopped finish with its checkpoint', {
  timeout: 120_000,
}, async () => {
  const samples = await sampleDomains('negative', 4, 32);
  dirs.push(path.dirname(samples.a));
  const runDir = tempDir('diptych-cogan-control-');
  dirs.push(runDir);
  const config = tinyCoGan(samples.a, samples.b, { ngf: 2, ndf: 2, batchSize: 2, maxSteps: 50, previewEvery: 1000 });
  const control = createJobControl();
  const events: EngineToHost[] = [];
  const emit = (event: EngineToHost) => {
    events.push(event);
    if (event.type === 'metrics' && event.step === 2) control.pause();
    // Resume from outside the loop, as a host message would arrive.
    if (event.type === 'paused') setTimeout(() => control.resume(), 50);
    if (event.type === 'metrics' && event.step === 4) control.stop();
  };
  const list = (folder: string) => fs.readdirSync(folder).map((f) => path.join(folder, f));
  await runTraining(
    coGanModel,
    { runId: 'control', runDir, config, filesA: list(samples.a), filesB: list(samples.b) },
    { emit, control, backend: await selectBackend('wasm') },
  );
  const types = events.map((e) => e.type);
  expect(types.indexOf('paused')).toBeLessThan(types.indexOf('resumed'));
  expect(events.find((e) => e.type === 'paused')).toMatchObject({ step: 2, reason: 'requested' });
  expect(events.find((e) => e.type === 'finished')).toMatchObject({ status: 'stopped', step: 4 });
  const checkpoint = events.filter((e) => e.type === 'checkpoint').at(-1);
  expect(checkpoint).toMatchObject({ step: 4 });
  if (checkpoint?.type === 'checkpoint') expect(fs.existsSync(path.join(checkpoint.path, 'manifest.json'))).toBe(true);
});
