// Converts a folder of photos with one translator. Three stages overlap: while an image is
// translated (on the JavaScript thread, or the backend's), the next one is decoded and the
// previous one encoded and written by sharp on libvips' threads. A file that cannot be read or
// written is reported and the batch goes on; a cancel stops between tiles, lets the file being
// written finish, and leaves no temporary file. Every output is written under a temporary name
// and renamed, so an output name only ever holds a complete image.
//
// A whole-image translation holds the JavaScript thread until it ends, so a file's event (and its
// rename) may come after the next file's translation; tiled translations yield between tiles.
// A translator of one fixed size (a CoGAN) goes through fixed-size.ts instead: its inversion
// yields between steps and reports them as progress within the file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from '../../node/checkpoint/atomic-dir.ts';
import type {
  ConvertEngineEvent,
  ConvertFileStatus,
  ConvertInput,
  ConvertInputs,
  ConvertOptions,
  ConvertSummary,
} from '../../shared/convert.ts';
import type { RgbImage } from '../inference/rgb-image.ts';
import { translateImage } from '../inference/translate-image.ts';
import type { Translator } from '../inference/translator.ts';
import { fixedOutputSize, fixedSizeNote, fixedSizeProblem, translateFixedSize } from './fixed-size.ts';
import { type DecodedImage, type DecodeOptions, decodeForConversion, writeImageAtomically } from './image-io.ts';
import { conversionBytes, defaultImageMemoryBudget, ImageTooLargeError } from './image-memory.ts';

export interface ConvertBatchContext {
  translator: Translator;
  emit: (event: ConvertEngineEvent) => void;
  /** Aborting it cancels the batch (promptly: between tiles of a large image). */
  signal?: AbortSignal | undefined;
  memoryBudgetBytes?: number | undefined;
  /**
   * Bytes one image's whole-image buffers (decoded, float copies, blended result) may take; an
   * image above it is refused from its header, before decoding (image-memory.ts). Default: half
   * of this machine's memory.
   */
  imageMemoryBytes?: number | undefined;
  /** Named in the started event. */
  backend?: string | undefined;
}

export interface ConvertBatchResult extends ConvertSummary {
  status: 'completed' | 'stopped';
}

/**
 * Whether a write failed because the disk is full. Node's own errors say ENOSPC / EDQUOT; libvips's
 * (sharp's toFile) say it only in their text.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /no space left on device|ENOSPC|disk quota exceeded|EDQUOT/i.test(message);
}

/** What a person reads once when the output disk fills up. */
export function diskFullReason(outDir: string, converted: number): string {
  return (
    `The disk that holds the output folder (${outDir}) is full: the conversion stopped. ` +
    `The ${converted} picture${converted === 1 ? '' : 's'} written so far are complete and no partial file was left; ` +
    'free some space there, then run it again with "skip existing" (--skip-existing) to convert the rest.'
  );
}

/** Temporary names of outputs being written (image-io.ts temporaryNameFor): `.<name>.<12 hex>.tmp`. */
const TEMPORARY = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Removes temporary files a killed earlier batch left in the output tree (never anything else). */
/**
 * Removes the temporaries a killed batch left in `dir`. A shard (one of several workers writing into
 * one folder) removes only those of its own outputs (`own`: paths relative to the output folder), never a
 * temporary another worker is writing right now.
 */
async function removeLeftoverTemporaries(dir: string, own?: ReadonlySet<string>, root = dir): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) await removeLeftoverTemporaries(full, own, root);
    else if (entry.isFile() && TEMPORARY.test(entry.name) && (!own || own.has(targetOfTemporary(full, root))))
      await fs.rm(full, { force: true });
  }
}

/** `.<name>.<12 hex>.tmp` → `<name>`'s path relative to the output folder (temporaryNameFor's inverse). */
function targetOfTemporary(temporary: string, root: string): string {
  const name = path
    .basename(temporary)
    .replace(/^\./, '')
    .replace(/\.[0-9a-f]{12}\.tmp$/, '');
  return path.relative(root, path.join(path.dirname(temporary), name));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

const messageOf = (error: unknown) => describeFsError(error);

type Decoded = { ok: true; image: DecodedImage } | { ok: false; reason: string };

export async function convertBatch(
  options: ConvertOptions & { jobId: string; work: ConvertInputs },
  context: ConvertBatchContext,
): Promise<ConvertBatchResult> {
  const started = performance.now();
  const { jobId } = options;
  const { translator } = context;
  const problem = fixedSizeProblem(translator, options.size);
  if (problem) throw new Error(problem);
  const fixed = translator.fixedSize !== undefined;
  const { outDir, inputs, loose } = options.work;
  // Loose files' outputs lie flat among other files: only the batch's own temporaries are removed.
  if (!loose)
    await removeLeftoverTemporaries(outDir, options.shard ? new Set(inputs.map((item) => item.output)) : undefined);
  const existing = new Set<ConvertInput>();
  if (options.skipExisting)
    for (const item of inputs) if (await exists(path.join(outDir, item.output))) existing.add(item);
  context.emit({
    type: 'convert-started',
    jobId,
    step: translator.step,
    total: inputs.length,
    existing: existing.size,
    backend: context.backend ?? 'unknown',
    engine: translator.engine,
    ...(translator.engineNote ? { engineNote: translator.engineNote } : {}),
    ...(fixed ? { note: fixedSizeNote(translator, options.size) } : {}),
  });

  const summary = { converted: 0, skipped: 0, failed: 0 };
  let done = 0;
  const report = (
    item: ConvertInput,
    status: ConvertFileStatus,
    extra: { reason?: string; tiles?: number; since?: number; reconstructionError?: number | undefined } = {},
  ) => {
    summary[status]++;
    done++;
    context.emit({
      type: 'convert-file',
      jobId,
      done,
      total: inputs.length,
      input: item.input,
      output: item.output,
      status,
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      ...(extra.tiles === undefined ? {} : { tiles: extra.tiles }),
      ...(extra.reconstructionError === undefined ? {} : { reconstructionError: extra.reconstructionError }),
      seconds: extra.since === undefined ? 0 : (performance.now() - extra.since) / 1000,
    });
  };

  const imageBudget = context.imageMemoryBytes ?? defaultImageMemoryBudget();
  const decodeOptions: DecodeOptions = {
    ...(fixed
      ? { square: translator.fixedSize as number }
      : typeof options.size === 'number'
        ? { longSide: options.size }
        : {}),
    ...(context.imageMemoryBytes === undefined ? {} : { memoryBudget: context.imageMemoryBytes }),
  };
  const outputSize = fixed ? fixedOutputSize(translator, options.size) : undefined;
  const decode = (item: ConvertInput): Promise<Decoded> =>
    decodeForConversion(item.source, decodeOptions).then(
      (image) => ({ ok: true as const, image }),
      (error: unknown) => ({
        ok: false as const,
        // Too large to convert is said as it is (the file itself is fine).
        reason: error instanceof ImageTooLargeError ? error.message : `cannot be read: ${messageOf(error)}`,
      }),
    );

  const work = inputs.filter((item) => !existing.has(item));
  for (const item of inputs) if (existing.has(item)) report(item, 'skipped', { reason: 'the output exists' });

  let pendingWrite: Promise<void> = Promise.resolve();
  let nextDecode: Promise<Decoded> | null = work.length > 0 ? decode(work[0] as ConvertInput) : null;
  let cancelled = false;
  // Set by the first write that finds the disk full: every later one would fail the same way, so the
  // batch stops and says it once instead of once per file in libvips's words.
  let diskFull = false;
  for (let i = 0; i < work.length; i++) {
    if (diskFull) break;
    const item = work[i] as ConvertInput;
    const input = item.input;
    // No decode ahead after an image that converts alone (below): this one is decoded now.
    const decoded = await (nextDecode ?? decode(item));
    if (context.signal?.aborted) {
      cancelled = true;
      break;
    }
    // An image whose buffers take more than half the budget converts alone: the previous write
    // finishes first and the next image is decoded only after its own write, so two large images
    // never hold their buffers at once.
    const alone = decoded.ok && conversionBytes(decoded.image) > imageBudget / 2;
    nextDecode = !alone && i + 1 < work.length ? decode(work[i + 1] as ConvertInput) : null;
    if (alone) await pendingWrite;
    const since = performance.now();
    if (!decoded.ok) {
      report(item, 'failed', { reason: decoded.reason, since });
      continue;
    }
    let translated: { image: RgbImage; tiles: number };
    let reconstructionError: number | undefined;
    try {
      if (fixed) {
        const result = await translateFixedSize(translator, decoded.image, options.direction, {
          signal: context.signal,
          onProgress: (step, total) =>
            context.emit({ type: 'convert-tile', jobId, input, done: step, total, unit: 'inversion steps' }),
        });
        translated = { image: result.image, tiles: 1 };
        reconstructionError = result.reconstructionError;
      } else {
        translated = await translateImage(translator, decoded.image, {
          direction: options.direction,
          mode: options.size === 'tiled' ? 'tiled' : 'full',
          memoryBudgetBytes: context.memoryBudgetBytes,
          signal: context.signal,
          onTile: (tile, total) => {
            if (total > 1) context.emit({ type: 'convert-tile', jobId, input, done: tile, total });
          },
        });
      }
    } catch (error) {
      if (context.signal?.aborted) {
        cancelled = true;
        break;
      }
      report(item, 'failed', { reason: `could not be translated: ${messageOf(error)}`, since });
      continue;
    }
    // One write in flight at a time: it overlaps this loop's next decode and translation.
    await pendingWrite;
    if (diskFull) break;
    const target = path.join(outDir, item.output);
    pendingWrite = (async () => {
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await writeImageAtomically(translated.image, options.format, options.quality, target, outputSize);
        report(item, 'converted', { tiles: translated.tiles, since, reconstructionError });
      } catch (error) {
        if (isDiskFull(error)) {
          diskFull = true;
          report(item, 'failed', { reason: 'could not be written: the disk is full', since });
        } else report(item, 'failed', { reason: `could not be written: ${messageOf(error)}`, since });
      }
    })();
    if (alone) await pendingWrite;
  }
  await pendingWrite;
  await nextDecode;
  const result: ConvertBatchResult = {
    status: cancelled || diskFull ? 'stopped' : 'completed',
    ...summary,
    seconds: (performance.now() - started) / 1000,
    ...(diskFull ? { reason: diskFullReason(outDir, summary.converted) } : {}),
  };
  context.emit({ type: 'convert-finished', jobId, ...result });
  return result;
}
