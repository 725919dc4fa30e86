// How a training image is cut to the network's size, as the reference CycleGAN code's
// `--preprocess` does it. Pure geometry: which size to resize the (EXIF-oriented) image to,
// where to crop and whether to mirror, so the choices can be tested without decoding anything
// and the decoder (load-image.ts) only carries them out.

export const PREPROCESS_MODES = ['resize_and_crop', 'crop', 'scale_width', 'none'] as const;
export type PreprocessMode = (typeof PREPROCESS_MODES)[number];

export interface Preprocess {
  mode: PreprocessMode;
  /** Size the image is resized to before cropping (resize_and_crop: both sides; scale_width: the width). */
  loadSize: number;
  /** Side of the square crop the network sees. */
  cropSize: number;
  /** Random horizontal flip (the reference's default; its `--no_flip` turns it off). */
  flip: boolean;
}

/**
 * The reference's ratio, load_size 286 for crop_size 256 (about × 1.12): round(crop × 286/256).
 * Rounding crop × 1.12 itself would give 287 for 256, not the reference's 286.
 */
export function defaultLoadSize(cropSize: number): number {
  return Math.round((cropSize * 286) / 256);
}

export function isPreprocessMode(value: unknown): value is PreprocessMode {
  return typeof value === 'string' && (PREPROCESS_MODES as readonly string[]).includes(value);
}

/** A Preprocess with the reference's defaults: resize_and_crop, load = defaultLoadSize(crop), flips on. */
export function makePreprocess(
  cropSize: number,
  options: { mode?: PreprocessMode; loadSize?: number; flip?: boolean } = {},
): Preprocess {
  const preprocess: Preprocess = {
    mode: options.mode ?? 'resize_and_crop',
    cropSize,
    loadSize: options.loadSize ?? defaultLoadSize(cropSize),
    flip: options.flip ?? true,
  };
  validatePreprocess(preprocess);
  return preprocess;
}

/** Throws a message a person can act on when the settings cannot produce crops of cropSize. */
export function validatePreprocess(preprocess: Preprocess): void {
  const { mode, loadSize, cropSize } = preprocess;
  if (!isPreprocessMode(mode)) {
    throw new Error(`Unknown preprocess mode "${String(mode)}" (one of ${PREPROCESS_MODES.join(', ')}).`);
  }
  if (!Number.isInteger(cropSize) || cropSize < 1) {
    throw new Error(`The crop size must be a positive whole number of pixels, not ${cropSize}.`);
  }
  if (!Number.isInteger(loadSize) || loadSize < 1) {
    throw new Error(`The load size must be a positive whole number of pixels, not ${loadSize}.`);
  }
  if ((mode === 'resize_and_crop' || mode === 'scale_width') && loadSize < cropSize) {
    throw new Error(`The load size (${loadSize}) must be at least the crop size (${cropSize}) for ${mode}.`);
  }
}

/** What to do with one image: resize to resizeWidth × resizeHeight, cut the crop at (left, top), mirror or not. */
export interface CropPlan {
  resizeWidth: number;
  resizeHeight: number;
  left: number;
  top: number;
  size: number;
  flip: boolean;
}

/**
 * Plans one image's resize, crop and flip. `random` is called exactly three times whatever
 * the mode (left, top, flip), so a sample's draws never shift with the settings or the image.
 */
export function planCrop(width: number, height: number, preprocess: Preprocess, random: () => number): CropPlan {
  const { mode, loadSize, cropSize } = preprocess;
  let resizeWidth: number;
  let resizeHeight: number;
  switch (mode) {
    case 'resize_and_crop':
      // Both sides to loadSize, aspect ignored, as the reference's transforms.Resize([load, load]).
      resizeWidth = loadSize;
      resizeHeight = loadSize;
      break;
    case 'crop': {
      // The image as it is; one smaller than the crop is enlarged, aspect kept, until the crop fits.
      const scale = Math.max(1, cropSize / Math.min(width, height));
      resizeWidth = Math.max(cropSize, Math.round(width * scale));
      resizeHeight = Math.max(cropSize, Math.round(height * scale));
      break;
    }
    case 'scale_width':
      // The reference's __scale_width: width to loadSize, height by the aspect ratio but never
      // below the crop (a very wide image is stretched vertically so the crop fits).
      resizeWidth = Math.max(loadSize, cropSize);
      resizeHeight = Math.max(cropSize, Math.round((loadSize * height) / width));
      break;
    case 'none':
      // The reference feeds such images at their own size (rounded to a multiple of 4); Diptych
      // batches images into one tensor, so every image is resized to cropSize × cropSize instead.
      resizeWidth = cropSize;
      resizeHeight = cropSize;
      break;
  }
  const left = Math.floor(random() * (resizeWidth - cropSize + 1));
  const top = Math.floor(random() * (resizeHeight - cropSize + 1));
  const flip = random() < 0.5 && preprocess.flip;
  return { resizeWidth, resizeHeight, left, top, size: cropSize, flip };
}
