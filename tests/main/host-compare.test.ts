// compare:start / compare:get / checkpoint:export through the host's dispatch, as the UI calls them:
// validated requests, events on the bus, the status afterwards, an export in the run's folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHost, type Host } from '../../src/main/host.ts';
import { writeSamples } from '../../src/main/samples.ts';
import { createRun, runFolder } from '../../src/main/store/runs.ts';
import type { CompareStatus, HostEvent } from '../../src/shared/contract.ts';
import { selectBackend } from '../../src/training/backend/ladder.ts';
import { disposeNetworks } from '../../src/training/cyclegan/networks.ts';
import { savedTinyCheckpoint, tinyRunConfig } from '../training/inference/helpers.ts';

let root: string;
let host: Host;
let runId: string;
let data: { a: string; b: string };

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-host-compare-'));
  host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false, backend: 'cpu' });
  data = await writeSamples({ out: path.join(root, 'negative'), kind: 'negative', count: 2, size: 16, seed: 1 });
  runId = createRun(host.db, { name: 'r', model: 'cyclegan', config: tinyRunConfig() });
  disposeNetworks((await savedTinyCheckpoint(runFolder(host.workspace, runId), 3, tinyRunConfig())).nets);
});
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('compare:start validates, runs, publishes its events; compare:get reports the result', {
  timeout: 60_000,
}, async () => {
  const bad = await host.dispatch('compare:start', { checkpoints: [], a: data.a, b: data.b });
  expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  const tooMany = await host.dispatch('compare:start', {
    checkpoints: Array.from({ length: 5 }, () => ({ runId, step: 'latest' })),
    a: data.a,
    b: data.b,
  });
  expect(tooMany.ok).toBe(false);

  const events: HostEvent[] = [];
  host.events.subscribe((event) => events.push(event));
  const started = await host.dispatch('compare:start', {
    checkpoints: [{ runId, step: 'latest' }],
    a: data.a,
    b: data.b,
    size: 16,
  });
  if (!started.ok) throw new Error(started.error.message);
  const { jobId } = started.value as { jobId: string };
  await new Promise<void>((resolve) => {
    const check = () => {
      if (events.some((e) => e.type === 'compare' && (e.event.type === 'finished' || e.event.type === 'failed')))
        resolve();
      else setTimeout(check, 50);
    };
    check();
  });
  const status = await host.dispatch('compare:get', { jobId });
  if (!status.ok) throw new Error(status.error.message);
  const value = status.value as CompareStatus;
  expect(value.status).toBe('finished');
  expect(value.result?.checkpoints[0]?.step).toBe(3);
  // The negative sample set: both directions have a ground truth by the relation.
  expect(value.result?.checkpoints[0]?.scores.BtoA?.truth).not.toBeNull();
  expect(events.every((e) => e.type !== 'compare' || e.jobId === jobId)).toBe(true);
  expect(await host.dispatch('compare:get', { jobId: 'cmp-unknown' })).toMatchObject({ ok: false });
});

test('checkpoint:export writes the graph model into the run’s exports folder', async () => {
  const result = await host.dispatch('checkpoint:export', { runId, step: 'latest', direction: 'AtoB' });
  if (!result.ok) throw new Error(result.error.message);
  const value = result.value as { folder: string; files: string[]; sizeMultiple: number };
  expect(value.folder).toBe(path.join(runFolder(host.workspace, runId), 'exports', '3-AtoB'));
  expect(value.sizeMultiple).toBe(4);
  for (const file of value.files) expect(fs.existsSync(file)).toBe(true);
  const onnx = await host.dispatch('checkpoint:export', { runId, step: 'latest', direction: 'AtoB', format: 'onnx' });
  if (!onnx.ok) throw new Error(onnx.error.message);
  const written = onnx.value as { folder: string; files: string[] };
  expect(written.folder).toBe(path.join(runFolder(host.workspace, runId), 'exports', '3-AtoB-onnx'));
  expect(written.files.map((f) => path.basename(f)).sort()).toEqual(['README.md', 'model.onnx']);
  const missing = await host.dispatch('checkpoint:export', { runId, step: 9, direction: 'AtoB' });
  expect(missing).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no checkpoint at step 9/) } });
});
