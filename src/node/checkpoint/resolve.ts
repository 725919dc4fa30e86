// Which checkpoint folder a person means by "run R, step S" or "run R, latest": one place for the
// CLI, the host and the comparer to turn that into a path, with a message that lists what exists.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CHECKPOINTS_DIR, checkpointDir, readLatest } from './latest.ts';

/** The steps of a run's complete checkpoint folders (9-digit names), ascending. */
export async function listCheckpointSteps(runDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(runDir, CHECKPOINTS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => /^\d{9}$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The folder of checkpoint `step` (a number, or 'latest') of the run in `runDir`. */
export async function resolveCheckpoint(
  runDir: string,
  step: number | 'latest',
): Promise<{ step: number; dir: string }> {
  if (step === 'latest') {
    const latest = await readLatest(runDir);
    if (!latest) throw new Error(`run ${runDir} has no checkpoint yet`);
    return { step: latest.step, dir: latest.path };
  }
  const dir = checkpointDir(runDir, step);
  const steps = await listCheckpointSteps(runDir);
  if (!steps.includes(step))
    throw new Error(
      steps.length === 0
        ? `run ${runDir} has no checkpoint yet`
        : `run ${runDir} has no checkpoint at step ${step} (it has ${steps.join(', ')})`,
    );
  return { step, dir };
}
