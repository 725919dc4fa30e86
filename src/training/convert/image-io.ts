// Reading a photo for conversion and writing the result. Decoding applies the EXIF orientation
// (the output is upright and carries no orientation tag), converts any colour space or ICC
// profile to sRGB, drops alpha by flattening onto white (the networks are RGB; the training
// decoder does the same), keeps 16-bit precision on the way in (8-bit out), and reads only the
// first frame of an animation. Encoding writes 8-bit sRGB tagged with the sRGB profile.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { MAX_INPUT_PIXELS } from '../data/load-image.ts';
import type { RgbImage } from '../inference/rgb-image.ts';
import { checkImageFits, defaultImageMemoryBudget } from './image-memory.ts';

export const OUTPUT_FORMATS = ['png', 'jpg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface DecodeOptions {
  /** Resize so the longer side is this many px (aspect kept); absent: the image's own size. */
  longSide?: number;
  /**
   * Resize and centre-crop to a square of this side (a CoGAN's fixed size): the image is scaled
   * so its shorter side fits, and the middle of the longer side is kept. Wins over longSide.
   */
  square?: number;
  /**
   * Bytes one image's whole-image buffers may take (image-memory.ts); a file above it is refused
   * from its header, before any pixel is decoded. Absent: half of this machine's memory.
   */
  memoryBudget?: number;
}

export interface DecodedImage extends RgbImage {
  /** Size as displayed (after EXIF orientation), before any resize. */
  sourceWidth: number;
  sourceHeight: number;
  /** Whether the file had an alpha channel (flattened onto white). */
  hadAlpha: boolean;
  /** Bits per channel read: 8 or 16. */
  bits: 8 | 16;
}

const WHITE = { r: 255, g: 255, b: 255 };

/** The displayed size of a file and the resize target for longSide (aspect kept, at least 1 px). */
export function targetSize(width: number, height: number, longSide?: number): { width: number; height: number } {
  if (longSide === undefined) return { width, height };
  const scale = longSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function decodeForConversion(file: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const image = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1, page: 0 });
  const meta = await image.metadata();
  const sourceWidth = meta.autoOrient?.width ?? meta.width;
  const sourceHeight = meta.autoOrient?.height ?? meta.height;
  if (!sourceWidth || !sourceHeight) throw new Error(`${file} has no image size`);
  const sixteen = meta.depth === 'ushort';
  const { width, height } =
    options.square === undefined
      ? targetSize(sourceWidth, sourceHeight, options.longSide)
      : { width: options.square, height: options.square };
  // From the header only: a 746 KB PNG of 16000 × 16000 px is refused here, not after 7 GB.
  checkImageFits(
    path.basename(file),
    { sourceWidth, sourceHeight, width, height, bits: sixteen ? 16 : 8 },
    options.memoryBudget ?? defaultImageMemoryBudget(),
    options.memoryBudget !== undefined,
  );
  let pipeline = image
    .rotate()
    .flatten({ background: WHITE })
    .toColourspace(sixteen ? 'rgb16' : 'srgb');
  if (width !== sourceWidth || height !== sourceHeight)
    pipeline = pipeline.resize(width, height, {
      fit: options.square === undefined ? 'fill' : 'cover',
      position: 'centre',
      kernel: 'lanczos3',
    });
  const { data, info } = await pipeline
    .raw({ depth: sixteen ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height)
    throw new Error(`${file} decoded to ${info.width}×${info.height}×${info.channels}, not ${width}×${height}×3`);
  const pixels = sixteen
    ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const half = sixteen ? 65535 / 2 : 255 / 2;
  const floats = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) floats[i] = (pixels[i] as number) / half - 1;
  return {
    width,
    height,
    data: floats,
    sourceWidth,
    sourceHeight,
    hadAlpha: meta.hasAlpha === true,
    bits: sixteen ? 16 : 8,
  };
}

/** [-1, 1] floats to 8-bit, rounding to nearest and clamping (−1 → 0, 1 → 255). */
export function floatsToBytes(data: Float32Array): Uint8Array {
  // Clamped: a plain Uint8Array would wrap 256 to 0.
  const bytes = new Uint8ClampedArray(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = Math.round(((data[i] as number) + 1) * 127.5);
  return new Uint8Array(bytes.buffer);
}

/** An output size other than the image's own: the image is scaled to it (aspect as given). */
export interface OutputSize {
  width: number;
  height: number;
}

function encoder(image: RgbImage, format: OutputFormat, quality: number, size?: OutputSize): Sharp {
  let raw = sharp(floatsToBytes(image.data), {
    raw: { width: image.width, height: image.height, channels: 3 },
  }).withIccProfile('srgb');
  if (size && (size.width !== image.width || size.height !== image.height))
    raw = raw.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' });
  switch (format) {
    case 'png':
      return raw.png();
    case 'jpg':
      return raw.jpeg({ quality });
    case 'webp':
      return raw.webp({ quality });
  }
}

/** Quality 1–100 (jpg, webp; png ignores it and is lossless). */
export async function encodeImage(image: RgbImage, format: OutputFormat, quality = 90): Promise<Buffer> {
  return encoder(image, format, quality).toBuffer();
}

/** The hidden temporary name an output is written under: `.<name>.<12 hex>.tmp` beside it. */
export function temporaryNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Encodes and writes an output atomically: libvips writes the temporary file on its own thread
 * (no JavaScript runs until it is complete, so this overlaps a translation), then one rename puts
 * it in place. On any error the temporary file is removed.
 */
export async function writeImageAtomically(
  image: RgbImage,
  format: OutputFormat,
  quality: number,
  target: string,
  size?: OutputSize,
): Promise<void> {
  const temporary = temporaryNameFor(target);
  try {
    await encoder(image, format, quality, size).toFile(temporary);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
