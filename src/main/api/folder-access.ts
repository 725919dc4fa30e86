// Which folders a request may name. A page (the web host) may read only under the roots fs:list
// browses (DIPTYCH_ROOTS), or it could read any folder's images through /media; the desktop app and
// the command line are exempt, because there the person chose the folder in the native dialog or on
// the command line. The workspace's sample folders, which samples:create writes for a page to train
// on, are usable wherever the workspace lies.
import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo } from '../../shared/contract.ts';
import { allowedRoots, requireWithinRoots } from '../datasets/folders.ts';
import { samplesRoot } from '../demo-samples.ts';

export interface FolderAccess {
  /** The folder, resolved, if a request may read it; throws with the reason otherwise. */
  usableFolder(folder: string): Promise<string>;
  /** An output folder may not exist yet: its nearest existing ancestor must be usable. */
  usableOutput(folder: string): Promise<void>;
}

export function createFolderAccess(kind: AppInfo['host'], workspaceRoot: string): FolderAccess {
  const confined = kind !== 'electron' && kind !== 'cli';
  return {
    usableFolder: async (folder) =>
      confined ? requireWithinRoots(folder, [...allowedRoots(), samplesRoot(workspaceRoot)]) : folder,
    usableOutput: async (folder) => {
      if (!confined) return;
      let existing = path.resolve(folder);
      while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
      await requireWithinRoots(existing, allowedRoots());
    },
  };
}
