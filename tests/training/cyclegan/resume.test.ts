// Resume continues exactly: a run stopped at step 5 and resumed to step 10 ends with the same
// weights, bit for bit, and the same losses at steps 6–10 as a run that never stopped.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { disposeNetworks, loadNetworks, runTrainer, sampleDomains, tempDir, tinyConfig } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const losses = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' && !e.replayed ? [{ step: e.step, ...e.losses }] : []));
const lastCheckpoint = (events: EngineToHost[]) => {
  const event = events.filter((e) => e.type === 'checkpoint').at(-1);
  if (event?.type !== 'checkpoint') throw new Error('no checkpoint');
  return event.path;
};

test('a stopped and resumed run equals an uninterrupted one', { timeout: 180_000 }, async () => {
  const samples = await sampleDomains('palette', 6, 16);
  dirs.push(path.dirname(samples.a));
  // 16 px, a pool smaller than the run so that pool draws matter, six images per epoch.
  const base = { cropSize: 16, loadSize: 18, poolSize: 3, previewEvery: 1000 };
  const straightDir = tempDir('diptych-straight-');
  const resumedDir = tempDir('diptych-resumed-');
  dirs.push(straightDir, resumedDir);

  const straight = await runTrainer(tinyConfig(samples.a, samples.b, { ...base, maxSteps: 10 }), straightDir);
  const firstHalf = await runTrainer(tinyConfig(samples.a, samples.b, { ...base, maxSteps: 5 }), resumedDir);
  const config = tinyConfig(samples.a, samples.b, { ...base, maxSteps: 10 });
  const secondHalf = await runTrainer(config, resumedDir, lastCheckpoint(firstHalf));

  expect(secondHalf.find((e) => e.type === 'started')).toMatchObject({ startStep: 5, totalSteps: 10 });
  // The end of the first epoch (6 images) writes the unnumbered `last` state, and says so.
  expect(straight.filter((e) => e.type === 'saved')).toEqual([{ type: 'saved', runId: 'test', step: 6 }]);
  expect(losses(secondHalf)).toEqual(losses(straight).filter((l) => l.step > 5));
  expect(losses(firstHalf)).toEqual(losses(straight).filter((l) => l.step <= 5));

  const a = await loadNetworks(config, lastCheckpoint(straight));
  const b = await loadNetworks(config, lastCheckpoint(secondHalf));
  for (const name of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
    const left = [...a[name].params.variables.values()];
    const right = [...b[name].params.variables.values()];
    expect(right.length).toBe(left.length);
    for (const [i, variable] of left.entries()) {
      expect(Array.from(right[i]?.dataSync() ?? [])).toEqual(Array.from(variable.dataSync()));
    }
  }
  // The same comparison tells training states apart: step 5's weights are not step 10's.
  const half = await loadNetworks(config, lastCheckpoint(firstHalf));
  const at5 = [...half.G_A.params.variables.values()][0]?.dataSync();
  const at10 = [...a.G_A.params.variables.values()][0]?.dataSync();
  expect(Array.from(at5 ?? [])).not.toEqual(Array.from(at10 ?? []));
  for (const nets of [a, b, half]) disposeNetworks(nets);
});
