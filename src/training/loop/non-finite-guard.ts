// The NaN guard both trainers share: once a loss turns NaN or infinite the weights are garbage, so
// training goes back to the newest checkpoint, says why, and waits for the person to resume.
// Kept apart from the trainers so it can be tested without making a real run diverge.

import { readLatest } from '../../node/checkpoint/latest.ts';
import type { EngineToHost } from '../../shared/engine-protocol.ts';
import type { JobControl } from '../control.ts';

export interface NonFiniteGuard {
  runId: string;
  runDir: string;
  emit(event: EngineToHost): void;
  control: Pick<JobControl, 'pause'>;
  /** Loads the checkpoint folder into the trainer's nets, optimizers, pools and data; returns its step. */
  restore(checkpointPath: string): Promise<number>;
}

/** The names of the losses that are NaN or ±Infinity, in the order the step reported them. */
export function nonFiniteLosses(losses: Readonly<Record<string, number>>): string[] {
  return Object.entries(losses)
    .filter(([, value]) => !Number.isFinite(value))
    .map(([name]) => name);
}

/**
 * Checks one step's losses. All finite: returns null and does nothing. Otherwise rolls back to the
 * newest checkpoint, emits a 'non-finite-loss' pause, pauses the control and returns the step to
 * continue from. Without any checkpoint there is nothing to go back to, so it throws.
 */
export async function recoverFromNonFiniteLosses(
  losses: Readonly<Record<string, number>>,
  failedStep: number,
  guard: NonFiniteGuard,
): Promise<number | null> {
  const bad = nonFiniteLosses(losses);
  if (bad.length === 0) return null;
  const latest = await readLatest(guard.runDir);
  if (!latest) {
    throw new Error(
      `Loss ${bad.join(', ')} became NaN or infinite at step ${failedStep}, before the first checkpoint. Try a lower learning rate (--lr).`,
    );
  }
  const step = await guard.restore(latest.path);
  guard.emit({
    type: 'paused',
    runId: guard.runId,
    step,
    reason: 'non-finite-loss',
    message: `Loss ${bad.join(', ')} became NaN or infinite. Training went back to the checkpoint at step ${step} and is paused; lowering the learning rate usually helps.`,
  });
  // Already said, with the reason: the loop must not follow it with a generic "Paused".
  guard.control.pause({ announced: true });
  return step;
}
