// Issue 6, Responsiveness: training runs in its own process, so the host's event loop (which
// answers every window and browser) stays free while a run trains. Measured, not assumed:
// the event-loop delay during a `tiny` run, p99 under 50 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, expect, test } from 'vitest';
import { createHost } from '../../src/main/host.ts';
import { writeSamples } from '../../src/main/samples.ts';
import type { HostEvent } from '../../src/shared/contract.ts';

const RESOLUTION_MS = 10;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-responsive-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the host event loop stays responsive while a run trains (p99 delay < 50 ms)', { timeout: 120_000 }, async () => {
  const data = await writeSamples({ out: path.join(root, 'data'), kind: 'palette', count: 6, size: 16, seed: 5 });
  const jobEvents: string[] = [];
  // The host's own work per event (the store's writes, the fan-out) runs in this loop too.
  host.events.subscribe((event) => {
    if (event.type === 'job') jobEvents.push(event.event.type);
  });
  const finished = new Promise<HostEvent>((resolve) => {
    host.events.subscribe((event) => {
      if (event.type === 'job' && (event.event.type === 'finished' || event.event.type === 'fatal')) resolve(event);
    });
  });
  const started = await host.dispatch('training:start', {
    dataA: data.a,
    dataB: data.b,
    preset: 'tiny',
    overrides: { cropSize: 16, loadSize: 18, maxSteps: 24, previewEvery: 6 },
  });
  expect(started.ok).toBe(true);

  // Measured from the first step to the end (engine start-up and data loading included would
  // be fine too, but the steps are where the host's share of the work is).
  await new Promise<void>((resolve) => {
    host.events.subscribe((event) => {
      if (event.type === 'job' && event.event.type === 'metrics') resolve();
    });
  });
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  // The UI keeps asking while it trains, as the screens do (their refreshes are throttled to
  // one a second at most): the run, its metrics and the runs list.
  const runId = started.ok ? (started.value as { runId: string }).runId : '';
  const polling = setInterval(() => {
    void host.dispatch('runs:get', { id: runId });
    void host.dispatch('runs:metrics', { id: runId, points: 1500 });
    void host.dispatch('runs:list', {});
  }, 1000);
  const end = await finished;
  clearInterval(polling);
  delay.disable();

  expect(end).toMatchObject({ event: { type: 'finished', status: 'completed', step: 24 } });
  expect(jobEvents.filter((t) => t === 'metrics').length).toBeGreaterThan(10);
  // Node records the whole interval between its timer's ticks, so the delay is that minus the
  // resolution (an idle loop shows about 10 ms here, i.e. no delay).
  const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const p99 = delayMs(delay.percentile(99));
  console.log(
    `[responsiveness] host event-loop delay over ${delay.count} samples during training: p50 ${delayMs(delay.percentile(50)).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${delayMs(delay.max).toFixed(1)} ms`,
  );
  expect(delay.count).toBeGreaterThan(10);
  expect(p99).toBeLessThan(50);
});
