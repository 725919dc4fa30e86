// Input folders for the batch tests: small PNG/JPEG photos of one flat colour each, so every
// output can be traced back to its input.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { collectConvertInputs } from '../../../src/node/convert/inputs.ts';
import type { ConvertInputs, ConvertOptions } from '../../../src/shared/convert.ts';

export function tempDir(prefix = 'diptych-convert-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a width × height image of one colour; the format follows the extension. */
export async function writeFlat(
  file: string,
  colour: [number, number, number],
  width = 20,
  height = 12,
): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(colour, i * 3);
  await sharp(data, { raw: { width, height, channels: 3 } }).toFile(file);
}

/** Every file under dir, relative, sorted (hidden ones too: a leftover temporary must show). */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export async function centrePixel(file: string): Promise<number[]> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return Array.from(data.subarray(i, i + 3));
}

/** A batch's options with the work list a host resolves and sends the engine (src/main/jobs/convert.ts). */
export async function planned<T extends ConvertOptions>(options: T): Promise<T & { work: ConvertInputs }> {
  return { ...options, work: await collectConvertInputs(options) };
}
