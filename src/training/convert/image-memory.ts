// What one image's whole-image buffers cost in a conversion, and the refusal of an image whose
// buffers would not fit, decided from the file's header alone (width × height, bit depth) before
// a single pixel is decoded. The translation's tensors have their own budget (memoryBudgetFor in
// inference/translate-image.ts: only one tile is ever a tensor); what is bounded here is what
// lives in process memory for the whole image at once, which tiling does not shrink:
//
//   libvips' decoded source       3 bytes/px (6 at 16 bits), of the file's own size
//   the raw RGB sharp hands back  3 (6) bytes/px           ┐
//   the float32 copy ([-1, 1])    12 bytes/px              │ of the size converted
//   the blend (sum + weight)      12 + 4 bytes/px          │ (the file's, or --size's)
//   8-bit result + its encoding   3 + 3 bytes/px           ┘
//
// so about 40 bytes per pixel for an 8-bit photo converted at its own size: a 24 MP photo
// ~1 GB, a 16000 × 16000 PNG (746 KB on disk) ~10 GB. The budget for them is half the machine's
// memory (os.totalmem), the rest left to the backend, the tensors and everything else running.
import os from 'node:os';

const GB = 1e9;

/** Bytes per pixel of the converted size's buffers (raw RGB, floats, blend, result), by bit depth. */
export function convertedBytesPerPixel(bits: 8 | 16): number {
  return (bits === 16 ? 6 : 3) + 12 + 16 + 6;
}

export interface ImageGeometry {
  /** The file's size as stored (what libvips decodes). */
  sourceWidth: number;
  sourceHeight: number;
  /** The size converted (the file's own, or resized for --size). */
  width: number;
  height: number;
  bits: 8 | 16;
}

/** Estimated peak bytes of one image's whole-image buffers during its conversion. */
export function conversionBytes(image: ImageGeometry): number {
  const source = image.sourceWidth * image.sourceHeight * (image.bits === 16 ? 6 : 3);
  return source + image.width * image.height * convertedBytesPerPixel(image.bits);
}

/** Where nobody said otherwise, one image's buffers get at most this much, whatever the machine. */
export const IMAGE_MEMORY_CAP = 4 * 2 ** 30;

/**
 * The default budget for one image's buffers: half of this machine's memory, at most 4 GiB (~100 MP
 * at 40 bytes per pixel: a 16000 × 16000 PNG of 746 KB is refused in a moment instead of taking 10 GB
 * for minutes, even where the machine has that much). DIPTYCH_IMAGE_MEMORY_GB sets another for a
 * machine meant for such images.
 */
export function defaultImageMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DIPTYCH_IMAGE_MEMORY_GB;
  if (raw !== undefined && raw.trim() !== '') {
    const gb = Number(raw);
    if (!(gb > 0 && Number.isFinite(gb)))
      throw new Error(`DIPTYCH_IMAGE_MEMORY_GB=${raw} is not a number of gigabytes > 0.`);
    return Math.floor(gb * 1e9);
  }
  return Math.floor(Math.min(os.totalmem() / 2, IMAGE_MEMORY_CAP));
}

/** An image refused before decoding because its buffers would not fit the budget. */
export class ImageTooLargeError extends Error {
  override name = 'ImageTooLargeError';
}

const gigabytes = (bytes: number) => `${bytes >= 10 * GB ? Math.round(bytes / GB) : (bytes / GB).toFixed(1)} GB`;
const megapixels = (pixels: number) => `${pixels >= 10e6 ? Math.round(pixels / 1e6) : (pixels / 1e6).toFixed(1)} MP`;

/**
 * The largest long side (px, rounded down to a hundred when above 1000) at which the image's
 * buffers fit `budget`; null when even decoding the file does not fit (no --size helps then).
 */
export function largestFittingSide(image: ImageGeometry, budget: number): number | null {
  const source = image.sourceWidth * image.sourceHeight * (image.bits === 16 ? 6 : 3);
  const pixels = (budget - source) / convertedBytesPerPixel(image.bits);
  if (pixels < 1) return null;
  const long = Math.max(image.sourceWidth, image.sourceHeight);
  const short = Math.min(image.sourceWidth, image.sourceHeight);
  const side = Math.floor(Math.sqrt((pixels * long) / short));
  if (side < 1) return null;
  return side > 1000 ? Math.floor(side / 100) * 100 : side;
}

/**
 * Throws ImageTooLargeError, in words a person can act on, when converting `name` would need more
 * than `budget` bytes of whole-image buffers. `name` is how the message names the file;
 * `budgetGiven`: the budget was set by the caller (not the machine's default).
 */
export function checkImageFits(name: string, image: ImageGeometry, budget: number, budgetGiven = false): void {
  const needed = conversionBytes(image);
  if (needed <= budget) return;
  const resized = image.width !== image.sourceWidth || image.height !== image.sourceHeight;
  const side = largestFittingSide(image, budget);
  const advice =
    side === null
      ? 'Resize it with another program first.'
      : `Resize it first, or convert it smaller: --size ${side} (its long side in px) fits.`;
  throw new ImageTooLargeError(
    `${name} is ${image.sourceWidth}×${image.sourceHeight} (${megapixels(image.sourceWidth * image.sourceHeight)})` +
      `${resized ? `, ${image.width}×${image.height} as asked` : ''}; converting it would need ~${gigabytes(needed)} ` +
      `of memory, more than ${budgetGiven ? `the budget of ${gigabytes(budget)} given` : `this machine's budget of ${gigabytes(budget)} (half its memory, at most 4 GiB; DIPTYCH_IMAGE_MEMORY_GB sets another)`}. ${advice}`,
  );
}
