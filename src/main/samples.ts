// Writes a sample domain pair to disk: DIR/A, DIR/B and DIR/truth, PNGs with the same names
// in A and truth. Re-running with the same settings finds identical files and leaves them;
// it refuses to replace a different file unless asked to (it is somebody's data then).
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { renderSample, type SampleKind } from '../../resources/samples/kinds.ts';
import { writeFileAtomic } from '../node/atomic.ts';

export interface SampleOptions {
  out: string;
  kind: SampleKind;
  count: number;
  size: number;
  seed: number;
  /** Replace files that differ from what would be generated. */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SampleFolders {
  a: string;
  b: string;
  truth: string;
  written: number;
  unchanged: number;
}

function encodePng(pixels: Uint8Array, size: number): Promise<Buffer> {
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeSamples(options: SampleOptions): Promise<SampleFolders> {
  const { out, kind, count, size, seed } = options;
  if (!Number.isInteger(count) || count < 1 || count > 100_000)
    throw new Error(`--count must be a whole number from 1 to 100000 (got ${count}).`);
  if (!Number.isInteger(size) || size < 8 || size > 4096)
    throw new Error(`--size must be a whole number of pixels from 8 to 4096 (got ${size}).`);
  const folders = { a: path.join(out, 'A'), b: path.join(out, 'B'), truth: path.join(out, 'truth') };
  for (const folder of Object.values(folders)) await fs.mkdir(folder, { recursive: true });

  let written = 0;
  let unchanged = 0;
  const digits = Math.max(4, String(count - 1).length);
  for (let index = 0; index < count; index++) {
    const name = `${kind}-${String(index).padStart(digits, '0')}.png`;
    const triple = renderSample(kind, seed, index, size);
    const files: [string, Uint8Array][] = [
      [path.join(folders.a, name), triple.a],
      [path.join(folders.b, name), triple.b],
      [path.join(folders.truth, name), triple.truth],
    ];
    for (const [file, pixels] of files) {
      const png = await encodePng(pixels, size);
      const existing = await readIfExists(file);
      if (existing?.equals(png)) {
        unchanged++;
        continue;
      }
      if (existing && !options.force) {
        throw new Error(
          `${file} exists and differs from the sample that would be written; choose another --out or pass --force to replace it.`,
        );
      }
      await writeFileAtomic(file, png);
      written++;
    }
    options.onProgress?.(index + 1, count);
  }
  return { ...folders, written, unchanged };
}
