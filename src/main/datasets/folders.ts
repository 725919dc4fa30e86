// The folder browser of the web host (Electron uses the native dialog): it lists sub-folders
// only inside the host's allowed roots, so a browser page cannot walk the whole disk, and names
// the open folder's images so loose files can be picked to convert.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing } from '../../shared/contract.ts';
import { IMAGE_EXTENSIONS } from './scan.ts';

/** DIPTYCH_ROOTS (separated like PATH) or the home folder and the temporary folder. */
export function allowedRoots(): string[] {
  const configured = process.env.DIPTYCH_ROOTS?.split(path.delimiter).filter(Boolean);
  return (configured && configured.length > 0 ? configured : [os.homedir(), os.tmpdir()]).map((r) => path.resolve(r));
}

/** Image files a listing names (the convert screen picks loose files from them); the count is exact. */
export const MAX_LISTED_IMAGES = 1000;

function within(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The real path of `requested` when it lies under one of `roots` (both resolved through
 * symlinks, so neither `../` nor a link leads outside), else an error that names the roots.
 * The web host's datasets:preview and training:start use it with the roots of fs:list: a page
 * may only point the host at folders it could also browse to (and /media then serves only
 * images under those).
 */
export async function requireWithinRoots(requested: string, roots: readonly string[]): Promise<string> {
  const target = path.resolve(requested);
  const real = await fs.realpath(target).catch(() => {
    throw new Error(`The folder ${target} does not exist.`);
  });
  const realRoots = await Promise.all(roots.map((root) => fs.realpath(root).catch(() => root)));
  if (!realRoots.some((root) => within(root, real)))
    throw new Error(
      `${target} is outside the folders this host may use (${roots.join(', ')}); DIPTYCH_ROOTS sets them.`,
    );
  return real;
}

export async function listFolder(requested: string | undefined, roots: readonly string[]): Promise<FolderListing> {
  const target = path.resolve(requested ?? roots[0] ?? os.homedir());
  const real = await fs.realpath(target).catch(() => {
    throw new Error(`The folder ${target} does not exist.`);
  });
  const root = roots.find((r) => within(r, real));
  if (!root) throw new Error(`${target} is outside the folders this host may browse (${roots.join(', ')}).`);
  const entries = await fs.readdir(real, { withFileTypes: true }).catch((error: Error) => {
    throw new Error(`The folder ${real} cannot be read: ${error.message}`);
  });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => ({ name: e.name, path: path.join(real, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const images = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => ({ name: e.name, path: path.join(real, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const imageCount = entries.filter(
    (e) => e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()),
  ).length;
  return {
    path: real,
    parent: real === root ? null : path.dirname(real),
    folders,
    imageCount,
    images: images.slice(0, MAX_LISTED_IMAGES),
    roots: [...roots],
  };
}
