// The disk under the database fills up during a run (issue "9 · Nothing lost, nothing stuck", item 5):
// the run stops cleanly with a checkpoint and ends `failed` with the database's path and what to do,
// instead of training on while every batch of its history is dropped. SQLite's max_page_count makes
// the database "full" exactly as a full disk does (SQLITE_FULL), without needing root or a tmpfs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createHost } from '../../src/main/host.ts';
import { writeSamples } from '../../src/main/samples.ts';
import type { HostEvent } from '../../src/shared/contract.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-disk-full-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a full database disk stops the run with a checkpoint and says which disk', { timeout: 120_000 }, async () => {
  const data = await writeSamples({ out: path.join(root, 'palette'), kind: 'palette', count: 4, size: 16, seed: 3 });
  const events: HostEvent[] = [];
  host.events.subscribe((event) => {
    events.push(event);
    // Once it trains, the database may not grow by one page more.
    if (event.type === 'job' && event.event.type === 'started') {
      const pages = host.db.pragma('page_count', { simple: true }) as number;
      host.db.pragma(`max_page_count = ${pages}`);
    }
  });
  const started = await host.dispatch('training:start', {
    dataA: data.a,
    dataB: data.b,
    preset: 'tiny',
    overrides: { cropSize: 16, loadSize: 16, maxSteps: 5000, previewEvery: 100_000 },
  });
  if (!started.ok) throw new Error(started.error.message);
  const { runId } = started.value as { runId: string };
  const finished = await new Promise<HostEvent>((resolve) => {
    host.events.subscribe((event) => {
      if (event.type === 'job' && event.event.type === 'finished') resolve(event);
    });
  });
  host.db.pragma('max_page_count = 1073741823');
  // Stopped long before its 5,000 steps, cleanly (the engine's own stop, with a checkpoint).
  expect(finished).toMatchObject({ runId, event: { status: 'stopped' } });
  const step = (finished as { event: { step: number } }).event.step;
  expect(step).toBeLessThan(5000);
  const said = events.find((e) => e.type === 'job' && e.event.type === 'log' && e.event.level === 'error');
  expect(said).toBeDefined();

  await new Promise((resolve) => setTimeout(resolve, 500));
  const detail = await host.dispatch('runs:get', { id: runId });
  if (!detail.ok) throw new Error(detail.error.message);
  const run = detail.value as { status: string; error: string; checkpoints: { step: number; exists: boolean }[] };
  expect(run.status).toBe('failed');
  expect(run.error).toContain(host.workspace.databasePath);
  expect(run.error).toMatch(/is full.*stopped with a checkpoint.*Free some space/);
  expect(run.checkpoints.at(-1)).toMatchObject({ step, exists: true });
});
