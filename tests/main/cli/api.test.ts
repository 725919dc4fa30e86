// The command line goes through the host's dispatcher and follows its jobs through the host's events,
// as a window does (src/main/cli/api.ts): a refused request says why, a started run's events reach a
// listener that subscribes late (replayed in order), stop goes out as training:control, and the run's
// end comes from the registry's job-ended event.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { call, trainOverApi } from '../../../src/main/cli/api.ts';
import { createHost } from '../../../src/main/host.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { fakeLauncher } from '../engine/fake-engine.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-api-'));
const { engine, launch } = fakeLauncher();
const host = createHost({ kind: 'cli', home: path.join(root, 'home'), probeAtStart: false, launchEngine: launch });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a refused request is thrown with the host’s message', async () => {
  await expect(call(host, 'runs:get', { id: 'no-such-run' })).rejects.toThrow(/no-such-run/);
  await expect(
    call(host, 'training:start', { dataA: path.join(root, 'none'), dataB: path.join(root, 'none'), preset: 'tiny' }),
  ).rejects.toThrow(/cannot be trained on|does not exist|no images/i);
});

test('a run started through the dispatcher is followed through the host events to its end', async () => {
  const data = await writeSamples({ out: path.join(root, 'palette'), kind: 'palette', count: 4, size: 16, seed: 3 });
  const job = await trainOverApi(host, () =>
    call(host, 'training:start', {
      dataA: data.a,
      dataB: data.b,
      preset: 'tiny',
      overrides: { cropSize: 16, loadSize: 18, maxSteps: 2 },
    }),
  );
  expect(job.runDir).toContain(job.runId);
  engine.say({ type: 'ready', pid: 1 });
  expect(engine.sent[0]).toMatchObject({ type: 'train', job: { runId: job.runId } });
  const backend = { name: 'cpu' as const, version: 'x', device: 'test', fallbacks: [] };
  engine.say({ type: 'started', runId: job.runId, backend, totalSteps: 2, epochLength: 4, startStep: 0 });
  engine.say({ type: 'metrics', runId: job.runId, step: 0, epoch: 0, losses: { G_A: 1 } });

  // Subscribing after the first events: they are replayed, then the rest arrive as they come.
  const seen: string[] = [];
  job.onEvent((event) => seen.push(event.type));
  expect(seen).toEqual(['started', 'metrics']);

  job.stop();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(engine.sent.at(-1)).toEqual({ type: 'stop' });

  engine.say({ type: 'finished', runId: job.runId, status: 'stopped', step: 1 });
  engine.die(0);
  await expect(job.done).resolves.toEqual({ outcome: 'stopped', error: null });
  expect(seen).toEqual(['started', 'metrics', 'finished']);
  expect((await call(host, 'runs:get', { id: job.runId })).status).toBe('stopped');
});
