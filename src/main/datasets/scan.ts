// Scans a dataset folder: which files are images sharp can read, their size range, the
// problems found (each unreadable file named once), and a fingerprint that changes when the
// folder's contents do, so a run can tell that its data moved on since it was trained.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { IMAGE_EXTENSIONS } from '../../shared/image-extensions.ts';

// Anything else in the folder is ignored, not reported.
export { IMAGE_EXTENSIONS } from '../../shared/image-extensions.ts';

export interface DatasetProblem {
  file: string;
  problem: string;
}

export interface DatasetScan {
  folder: string;
  images: string[];
  /** Smallest and largest width × height seen, null when there are no readable images. */
  sizeRange: { min: [number, number]; max: [number, number] } | null;
  problems: DatasetProblem[];
  fingerprint: string;
}

type ReadDir = (dir: string) => Promise<import('node:fs').Dirent[]>;

const readDirEntries: ReadDir = (dir) => fs.readdir(dir, { withFileTypes: true });

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()) && !name.startsWith('.');
}

/**
 * The image files under `folder`, with the subfolders that could not be read. Written as a walk rather
 * than readdir's `recursive` so that (a) symbolic links count as what they point to — a folder of links to
 * images is a folder of images, a linked folder is walked once (its real path is remembered, so a link
 * loop ends) — and (b) one unreadable subfolder is skipped and reported instead of refusing the dataset.
 * Only the folder itself failing is an error.
 */
export async function listImageFiles(
  folder: string,
  readDir: ReadDir = readDirEntries,
): Promise<{ files: string[]; skipped: DatasetProblem[] }> {
  const files: string[] = [];
  const skipped: DatasetProblem[] = [];
  const seen = new Set<string>();
  const walk = async (dir: string, isRoot: boolean): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      const real = await fs.realpath(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = await readDir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isRoot) {
        if (code === 'ENOENT') throw new Error(`The folder ${folder} does not exist.`);
        if (code === 'ENOTDIR') throw new Error(`${folder} is a file, not a folder of images.`);
        throw new Error(`The folder ${folder} cannot be read: ${(error as Error).message}`);
      }
      skipped.push({
        file: `${path.relative(folder, dir)}${path.sep}`,
        problem: `this subfolder cannot be read (${code ?? (error as Error).message}); its images were skipped`,
      });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let kind: 'file' | 'dir' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
      if (entry.isSymbolicLink()) {
        // What the link points to decides; a dangling link is nothing.
        const target = await fs.stat(full).catch(() => null);
        kind = target?.isFile() ? 'file' : target?.isDirectory() ? 'dir' : 'other';
      }
      if (kind === 'file' && isImageName(entry.name)) files.push(full);
      else if (kind === 'dir') await walk(full, false);
    }
  };
  await walk(folder, true);
  return { files: files.sort(), skipped };
}

export async function scanDataset(folder: string): Promise<DatasetScan> {
  const root = path.resolve(folder);
  const { files, skipped } = await listImageFiles(root);
  const images: string[] = [];
  const problems: DatasetProblem[] = [...skipped];
  const hash = createHash('sha256');
  let min: [number, number] | null = null;
  let max: [number, number] | null = null;
  for (const file of files) {
    const relative = path.relative(root, file);
    try {
      const stat = await fs.stat(file);
      hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\n`);
      const meta = await sharp(file).metadata();
      if (!meta.width || !meta.height) throw new Error('no image size in the file');
      // The header alone passes for a cut-off file (an interrupted copy); decode it, small
      // (JPEG shrinks on load), so that training never meets a file the scan called readable.
      await sharp(file).resize(32, 32, { fit: 'inside' }).raw().toBuffer();
      // EXIF orientations 5–8 swap width and height once applied.
      const [width, height] = (meta.orientation ?? 1) >= 5 ? [meta.height, meta.width] : [meta.width, meta.height];
      if (!min || width * height < min[0] * min[1]) min = [width, height];
      if (!max || width * height > max[0] * max[1]) max = [width, height];
      images.push(relative);
    } catch (error) {
      problems.push({ file: relative, problem: `unreadable: ${(error as Error).message}` });
    }
  }
  return {
    folder: root,
    images,
    sizeRange: min && max ? { min, max } : null,
    problems,
    fingerprint: hash.digest('hex').slice(0, 16),
  };
}
