// Puts a comparison's tiles together into one PNG per input image: input, ground truth (where
// known), then each checkpoint's translation and reconstruction, left to right with a thin gap;
// a cell with no tile (a one-way checkpoint's reconstruction, or its missing direction) is blank.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../../node/atomic.ts';

const GAP = 2;
const BACKGROUND = { r: 255, g: 255, b: 255 };

/** Writes `file` with the tiles (equal-sized PNGs) side by side; a null cell stays blank. */
export async function writeGridRow(tiles: (string | null)[], size: number, file: string): Promise<void> {
  const width = tiles.length * size + (tiles.length - 1) * GAP;
  const png = await sharp({ create: { width, height: size, channels: 3, background: BACKGROUND } })
    .composite(tiles.flatMap((input, i) => (input === null ? [] : [{ input, left: i * (size + GAP), top: 0 }])))
    .png()
    .toBuffer();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
