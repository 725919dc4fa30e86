import { describe, expect, it } from 'vitest';
import { createProgressTracker } from '../../../src/main/desktop/taskbar-progress.ts';
import type { HostEvent } from '../../../src/shared/contract.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';

const backend = { name: 'wasm' as const, version: '4', device: 'cpu', fallbacks: [] };
const job = (runId: string, event: EngineToHost): HostEvent => ({ type: 'job', runId, event });
const started = (runId: string, startStep: number, totalSteps: number) =>
  job(runId, { type: 'started', runId, backend, startStep, totalSteps, epochLength: 10 });
const progress = (runId: string, step: number, totalSteps = 200) =>
  job(runId, {
    type: 'progress',
    runId,
    step,
    epoch: 0,
    totalSteps,
    epochLength: 10,
    imagesPerSecond: 3,
    etaSeconds: 10,
    learningRate: 0.0002,
  });

describe('taskbar progress', () => {
  it('follows a run from its start step to the end, then removes the bar', () => {
    const tracker = createProgressTracker();
    expect(tracker.update(started('a', 50, 200))).toEqual({ fraction: 0.25, mode: 'normal' });
    expect(tracker.update(progress('a', 100))).toEqual({ fraction: 0.5, mode: 'normal' });
    expect(
      tracker.update(job('a', { type: 'paused', runId: 'a', step: 100, reason: 'requested', message: '' })),
    ).toEqual({ fraction: 0.5, mode: 'paused' });
    expect(tracker.update(job('a', { type: 'resumed', runId: 'a', step: 100 }))?.mode).toBe('normal');
    expect(tracker.update(job('a', { type: 'finished', runId: 'a', status: 'completed', step: 200 }))).toEqual({
      fraction: -1,
      mode: 'none',
    });
  });

  it('moves only in whole percents, so the many progress events do not redraw the taskbar', () => {
    const tracker = createProgressTracker();
    tracker.update(started('a', 0, 1000));
    expect(tracker.update(progress('a', 1, 1000))).toBeNull();
    expect(tracker.update(progress('a', 4, 1000))).toBeNull();
    expect(tracker.update(progress('a', 10, 1000))).toEqual({ fraction: 0.01, mode: 'normal' });
    expect(tracker.update({ type: 'runs-changed' })).toBeNull();
  });

  it('shows two runs as their average, and drops a failed one', () => {
    const tracker = createProgressTracker();
    tracker.update(started('a', 0, 100));
    tracker.update(started('b', 0, 100));
    tracker.update(progress('a', 100, 100));
    expect(tracker.update(progress('b', 50, 100))).toEqual({ fraction: 0.75, mode: 'normal' });
    expect(tracker.update(job('a', { type: 'fatal', message: 'boom' }))).toEqual({ fraction: 0.5, mode: 'normal' });
  });

  it('drops a run whose job is gone without a word (engine killed), and says which', () => {
    const tracker = createProgressTracker();
    tracker.update(started('a', 0, 100));
    tracker.update(started('b', 0, 100));
    tracker.update(progress('a', 40, 100));
    tracker.update(progress('b', 80, 100));
    expect(tracker.retain((id) => id !== 'nobody')).toEqual({ bar: null, dropped: [] });
    expect(tracker.retain((id) => id === 'a')).toEqual({ bar: { fraction: 0.4, mode: 'normal' }, dropped: ['b'] });
    expect(tracker.retain(() => false)).toEqual({ bar: { fraction: -1, mode: 'none' }, dropped: ['a'] });
  });
});
