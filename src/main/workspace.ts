// The workspace folder: the run database and one folder per run (DESIGN.md, Storage).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Workspace {
  root: string;
  databasePath: string;
  runsDir: string;
}

/** --home wins, then DIPTYCH_HOME, then ~/.diptych. Electron passes app.getPath('userData'). */
export function resolveWorkspaceRoot(explicit?: string): string {
  const chosen = explicit ?? process.env.DIPTYCH_HOME ?? path.join(os.homedir(), '.diptych');
  return path.resolve(chosen);
}

/**
 * mkdir -p, one level at a time. Node's `mkdirSync(…, { recursive: true })` never returns for some
 * paths (under /proc/self it loops at 100 % CPU): here the first level that cannot be made throws its
 * own error.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) fs.mkdirSync(folder);
}

export function openWorkspace(root: string): Workspace {
  const runsDir = path.join(root, 'runs');
  try {
    makeFolders(runsDir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot use ${root} as the Diptych workspace: ${reason}`);
  }
  return { root, databasePath: path.join(root, 'diptych.db'), runsDir };
}
