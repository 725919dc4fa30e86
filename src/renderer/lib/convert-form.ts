// The convert screen's knowledge: how its fields become a convert:start request (or a plain
// words reason why not yet), where an output lands, and a sensible output folder to suggest.
import type { Direction } from '../../shared/basics.ts';
import type { RequestOf } from '../../shared/contract.ts';
import {
  CONVERSION_ENGINES,
  CONVERT_FORMATS,
  type ConversionEngine,
  type ConvertFormat,
  conversionEngineWords,
  MAX_FIT_SIDE,
} from '../../shared/convert.ts';

export type SizeMode = 'full' | 'fit' | 'tiled';

export interface ConvertForm {
  runId: string;
  /** A checkpoint step, or '' for the run's latest. */
  step: string;
  direction: Direction;
  inDir: string;
  /** Loose files instead of the folder (when any are chosen, inDir is not used). */
  files: string[];
  outDir: string;
  sizeMode: SizeMode;
  fitPx: string;
  format: ConvertFormat;
  quality: string;
  skipExisting: boolean;
  engine: ConversionEngine;
}

export const FORMAT_LABELS: Record<ConvertFormat, string> = {
  png: 'PNG (lossless)',
  jpg: 'JPEG',
  webp: 'WebP',
};
export const FORMATS = CONVERT_FORMATS;

export const ENGINE_LABELS: Record<ConversionEngine, string> = {
  auto: 'Fastest available',
  onnx: 'ONNX Runtime',
  tfjs: 'TensorFlow.js',
};
export const ENGINE_HELP =
  'What runs the network. Fastest available: ONNX Runtime where it can run this checkpoint (on a GPU where your install has one), else TensorFlow.js. Both give the same pictures, within one level of 255.';
export const ENGINES = CONVERSION_ENGINES;

/** What the progress panel says runs the network, from the started event. */
export function engineLine(started: {
  engine?: 'onnx' | 'tfjs' | undefined;
  engineNote?: string | undefined;
  backend: string;
}): string {
  // On TensorFlow.js the note, where there is one, says why ONNX Runtime did not run it.
  const fallback = started.engine !== 'onnx' && started.engineNote ? ` ${started.engineNote}.` : '';
  return `Running on ${conversionEngineWords(started)}.${fallback}`;
}

function trimSlashes(folder: string): string {
  return folder.length > 1 ? folder.replace(/[\\/]+$/, '') : folder;
}

/** A sibling of the input folder named after the target domain: never inside the input. */
export function suggestOutput(inDir: string, direction: Direction): string {
  const trimmed = trimSlashes(inDir.trim());
  return trimmed ? `${trimmed}-as-${direction === 'AtoB' ? 'B' : 'A'}` : '';
}

/** The folder a file lies in ('' for a bare name). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut <= 0 ? file.slice(0, cut + 1) : file.slice(0, cut);
}

/** The input the output suggestion follows: the folder, or the first loose file's folder. */
export function inputFolderOf(form: Pick<ConvertForm, 'inDir' | 'files'>): string {
  return form.files[0] === undefined ? form.inDir : folderOf(form.files[0]);
}

const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?|avif|heic|heif|bmp)$/i;

/** Whether a dropped path names an image file (a folder has no image extension). */
export function isImageFile(file: string): boolean {
  return IMAGE_FILE.test(file);
}

/** Where an output file (reported relative to the output folder) lies on disk. */
export function outputPath(outDir: string, relative: string): string {
  const base = trimSlashes(outDir.trim());
  const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return `${base}${separator}${relative}`;
}

export function buildConvertRequest(form: ConvertForm): { request: RequestOf<'convert:start'> } | { problem: string } {
  if (!form.runId) return { problem: 'Choose a run.' };
  if (form.files.length === 0 && !form.inDir.trim())
    return { problem: 'Choose the folder of images to convert, or some image files.' };
  if (!form.outDir.trim()) return { problem: 'Choose where the converted images go.' };
  let size: RequestOf<'convert:start'>['size'] = form.sizeMode === 'fit' ? 0 : form.sizeMode;
  if (form.sizeMode === 'fit') {
    const px = Number(form.fitPx);
    if (!Number.isInteger(px) || px < 8 || px > MAX_FIT_SIDE)
      return { problem: `Fit to: a whole number of pixels from 8 to ${MAX_FIT_SIDE}.` };
    size = px;
  }
  const quality = Number(form.quality);
  if (form.format !== 'png' && (!Number.isInteger(quality) || quality < 1 || quality > 100))
    return { problem: 'Quality: a whole number from 1 to 100.' };
  return {
    request: {
      runId: form.runId,
      step: form.step === '' ? 'latest' : Number(form.step),
      direction: form.direction,
      ...(form.files.length > 0 ? { files: [...form.files] } : { inDir: form.inDir.trim() }),
      outDir: form.outDir.trim(),
      size,
      format: form.format,
      ...(form.format === 'png' ? {} : { quality }),
      skipExisting: form.skipExisting,
      engine: form.engine,
    },
  };
}
