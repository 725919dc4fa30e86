// The UI's journey through the host API (what both transports carry): preview two folders,
// browse, start training, follow its pushed events to the end, see it in the runs list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createHost } from '../../src/main/host.ts';
import { writeSamples } from '../../src/main/samples.ts';
import type { HostEvent } from '../../src/shared/contract.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-host-train-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function call(channel: string, request: unknown) {
  const result = await host.dispatch(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Record<string, unknown>;
}

test('preview, start, events, completion', { timeout: 120_000 }, async () => {
  const data = await writeSamples({ out: path.join(root, 'palette'), kind: 'palette', count: 6, size: 16, seed: 2 });
  const preview = await call('datasets:preview', { path: data.a });
  expect(preview).toMatchObject({ imageCount: 6, problemCount: 0, sizeRange: { min: [16, 16], max: [16, 16] } });
  const thumbnails = preview.thumbnails as string[];
  expect(thumbnails).toHaveLength(6);
  expect(host.media.resolve(thumbnails[0] as string)).toBe(fs.realpathSync(thumbnails[0] as string));

  const listing = await call('fs:list', { path: path.join(root, 'palette') });
  expect((listing.folders as { name: string }[]).map((f) => f.name)).toEqual(['A', 'B', 'truth']);
  const refused = await host.dispatch('fs:list', { path: '/' });
  expect(refused.ok).toBe(false);

  const events: HostEvent[] = [];
  host.events.subscribe((event) => events.push(event));
  const { runId } = (await call('training:start', {
    dataA: data.a,
    dataB: data.b,
    preset: 'tiny',
    overrides: { cropSize: 16, loadSize: 18, maxSteps: 6, previewEvery: 3 },
  })) as { runId: string };
  const finished = await new Promise<HostEvent>((resolve) => {
    host.events.subscribe((event) => {
      if (event.type === 'job' && event.event.type === 'finished') resolve(event);
    });
  });
  expect(finished).toMatchObject({ runId, event: { status: 'completed', step: 6 } });
  const jobEvents = events.flatMap((e) => (e.type === 'job' ? [e.event.type] : []));
  expect(jobEvents).toEqual(expect.arrayContaining(['started', 'metrics', 'progress', 'preview', 'checkpoint']));
  expect(events.some((e) => e.type === 'runs-changed')).toBe(true);

  // The engine has exited once the registry lets go; the run store has the whole story.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const detail = await call('runs:get', { id: runId });
  expect(detail.status).toBe('completed');
  const previews = detail.previews as { path: string }[];
  expect(previews.length).toBeGreaterThanOrEqual(2);
  expect(host.media.resolve(previews[0]?.path as string)).not.toBeNull();

  const control = await host.dispatch('training:control', { id: runId, action: 'pause' });
  expect(control).toMatchObject({ ok: false, error: { message: expect.stringContaining('is not training') } });
  const bad = await host.dispatch('training:start', { dataA: data.a, dataB: data.b, preset: 'huge' });
  expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
});
