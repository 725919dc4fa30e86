// The NaN guard, tested directly: no configuration makes a real run diverge on demand, so the
// step results here are made up, and the checkpoint is a real 'latest' pointer in a temp run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test, vi } from 'vitest';
import { writeLatest } from '../../../src/node/checkpoint/latest.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { nonFiniteLosses, recoverFromNonFiniteLosses } from '../../../src/training/loop/non-finite-guard.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function runWithCheckpointAt(step: number | null) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-nan-guard-'));
  dirs.push(runDir);
  const checkpoint = path.join(runDir, 'checkpoints', String(step ?? 0).padStart(9, '0'));
  const events: EngineToHost[] = [];
  const control = createJobControl();
  const restore = vi.fn(async (_path: string) => step ?? -1);
  const guard = { runId: 'nan', runDir, emit: (event: EngineToHost) => events.push(event), control, restore };
  return { runDir, checkpoint, events, control, restore, guard };
}

test('nonFiniteLosses names NaN, Infinity and -Infinity losses in order, and only those', () => {
  expect(nonFiniteLosses({ G: 1.5, D_A: Number.NaN, cycle: 0, D_B: Number.POSITIVE_INFINITY, idt: -2 })).toEqual([
    'D_A',
    'D_B',
  ]);
  expect(nonFiniteLosses({ G: Number.NEGATIVE_INFINITY })).toEqual(['G']);
  expect(nonFiniteLosses({ G: 1e308, D: -0, tiny: Number.MIN_VALUE })).toEqual([]);
});

test('finite losses: nothing is read, restored, emitted or paused', async () => {
  const run = runWithCheckpointAt(40);
  await writeLatest(run.runDir, { step: 40, path: run.checkpoint });
  const result = await recoverFromNonFiniteLosses({ G: 0.7, D_A: 0.2, D_B: 0.3 }, 57, run.guard);
  expect(result).toBeNull();
  expect(run.restore).not.toHaveBeenCalled();
  expect(run.events).toEqual([]);
  expect(run.control.pauseRequested).toBe(false);
});

test('a NaN and an infinite loss: rolls back to the latest checkpoint, reports it and pauses', async () => {
  const run = runWithCheckpointAt(40);
  await writeLatest(run.runDir, { step: 40, path: run.checkpoint });
  const result = await recoverFromNonFiniteLosses(
    { G: Number.NaN, D_A: 0.2, D_B: Number.POSITIVE_INFINITY },
    57,
    run.guard,
  );
  expect(result).toBe(40);
  expect(run.restore).toHaveBeenCalledTimes(1);
  expect(run.restore).toHaveBeenCalledWith(run.checkpoint);
  expect(run.events).toEqual([
    {
      type: 'paused',
      runId: 'nan',
      step: 40,
      reason: 'non-finite-loss',
      message:
        'Loss G, D_B became NaN or infinite. Training went back to the checkpoint at step 40 and is paused; lowering the learning rate usually helps.',
    },
  ]);
  expect(run.control.pauseRequested).toBe(true);
  expect(run.control.stopRequested).toBe(false);
  // The loop's own pause says nothing more: a generic "Paused" would replace the reason (and the host's
  // second paused → paused would be refused). A later pause a person asks for is announced as usual.
  const announced: string[] = [];
  const waiting = run.control.checkpointBetweenSteps(
    () => announced.push('paused'),
    () => announced.push('resumed'),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  run.control.resume();
  await waiting;
  expect(announced).toEqual(['resumed']);
  run.control.pause();
  const again = run.control.checkpointBetweenSteps(
    () => announced.push('paused'),
    () => announced.push('resumed'),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  run.control.resume();
  await again;
  expect(announced).toEqual(['resumed', 'paused', 'resumed']);
});

test('the pause is reported with the step the checkpoint restored, not the step that failed', async () => {
  const run = runWithCheckpointAt(12);
  await writeLatest(run.runDir, { step: 12, path: run.checkpoint });
  expect(await recoverFromNonFiniteLosses({ cycle: Number.NaN }, 13, run.guard)).toBe(12);
  expect(run.events).toMatchObject([{ type: 'paused', step: 12, reason: 'non-finite-loss' }]);
});

test('a NaN before the first checkpoint fails the job with a clear message and restores nothing', async () => {
  const run = runWithCheckpointAt(null);
  await expect(recoverFromNonFiniteLosses({ G: 1, D: Number.NaN }, 3, run.guard)).rejects.toThrow(
    'Loss D became NaN or infinite at step 3, before the first checkpoint. Try a lower learning rate (--lr).',
  );
  expect(run.restore).not.toHaveBeenCalled();
  expect(run.events).toEqual([]);
  expect(run.control.pauseRequested).toBe(false);
});
