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

export function openWorkspace(root: string): Workspace {
  const runsDir = path.join(root, 'runs');
  try {
    fs.mkdirSync(runsDir, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot use ${root} as the Diptych workspace: ${reason}`);
  }
  return { root, databasePath: path.join(root, 'diptych.db'), runsDir };
}
