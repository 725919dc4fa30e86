// Batch conversion as every side sees it: the options a person gives (validated here, for the
// channels and the CLI), the job a host hands an engine, and the events the engine reports.
import { z } from 'zod';
import { type BackendName, Direction } from './basics.ts';

export const CONVERT_FORMATS = ['png', 'jpg', 'webp'] as const;
export const ConvertFormat = z.enum(CONVERT_FORMATS);
export type ConvertFormat = z.infer<typeof ConvertFormat>;

/**
 * What runs a conversion's forward passes: auto (ONNX Runtime where it can run this checkpoint, else
 * TensorFlow.js), onnx or tfjs to insist.
 */
export const CONVERSION_ENGINES = ['auto', 'onnx', 'tfjs'] as const;
export const ConversionEngine = z.enum(CONVERSION_ENGINES);
export type ConversionEngine = z.infer<typeof ConversionEngine>;

/** Longest side accepted for fit-to-N: the decoder's own limit (16383 px). */
export const MAX_FIT_SIDE = 16383;

/**
 * full: each image at its own resolution (tiled automatically when it exceeds the memory budget);
 * tiled: always in tiles; a number: resized so the longer side has that many px, aspect kept.
 */
export const ConvertSize = z.union([z.enum(['full', 'tiled']), z.number().int().min(8).max(MAX_FIT_SIDE)]);
export type ConvertSize = z.infer<typeof ConvertSize>;

/** Loose files one batch may take (a larger set is a folder's job). */
export const MAX_LOOSE_FILES = 10_000;

export const ConvertOptions = z
  .object({
    direction: Direction,
    /** The folder of images to convert (subfolders kept); or `files` instead. */
    inDir: z.string().min(1).optional(),
    /** Loose image files to convert instead of a folder; their outputs go flat into outDir. */
    files: z.array(z.string().min(1).max(4096)).min(1).max(MAX_LOOSE_FILES).optional(),
    outDir: z.string().min(1),
    size: ConvertSize.default('full'),
    format: ConvertFormat.default('png'),
    /** jpg and webp quality, 1–100; png is lossless and ignores it. */
    quality: z.number().int().min(1).max(100).default(90),
    /** A CoGAN's latent inversion: Adam steps per image (default 200); more fit closer, slower. */
    inversionSteps: z.number().int().min(1).max(10_000).optional(),
    engine: ConversionEngine.default('auto'),
    /** Leave outputs that already exist as they are (resumes a cancelled batch). */
    skipExisting: z.boolean().default(false),
    /** This worker's part of a batch split across several (src/node/convert/shard.ts); absent: all of it. */
    shard: z
      .object({ index: z.number().int().min(0), count: z.number().int().min(1).max(1_000_000) })
      .strict()
      .refine((shard) => shard.index < shard.count, { message: 'the shard index counts from 0 and is below the count' })
      .optional(),
  })
  .strict();
export type ConvertOptions = z.infer<typeof ConvertOptions>;

/** What is wrong with a batch's inputs as given (not exactly one of a folder or files), or null. */
export function convertInputsProblem(options: {
  inDir?: string | undefined;
  files?: string[] | undefined;
}): string | null {
  if (options.inDir !== undefined && options.files !== undefined)
    return 'Give either an input folder or input files, not both.';
  if (options.inDir === undefined && options.files === undefined)
    return 'Give an input folder or some input files to convert.';
  return null;
}

/** One worker's part of a batch: index I of count N. */
export interface ConvertShard {
  index: number;
  count: number;
}

/** One image of a batch: where it is read from, what events call it, and its output's name. */
export interface ConvertInput {
  /** Absolute path to read. */
  source: string;
  /** How events name it: the path relative to the input folder, or a loose file's own path. */
  input: string;
  /** Output path relative to the output folder. */
  output: string;
}

/** A batch's work list after the folder rules (src/node/convert/inputs.ts), as the host resolved it. */
export interface ConvertInputs {
  /** The input folder, or the nearest folder holding every loose file (what the record shows). */
  inDir: string;
  outDir: string;
  loose: boolean;
  inputs: ConvertInput[];
}

/**
 * A batch as a host hands it to an engine. `work` is the list the host counted and recorded: the
 * engine converts exactly it instead of walking the folder again (which could find another total).
 */
export interface ConvertJob extends ConvertOptions {
  jobId: string;
  work: ConvertInputs;
  /** The checkpoint folder to translate with. */
  checkpointDir: string;
  /** Bytes a translation may use before an image is tiled; absent: the backend's default. */
  memoryBudgetBytes?: number | undefined;
  backend?: BackendName | undefined;
}

export type ConvertFileStatus = 'converted' | 'skipped' | 'failed';

export interface ConvertSummary {
  converted: number;
  skipped: number;
  failed: number;
  seconds: number;
  /** Why a batch stopped before its end on its own (the output disk is full), in plain words. */
  reason?: string;
}

/**
 * What a convert engine reports (besides ready / log / fatal). Paths are relative to inDir / outDir;
 * a loose file's input is its own path.
 */
export type ConvertEngineEvent =
  | {
      type: 'convert-started';
      jobId: string;
      step: number;
      /** Images found in the input folder. */
      total: number;
      /** Of those, outputs that exist already and are skipped (skipExisting). */
      existing: number;
      backend: string;
      /** What runs the forward passes, and how in words (provider and threads, or why not ONNX Runtime). */
      engine?: 'tfjs' | 'onnx' | undefined;
      engineNote?: string | undefined;
      /** How this checkpoint treats the images when it is not the usual (a CoGAN's fixed size). */
      note?: string | undefined;
    }
  | {
      type: 'convert-file';
      jobId: string;
      /** Files done so far, this one included (skipped and failed count). */
      done: number;
      total: number;
      input: string;
      output: string;
      status: ConvertFileStatus;
      reason?: string | undefined;
      /** Tiles it was translated in (1: whole). */
      tiles?: number | undefined;
      /**
       * A CoGAN's translation: how closely the model could reproduce the input by latent
       * inversion, as the mean absolute error in [0, 1] pixel units (0: exactly).
       */
      reconstructionError?: number | undefined;
      seconds: number;
    }
  | {
      type: 'convert-tile';
      jobId: string;
      input: string;
      done: number;
      total: number;
      /** What done counts: tiles of a large image (default), or a CoGAN's inversion steps. */
      unit?: 'tiles' | 'inversion steps' | undefined;
    }
  | ({ type: 'convert-finished'; jobId: string; status: 'completed' | 'stopped' } & ConvertSummary);

/** What runs a translator's forward passes, in words: ONNX Runtime's provider and threads, or the tfjs backend. */
export function conversionEngineWords(used: {
  engine?: 'tfjs' | 'onnx' | undefined;
  engineNote?: string | undefined;
  backend: string;
}): string {
  if (used.engine === 'onnx') return used.engineNote ?? 'ONNX Runtime';
  return `TensorFlow.js (${used.backend})`;
}
