import { describe, expect, it } from 'vitest';
import { noticeFor } from '../../src/shared/notice-text.ts';

describe('run notices', () => {
  it('says a completed run finished, with its name and steps', () => {
    const text = noticeFor({ type: 'finished', runId: 'r1', status: 'completed', step: 12000 }, 'Summer → winter');
    expect(text).toEqual({
      title: 'Training finished',
      body: 'Summer → winter completed 12,000 steps. Its checkpoints are ready to compare and convert with.',
      tone: 'ok',
    });
  });

  it('says a failed run failed, with the first line of the error, and what to do', () => {
    const text = noticeFor({ type: 'fatal', message: 'Out of memory allocating 3 GB\n    at stack' }, 'Horses');
    expect(text?.title).toBe('Training failed');
    expect(text?.tone).toBe('danger');
    expect(text?.body).toBe(
      'Horses stopped with an error: Out of memory allocating 3 GB. Open the run to continue from its last checkpoint.',
    );
  });

  it('stays quiet when the person stopped the run, and for every other event', () => {
    expect(noticeFor({ type: 'finished', runId: 'r1', status: 'stopped', step: 5 }, 'x')).toBeNull();
    expect(noticeFor({ type: 'resumed', runId: 'r1', step: 5 }, 'x')).toBeNull();
  });
});
