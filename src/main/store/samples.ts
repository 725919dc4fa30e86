// A couple of sample images of a dataset folder, for the runs list's A/B thumbnails. The list
// is refreshed every few seconds during training, so a folder is read once and remembered until
// its modification time changes (adding, removing or renaming a file changes it) or a remembered
// sample is gone; a folder that has vanished gives no samples, never an error.
import fs from 'node:fs';
import path from 'node:path';

/** Formats every browser shows; a folder's TIFF or HEIC files make no thumbnail. */
const SHOWABLE = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.bmp']);
/** Subfolders looked into when the folder itself holds too few images (a folder of classes). */
const MAX_SUBFOLDERS = 4;

const cache = new Map<string, { mtimeMs: number; samples: string[] }>();

function readEntries(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function isShowable(entry: fs.Dirent): boolean {
  return entry.isFile() && !entry.name.startsWith('.') && SHOWABLE.has(path.extname(entry.name).toLowerCase());
}

function findSamples(folder: string, count: number): string[] {
  const entries = readEntries(folder);
  const samples = entries
    .filter(isShowable)
    .slice(0, count)
    .map((entry) => path.join(folder, entry.name));
  const subfolders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
  for (const sub of subfolders.slice(0, MAX_SUBFOLDERS)) {
    if (samples.length >= count) break;
    const inner = path.join(folder, sub.name);
    for (const entry of readEntries(inner).filter(isShowable)) {
      if (samples.length >= count) break;
      samples.push(path.join(inner, entry.name));
    }
  }
  return samples;
}

/** The first `count` showable images of a folder (absolute paths, in name order); [] when it is gone. */
export function sampleImages(folder: string, count = 2): string[] {
  const key = `${count}\0${folder}`;
  let mtimeMs: number;
  try {
    const stat = fs.statSync(folder);
    if (!stat.isDirectory()) return [];
    mtimeMs = stat.mtimeMs;
  } catch {
    cache.delete(key);
    return [];
  }
  const known = cache.get(key);
  // Samples found in a subfolder are not covered by the folder's time: each is checked (two stats).
  if (known && known.mtimeMs === mtimeMs && known.samples.every((file) => fs.existsSync(file))) return known.samples;
  const samples = findSamples(folder, count);
  cache.set(key, { mtimeMs, samples });
  return samples;
}
