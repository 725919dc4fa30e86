// Atomic replacement of a whole folder, for checkpoints: everything is written into a hidden
// sibling, fsynced, and renamed onto the target. Node has no atomic swap of two folders (no
// renameat2 RENAME_EXCHANGE), so replacing an existing folder takes two renames: old → `.x.old-*`,
// new → x. A crash between them leaves x missing with its complete old copy beside it, and
// restoreInterruptedSwap puts it back; at every point either the old or the new complete folder is
// there to be read. The engine writes checkpoints with it; the host reads them through it too.
import { randomBytes } from 'node:crypto';
import nodeFs from 'node:fs/promises';
import path from 'node:path';

/** The file-system calls checkpoint IO makes: injectable, so tests can fail a write half way. */
export type CheckpointFs = Pick<typeof nodeFs, 'open' | 'rename' | 'rm' | 'mkdir' | 'readdir' | 'stat' | 'readFile'>;

export const defaultFs: CheckpointFs = nodeFs;

const NEW_MARK = '.new-';
const OLD_MARK = '.old-';

function hiddenSibling(dir: string, mark: string): string {
  return path.join(path.dirname(dir), `.${path.basename(dir)}${mark}${randomBytes(6).toString('hex')}`);
}

function siblingsWith(entries: string[], dir: string, mark: string): string[] {
  const prefix = `.${path.basename(dir)}${mark}`;
  return entries.filter((name) => name.startsWith(prefix)).map((name) => path.join(path.dirname(dir), name));
}

async function exists(fs: CheckpointFs, target: string): Promise<boolean> {
  try {
    await fs.stat(target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Makes a folder's entries (a new name, a rename) durable; a no-op where the platform cannot. */
export async function fsyncDir(fs: CheckpointFs, dir: string): Promise<void> {
  let handle: Awaited<ReturnType<CheckpointFs['open']>> | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or flush a directory; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * If `dir` is missing but a complete old copy was moved aside by an interrupted replacement, moves
 * it back. Returns whether it did.
 */
export async function restoreInterruptedSwap(dir: string, fs: CheckpointFs = defaultFs): Promise<boolean> {
  if (await exists(fs, dir)) return false;
  let entries: string[];
  try {
    entries = await fs.readdir(path.dirname(dir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const [old] = siblingsWith(entries, dir, OLD_MARK);
  if (!old) return false;
  await fs.rename(old, dir);
  await fsyncDir(fs, path.dirname(dir));
  return true;
}

/** Removes what interrupted writes of `dir` left beside it (never `dir` itself). */
async function removeLeftovers(dir: string, fs: CheckpointFs): Promise<void> {
  const entries = await fs.readdir(path.dirname(dir));
  for (const leftover of [...siblingsWith(entries, dir, NEW_MARK), ...siblingsWith(entries, dir, OLD_MARK)])
    await fs.rm(leftover, { recursive: true, force: true });
}

/**
 * Calls `fill(temporaryDir)` to write the folder's files (each fsynced by `fill`), then puts the
 * folder in place of `dir`. On any error the temporary folder is removed, `dir` is as it was, and
 * the error is rethrown.
 */
export async function replaceDirAtomically(
  dir: string,
  fill: (temporaryDir: string) => Promise<void>,
  fs: CheckpointFs = defaultFs,
): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  await restoreInterruptedSwap(dir, fs);
  await removeLeftovers(dir, fs);
  const temporary = hiddenSibling(dir, NEW_MARK);
  try {
    await fs.mkdir(temporary);
    await fill(temporary);
    await fsyncDir(fs, temporary);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  let aside: string | null = null;
  try {
    if (await exists(fs, dir)) {
      aside = hiddenSibling(dir, OLD_MARK);
      await fs.rename(dir, aside);
    }
    await fs.rename(temporary, dir);
  } catch (error) {
    if (aside) await fs.rename(aside, dir).catch(() => {});
    await fs.rm(temporary, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  await fsyncDir(fs, parent);
  if (aside) await fs.rm(aside, { recursive: true, force: true });
}

/** Writes a small file by temporary name + fsync + rename, so readers see the old or the new one. */
export async function writeFileAtomically(target: string, data: string, fs: CheckpointFs = defaultFs): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = hiddenSibling(target, NEW_MARK);
  try {
    const handle = await fs.open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
  await fsyncDir(fs, path.dirname(target));
}

/** A file-system error in words a person can act on. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOSPC':
      return `the disk is full (ENOSPC): ${message}`;
    case 'EDQUOT':
      return `the disk quota is used up (EDQUOT): ${message}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): ${message}`;
    case 'EROFS':
      return `the file system is read-only (EROFS): ${message}`;
    default:
      return message;
  }
}
