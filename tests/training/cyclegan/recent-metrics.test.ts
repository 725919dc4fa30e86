// A checkpoint keeps the losses of the steps since the previous one, and a run resumed from it sends
// them again (issue "9 · Nothing lost, nothing stuck", item 2): a host killed before it stored those
// rows gets every step up to the resumed one back, with the values the run computed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { readCheckpointManifest } from '../../../src/node/checkpoint/manifest.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { runTrainer, sampleDomains, tempDir, tinyConfig } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const metrics = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' ? [{ step: e.step, epoch: e.epoch, losses: e.losses }] : []));

test('the last state keeps its steps’ losses, and a resume from it sends them again', {
  timeout: 120_000,
}, async () => {
  const samples = await sampleDomains('palette', 4, 16);
  dirs.push(path.dirname(samples.a));
  const runDir = tempDir('diptych-recent-');
  dirs.push(runDir);
  const base = { cropSize: 16, loadSize: 16, poolSize: 0, previewEvery: 1000, flip: false };
  // Four images an epoch: the unnumbered `last` state is written at steps 4 and 8 (numbered only at the end).
  const first = await runTrainer(tinyConfig(samples.a, samples.b, { ...base, maxSteps: 9 }), runDir);
  const last = path.join(runDir, 'checkpoints', 'last');
  const kept = (await readCheckpointManifest(last)).extra?.recentMetrics as { step: number }[];
  expect(kept.map((row) => row.step)).toEqual([5, 6, 7, 8]);

  const resumed = await runTrainer(tinyConfig(samples.a, samples.b, { ...base, maxSteps: 10 }), runDir, last);
  const sent = metrics(resumed);
  // Steps 5–8 again, as the first run computed them, before the resumed run's own steps 9 and 10.
  expect(sent.map((row) => row.step)).toEqual([5, 6, 7, 8, 9, 10]);
  expect(sent.slice(0, 4)).toEqual(metrics(first).filter((row) => row.step >= 5 && row.step <= 8));
});
