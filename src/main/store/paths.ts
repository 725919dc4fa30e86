// Paths in the database. A file inside the workspace is stored relative to the workspace root,
// so a workspace that is moved or copied whole keeps working; anything outside (dataset
// folders, conversion outputs) is stored absolute. The root the database last lived at is kept
// in `meta`, so a move is noticed and reported, and absolute paths that pointed into the old
// location are counted (they cannot be followed any more).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database.ts';

export function toStoredPath(root: string, absolute: string): string {
  const relative = path.relative(root, path.resolve(absolute));
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  return path.resolve(absolute);
}

export function fromStoredPath(root: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.join(root, ...stored.split('/'));
}

export function pathExists(absolute: string): boolean {
  try {
    fs.statSync(absolute);
    return true;
  } catch {
    return false;
  }
}

export interface WorkspaceMove {
  /** Where the database was last opened. */
  from: string;
  to: string;
  /** Absolute paths recorded under the old location (they no longer resolve). */
  stalePaths: number;
}

/**
 * Compares the root recorded in the database with the one it is opened from. Returns the move
 * (once: the new root is recorded afterwards) or null when nothing moved.
 */
export function checkWorkspaceLocation(db: Db, root: string): WorkspaceMove | null {
  const recorded = db.prepare<[], string>("SELECT value FROM meta WHERE key = 'workspace_root'").pluck().get();
  const record = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('workspace_root', ?)");
  if (recorded === undefined) {
    record.run(root);
    return null;
  }
  if (recorded === root) return null;
  const prefix = recorded.endsWith(path.sep) ? recorded : recorded + path.sep;
  const like = `${prefix.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  const stalePaths = db
    .prepare<[{ like: string }], number>(
      `SELECT (SELECT count(*) FROM checkpoints WHERE path LIKE @like ESCAPE '\\')
            + (SELECT count(*) FROM previews WHERE path LIKE @like ESCAPE '\\')
            + (SELECT count(*) FROM conversions WHERE output_path LIKE @like ESCAPE '\\')`,
    )
    .pluck()
    .get({ like }) as number;
  record.run(root);
  return { from: recorded, to: root, stalePaths };
}
