// The page may ask the desktop app to show a folder in the file manager ("open output folder").
// Only folders the app itself wrote to qualify: a conversion's output folder, or a folder inside
// the workspace (exports, run folders). Anything else, a file, or a path that is not absolute is
// refused, so a compromised page cannot use the file manager to open arbitrary places.
import fs from 'node:fs';
import path from 'node:path';

export interface OpenableFolders {
  /** Folders that may be opened themselves (recorded conversion outputs). */
  exact: readonly string[];
  /** Folders whose sub-folders may be opened, and they themselves (the workspace). */
  within: readonly string[];
}

function realOrNull(target: string): string | null {
  try {
    return fs.realpathSync(target);
  } catch {
    return null;
  }
}

function sameOrInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of the folder to open, or null when the request is not one of the openable folders. */
export function folderToOpen(raw: unknown, allowed: OpenableFolders): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096 || raw.includes('\0')) return null;
  if (!path.isAbsolute(raw)) return null;
  const real = realOrNull(raw);
  if (!real || !fs.statSync(real).isDirectory()) return null;
  const exact = allowed.exact.map(realOrNull).some((folder) => folder === real);
  const within = allowed.within.map(realOrNull).some((root) => root !== null && sameOrInside(real, root));
  return exact || within ? real : null;
}
