// Decodes one image file into what the networks eat: 8-bit sRGB RGB, EXIF orientation applied,
// alpha flattened onto white, resized/cropped/flipped per the Preprocess plan, as HWC float32
// in [-1, 1]. Everything heavy (decode, colour conversion, resize, crop) runs inside sharp on
// libuv/libvips threads; the JavaScript thread only maps bytes to floats (and mirrors rows).
import sharp, { type Sharp } from 'sharp';
import { type Preprocess, planCrop } from './preprocess.ts';

/** One training image: HWC float32 in [-1, 1], cropSize × cropSize × 3. */
export interface ImageData32 {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Largest image accepted, in pixels: sharp's own default (16383², about 268 MP), named here
 * because it is a decision. It takes every camera and phone photo (200 MP sensors included)
 * while refusing decompression bombs (a few-KB file that claims 30000 × 30000) before any
 * pixel is decoded. Memory stays small for big photos because libvips streams the decode
 * and JPEG/WebP shrink on load when the target is much smaller (an 8000 × 6000 JPEG to 286²
 * costs a few MB, not 144).
 */
export const MAX_INPUT_PIXELS = 16383 * 16383;

const WHITE = { r: 255, g: 255, b: 255 };

/** Bicubic, as the reference's PIL resize; `fill` because every mode decides the aspect itself. */
const RESIZE = { fit: 'fill', kernel: 'cubic' } as const;

/**
 * Opens a file for decoding. failOn 'warning' (sharp's default, as the dataset scan uses) so a
 * truncated or damaged file is refused rather than trained on with a grey band; only the first
 * frame of an animated GIF/WebP or multi-page TIFF is read.
 */
function openImage(file: string): Sharp {
  return sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', pages: 1, page: 0 });
}

/** Width and height as displayed, after the EXIF orientation is applied (5–8 swap the sides). */
async function orientedSize(image: Sharp, file: string): Promise<{ width: number; height: number }> {
  const meta = await image.metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error(`${file} has no image size`);
  return { width, height };
}

/**
 * The colour steps every decode shares: rotate by EXIF, flatten alpha onto white, convert
 * grey/CMYK/16-bit/ICC-tagged input to 8-bit sRGB. sharp orders these itself (orientation
 * before resize, extract after), so the chain reads as the result.
 */
function normalised(image: Sharp): Sharp {
  return image.rotate().flatten({ background: WHITE }).toColourspace('srgb');
}

async function rgbPixels(image: Sharp, width: number, height: number, file: string): Promise<Buffer> {
  const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height) {
    throw new Error(`${file} decoded to ${info.width}×${info.height}×${info.channels}, not ${width}×${height}×3`);
  }
  return data;
}

/** Bytes 0..255 to floats -1..1 (0 → −1 and 255 → 1 exactly), mirroring each row when asked. */
export function bytesToImage(pixels: Uint8Array, width: number, height: number, flip: boolean): ImageData32 {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = row + (flip ? width - 1 - x : x) * 3;
      const to = row + x * 3;
      data[to] = (pixels[from] as number) / 127.5 - 1;
      data[to + 1] = (pixels[from + 1] as number) / 127.5 - 1;
      data[to + 2] = (pixels[from + 2] as number) / 127.5 - 1;
    }
  }
  return { width, height, data };
}

/**
 * One augmented training image. `random` is drawn exactly three times (crop left, crop top,
 * flip) so the caller's keyed generator decides the whole sample.
 */
export async function loadTrainingImage(
  file: string,
  preprocess: Preprocess,
  random: () => number,
): Promise<ImageData32> {
  const image = openImage(file);
  const { width, height } = await orientedSize(image, file);
  const plan = planCrop(width, height, preprocess, random);
  const cropped = normalised(image)
    .resize(plan.resizeWidth, plan.resizeHeight, RESIZE)
    .extract({ left: plan.left, top: plan.top, width: plan.size, height: plan.size });
  const pixels = await rgbPixels(cropped, plan.size, plan.size, file);
  return bytesToImage(pixels, plan.size, plan.size, plan.flip);
}

/** For previews/eval: EXIF-rotated, sRGB, 8-bit, resized to size × size (no crop, no flip). */
export async function loadImageForPreview(file: string, size: number): Promise<ImageData32> {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`A preview size must be a positive whole number, not ${size}`);
  const image = normalised(openImage(file)).resize(size, size, RESIZE);
  const pixels = await rgbPixels(image, size, size, file);
  return bytesToImage(pixels, size, size, false);
}
