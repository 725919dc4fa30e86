// Which files the UI may see: images under the workspace or under a folder the person chose as
// a dataset (this session, or recorded in the run store). Paths are resolved through symlinks
// first, so neither `../` nor a link can reach outside those folders.
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE_EXTENSIONS } from '../datasets/scan.ts';

export interface MediaAccess {
  allowFolder(folder: string): void;
  /** The real path of the file when it may be served, else null. */
  resolve(requested: string): string | null;
}

function realOrNull(target: string): string | null {
  try {
    return fs.realpathSync(target);
  } catch {
    return null;
  }
}

function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function createMediaAccess(fixedRoots: () => readonly string[]): MediaAccess {
  const chosen = new Set<string>();
  return {
    allowFolder(folder) {
      const real = realOrNull(folder);
      if (real) chosen.add(real);
    },
    resolve(requested) {
      if (typeof requested !== 'string' || !path.isAbsolute(requested) || requested.includes('\0')) return null;
      const real = realOrNull(requested);
      if (!real || !IMAGE_EXTENSIONS.has(path.extname(real).toLowerCase())) return null;
      const roots = [
        ...chosen,
        ...fixedRoots()
          .map(realOrNull)
          .filter((r): r is string => r !== null),
      ];
      return roots.some((root) => inside(root, real)) ? real : null;
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
