// Real image files for the data-pipeline tests, written by sharp (and, where sharp cannot
// write what is needed, a 16-bit PNG or a decompression bomb, by hand) into a temporary folder.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

export async function makeTempDir(prefix = 'diptych-data-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

type Rgb = { r: number; g: number; b: number };

export function solid(width: number, height: number, colour: Rgb): Sharp {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** A width × height image whose left half is `left` and right half `right`. */
export function halves(width: number, height: number, left: Rgb, right: Rgb): Sharp {
  return solid(width, height, right).composite([
    { input: { create: { width: width / 2, height, channels: 3, background: left } }, left: 0, top: 0 },
  ]);
}

/** Every pixel different (a horizontal and a vertical ramp): crops and flips show in the pixels. */
export function gradient(width: number, height: number): Sharp {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x * 255) / (width - 1));
      data[i + 1] = Math.round((y * 255) / (height - 1));
      data[i + 2] = (x * 7 + y * 13) % 256;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function pngHeader(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  return pngChunk('IHDR', ihdr);
}

/**
 * A true 16-bit PNG (sharp's raw input stays 8-bit per sample): `samples` row-major,
 * `channels` 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA), values 0..65535.
 */
export function png16(width: number, height: number, channels: 1 | 2 | 3 | 4, samples: number[]): Buffer {
  const colourType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * channels * 2); // filter byte 0, then big-endian samples
    for (let i = 0; i < width * channels; i++) row.writeUInt16BE(samples[y * width * channels + i] ?? 0, 1 + 2 * i);
    rows.push(row);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngHeader(width, height, 16, colourType),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A few-KB PNG whose header claims side × side pixels: a decompression bomb. */
export function pngBomb(side: number): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    pngHeader(side, side, 8, 2),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc((side * 3 + 1) * 2))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Channel means of an HWC float image, in [-1, 1]. */
export function channelMeans(image: { data: Float32Array }): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  const { data } = image;
  for (let i = 0; i < data.length; i += 3) {
    r += data[i] as number;
    g += data[i + 1] as number;
    b += data[i + 2] as number;
  }
  const n = data.length / 3;
  return [r / n, g / n, b / n];
}

/** The pixel at (x, y) as [r, g, b] in [-1, 1]. */
export function pixelAt(image: { width: number; data: Float32Array }, x: number, y: number): [number, number, number] {
  const i = (y * image.width + x) * 3;
  return [image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number];
}
