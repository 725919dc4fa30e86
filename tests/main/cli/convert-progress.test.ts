// The convert progress line's arithmetic: outputs that existed do not count toward the pace,
// tiles of a large image move the ETA, and durations read as a person expects.
import { describe, expect, it } from 'vitest';
import { createConvertMeter, exitCodeOf, formatDuration } from '../../../src/main/cli/follow-convert.ts';

describe('createConvertMeter', () => {
  it('paces on the work done this session, tiles included', () => {
    let now = 100;
    const meter = createConvertMeter(() => now);
    meter.onEvent({ type: 'convert-started', jobId: 'j', step: 1, total: 12, existing: 2, backend: 'cpu' });
    for (const input of ['a', 'b'])
      meter.onEvent({
        type: 'convert-file',
        jobId: 'j',
        done: input === 'a' ? 1 : 2,
        total: 12,
        input,
        output: input,
        status: 'skipped',
        reason: 'the output exists',
        seconds: 0,
      });
    expect(meter.rate()).toBeNull();
    now = 110;
    meter.onEvent({
      type: 'convert-file',
      jobId: 'j',
      done: 3,
      total: 12,
      input: 'c',
      output: 'c',
      status: 'converted',
      seconds: 10,
    });
    // 1 image in 10 s; 9 to go.
    expect(meter.rate()).toBeCloseTo(0.1);
    expect(meter.etaSeconds()).toBeCloseTo(90);
    now = 115;
    meter.onEvent({ type: 'convert-tile', jobId: 'j', input: 'd', done: 1, total: 2 });
    // 1.5 images in 15 s; 8.5 to go.
    expect(meter.etaSeconds()).toBeCloseTo(85);
    expect([meter.done, meter.total]).toEqual([3, 12]);
  });

  it('formats durations and exit codes', () => {
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(null)).toBe('—');
    const outcome = { converted: 3, skipped: 0, failed: 0, error: null };
    expect(exitCodeOf({ ...outcome, status: 'completed' })).toBe(0);
    expect(exitCodeOf({ ...outcome, status: 'completed', failed: 1 })).toBe(2);
    expect(exitCodeOf({ ...outcome, status: 'stopped' })).toBe(130);
    expect(exitCodeOf({ ...outcome, status: 'failed' })).toBe(1);
  });
});
