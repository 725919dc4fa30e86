// Where a run's checkpoints live and which one is the newest: runDir/checkpoints/<step, 9 digits>
// folders, and runDir/checkpoints/latest, a small JSON pointer replaced atomically after the folder
// it names is complete. The pointer holds a path relative to the run, so a moved workspace resumes.
import path from 'node:path';
import { type CheckpointFs, defaultFs, writeFileAtomically } from './atomic-dir.ts';

export const CHECKPOINTS_DIR = 'checkpoints';
export const LATEST_FILE = 'latest';

export interface LatestPointer {
  step: number;
  /** The checkpoint folder: absolute when read; absolute or relative to the run when written. */
  path: string;
}

export function checkpointDir(runDir: string, step: number): string {
  if (!Number.isInteger(step) || step < 0) throw new Error(`step ${step} is not a whole number ≥ 0`);
  return path.join(runDir, CHECKPOINTS_DIR, String(step).padStart(9, '0'));
}

/** Points `latest` at a complete checkpoint folder of this run. */
export async function writeLatest(
  runDir: string,
  latest: LatestPointer,
  fs: CheckpointFs = defaultFs,
): Promise<LatestPointer> {
  const { step, path: dir } = latest;
  if (!Number.isInteger(step) || step < 0) throw new Error(`step ${step} is not a whole number ≥ 0`);
  const relative = path.relative(path.resolve(runDir), path.resolve(runDir, dir));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    throw new Error(`checkpoint ${dir} is not inside the run folder ${runDir}`);
  const pointer = { step, path: relative.split(path.sep).join('/') };
  await writeFileAtomically(path.join(runDir, CHECKPOINTS_DIR, LATEST_FILE), `${JSON.stringify(pointer)}\n`, fs);
  return { step, path: path.resolve(runDir, dir) };
}

/** The newest checkpoint of a run, or null when it has none yet. */
export async function readLatest(runDir: string, fs: CheckpointFs = defaultFs): Promise<LatestPointer | null> {
  const file = path.join(runDir, CHECKPOINTS_DIR, LATEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let pointer: unknown;
  try {
    pointer = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const { step, path: relative } = (pointer ?? {}) as { step?: unknown; path?: unknown };
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || typeof relative !== 'string')
    throw new Error(`${file} is not a checkpoint pointer ({ step, path })`);
  return { step, path: path.resolve(runDir, relative) };
}
