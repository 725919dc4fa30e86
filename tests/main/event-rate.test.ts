import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rateLimited } from '../../src/main/event-rate.ts';
import type { HostEvent } from '../../src/shared/contract.ts';

const metrics = (runId: string, step: number): HostEvent => ({
  type: 'job',
  runId,
  event: { type: 'metrics', runId, step, epoch: 0, losses: { G_A: step } },
});
const stepOf = (event: HostEvent | undefined) =>
  event?.type === 'job' && 'step' in event.event ? event.event.step : undefined;

describe('event rate limit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes a few metrics a second per run from a stream of hundreds, ending on the latest', () => {
    const sent: HostEvent[] = [];
    const forward = rateLimited(
      (e) => sent.push(e),
      { metricsMs: 200, progressMs: 250 },
      () => Date.now(),
    );
    // 1000 steps in 10 seconds: one every 10 ms.
    for (let step = 1; step <= 1000; step++) {
      forward.listener(metrics('a', step));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    expect(sent.length).toBeGreaterThanOrEqual(49);
    expect(sent.length).toBeLessThanOrEqual(52);
    expect(stepOf(sent[0])).toBe(1);
    expect(stepOf(sent.at(-1))).toBe(1000);
    const steps = sent.map(stepOf) as number[];
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    forward.close();
  });

  it('keeps runs apart and lets every other event through at once, after the held numbers', () => {
    const sent: HostEvent[] = [];
    const forward = rateLimited((e) => sent.push(e), { metricsMs: 200, progressMs: 250 });
    forward.listener(metrics('a', 1));
    forward.listener(metrics('b', 1));
    forward.listener(metrics('a', 2));
    forward.listener({ type: 'runs-changed' });
    expect(sent.map((e) => (e.type === 'job' ? `${e.runId}${stepOf(e)}` : e.type))).toEqual([
      'a1',
      'b1',
      'runs-changed',
    ]);
    forward.listener({
      type: 'job',
      runId: 'a',
      event: { type: 'finished', runId: 'a', status: 'completed', step: 2 },
    });
    expect(sent.slice(3).map((e) => (e.type === 'job' ? `${e.event.type}${stepOf(e)}` : e.type))).toEqual([
      'metrics2',
      'finished2',
    ]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(5);
    forward.close();
  });

  it('drops what it holds when the window or socket closes', () => {
    const sent: HostEvent[] = [];
    const forward = rateLimited((e) => sent.push(e));
    forward.listener(metrics('a', 1));
    forward.listener(metrics('a', 2));
    forward.close();
    vi.advanceTimersByTime(1000);
    expect(sent.map(stepOf)).toEqual([1]);
  });
});
