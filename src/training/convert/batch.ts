// Converts a folder of photos with one translator. Three stages overlap: while an image is
// translated (on the JavaScript thread, or the backend's), the next one is decoded and the
// previous one encoded and written by sharp on libvips' threads. A file that cannot be read or
// written is reported and the batch goes on; a cancel stops between tiles, lets the file being
// written finish, and leaves no temporary file. Every output is written under a temporary name
// and renamed, so an output name only ever holds a complete image.
//
// A whole-image translation holds the JavaScript thread until it ends, so a file's event (and its
// rename) may come after the next file's translation; tiled translations yield between tiles.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ConvertEngineEvent, ConvertFileStatus, ConvertOptions, ConvertSummary } from '../../shared/convert.ts';
import { describeFsError } from '../checkpoint/atomic-dir.ts';
import { translateImage } from '../inference/translate-image.ts';
import type { Translator } from '../inference/translator.ts';
import { checkConvertFolders } from './folders.ts';
import { type DecodedImage, decodeForConversion, writeImageAtomically } from './image-io.ts';
import { outputNames } from './names.ts';
import { listInputImages } from './walk.ts';

export interface ConvertBatchContext {
  translator: Translator;
  emit: (event: ConvertEngineEvent) => void;
  /** Aborting it cancels the batch (promptly: between tiles of a large image). */
  signal?: AbortSignal | undefined;
  memoryBudgetBytes?: number | undefined;
  /** Named in the started event. */
  backend?: string | undefined;
}

export interface ConvertBatchResult extends ConvertSummary {
  status: 'completed' | 'stopped';
}

/** Temporary names of outputs being written (image-io.ts temporaryNameFor): `.<name>.<12 hex>.tmp`. */
const TEMPORARY = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Removes temporary files a killed earlier batch left in the output tree (never anything else). */
async function removeLeftoverTemporaries(dir: string): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) await removeLeftoverTemporaries(full);
    else if (entry.isFile() && TEMPORARY.test(entry.name)) await fs.rm(full, { force: true });
  }
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
  options: ConvertOptions & { jobId: string },
  context: ConvertBatchContext,
): Promise<ConvertBatchResult> {
  const started = performance.now();
  const { jobId } = options;
  const { inDir, outDir } = await checkConvertFolders(options.inDir, options.outDir);
  const inputs = await listInputImages(inDir);
  const names = outputNames(inputs, options.format);
  await removeLeftoverTemporaries(outDir);
  const existing = new Set<string>();
  if (options.skipExisting)
    for (const input of inputs) if (await exists(path.join(outDir, names.get(input) as string))) existing.add(input);
  context.emit({
    type: 'convert-started',
    jobId,
    step: context.translator.step,
    total: inputs.length,
    existing: existing.size,
    backend: context.backend ?? 'unknown',
  });

  const summary = { converted: 0, skipped: 0, failed: 0 };
  let done = 0;
  const report = (
    input: string,
    status: ConvertFileStatus,
    extra: { reason?: string; tiles?: number; since?: number } = {},
  ) => {
    summary[status]++;
    done++;
    context.emit({
      type: 'convert-file',
      jobId,
      done,
      total: inputs.length,
      input,
      output: names.get(input) as string,
      status,
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      ...(extra.tiles === undefined ? {} : { tiles: extra.tiles }),
      seconds: extra.since === undefined ? 0 : (performance.now() - extra.since) / 1000,
    });
  };

  const longSide = typeof options.size === 'number' ? options.size : undefined;
  const decode = (input: string): Promise<Decoded> =>
    decodeForConversion(path.join(inDir, input), longSide === undefined ? {} : { longSide }).then(
      (image) => ({ ok: true as const, image }),
      (error: unknown) => ({ ok: false as const, reason: `cannot be read: ${messageOf(error)}` }),
    );

  const work = inputs.filter((input) => !existing.has(input));
  for (const input of inputs) if (existing.has(input)) report(input, 'skipped', { reason: 'the output exists' });

  let pendingWrite: Promise<void> = Promise.resolve();
  let nextDecode: Promise<Decoded> | null = work.length > 0 ? decode(work[0] as string) : null;
  let cancelled = false;
  for (let i = 0; i < work.length; i++) {
    const input = work[i] as string;
    const decoded = await (nextDecode as Promise<Decoded>);
    if (context.signal?.aborted) {
      cancelled = true;
      break;
    }
    nextDecode = i + 1 < work.length ? decode(work[i + 1] as string) : null;
    const since = performance.now();
    if (!decoded.ok) {
      report(input, 'failed', { reason: decoded.reason, since });
      continue;
    }
    let translated: Awaited<ReturnType<typeof translateImage>>;
    try {
      translated = await translateImage(context.translator, decoded.image, {
        direction: options.direction,
        mode: options.size === 'tiled' ? 'tiled' : 'full',
        memoryBudgetBytes: context.memoryBudgetBytes,
        signal: context.signal,
        onTile: (tile, total) => {
          if (total > 1) context.emit({ type: 'convert-tile', jobId, input, done: tile, total });
        },
      });
    } catch (error) {
      if (context.signal?.aborted) {
        cancelled = true;
        break;
      }
      report(input, 'failed', { reason: `could not be translated: ${messageOf(error)}`, since });
      continue;
    }
    // One write in flight at a time: it overlaps this loop's next decode and translation.
    await pendingWrite;
    const target = path.join(outDir, names.get(input) as string);
    pendingWrite = (async () => {
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await writeImageAtomically(translated.image, options.format, options.quality, target);
        report(input, 'converted', { tiles: translated.tiles, since });
      } catch (error) {
        report(input, 'failed', { reason: `could not be written: ${messageOf(error)}`, since });
      }
    })();
  }
  await pendingWrite;
  await nextDecode;
  const result: ConvertBatchResult = {
    status: cancelled ? 'stopped' : 'completed',
    ...summary,
    seconds: (performance.now() - started) / 1000,
  };
  context.emit({ type: 'convert-finished', jobId, ...result });
  return result;
}
