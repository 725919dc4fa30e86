// The images of an input folder, its subfolders included, as sorted relative paths: the batch's
// work list and the shape of the output tree. Hidden files and folders are left out (they are
// not photos, and the batch's own temporary files are hidden).
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_EXTENSIONS } from '../../shared/image-extensions.ts';

/** The same extensions as the dataset scan's (src/shared/image-extensions.ts). */
export const CONVERTIBLE_EXTENSIONS = IMAGE_EXTENSIONS;

/** Relative paths with '/' separators, sorted, of every image file under `root`. */
export async function listInputImages(root: string): Promise<string[]> {
  const found: string[] = [];
  async function visit(relative: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(child);
      else if (entry.isFile() && CONVERTIBLE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) found.push(child);
    }
  }
  await visit('');
  return found.sort();
}
