// Following a run in a terminal: a run the NaN guard paused is stopped with the advice, not waited on
// forever (nobody at a terminal can resume it).
import { expect, test, vi } from 'vitest';
import { followJob } from '../../../src/main/cli/follow-job.ts';
import type { TrainingHandle } from '../../../src/main/jobs/training.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';

test('a NaN pause stops the run and says how to resume with a lower rate', async () => {
  const listeners: ((event: EngineToHost) => void)[] = [];
  let finish: (value: { outcome: 'stopped'; error: null }) => void = () => {};
  const stop = vi.fn(() => finish({ outcome: 'stopped', error: null }));
  const handle = {
    runId: 'r1',
    runDir: '/runs/r1',
    pause: () => {},
    resume: () => {},
    stop,
    failWith: () => {},
    onEvent: (listener: (event: EngineToHost) => void) => listeners.push(listener),
    done: new Promise((resolve) => {
      finish = resolve;
    }),
  } as unknown as TrainingHandle;
  const written: string[] = [];
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const following = followJob(handle, false);
    for (const listener of listeners)
      listener({
        type: 'paused',
        runId: 'r1',
        step: 40,
        reason: 'non-finite-loss',
        message: 'Loss G_A became NaN or infinite. Training went back to the checkpoint at step 40 and is paused.',
      });
    expect(await following).toBe('stopped');
  } finally {
    write.mockRestore();
  }
  expect(stop).toHaveBeenCalledTimes(1);
  expect(written.join('')).toContain('`diptych resume r1 --lr <a lower rate>` continues from that checkpoint');
});
