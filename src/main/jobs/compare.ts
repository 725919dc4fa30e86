// Compares checkpoints for a host: resolves RUN:STEP (or latest) to checkpoint folders, samples the
// held-out images (src/main/compare/image-set.ts), takes every checkpoint (and the image set's
// baselines) it can from the cache, starts one engine process for the rest, caches what the engine
// reports, and puts the grids together. The engine scores; the host records (the cache files) and assembles the result.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../../node/atomic.ts';
import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { resolveCheckpoint } from '../../node/checkpoint/resolve.ts';
import type {
  CheckpointScores,
  CompareBaselines,
  CompareEvent,
  CompareResult,
  KnownRelation,
} from '../../shared/compare.ts';
import { generatorSizeMultiple } from '../../shared/run-config.ts';
import {
  checkpointTag,
  entryDir,
  imageSetDir,
  inputsDir,
  inputTiles,
  readCachedBaselines,
  readCachedScores,
  writeCachedBaselines,
  writeCachedScores,
} from '../compare/cache.ts';
import { writeGridRow } from '../compare/grid.ts';
import { prepareImageSet } from '../compare/image-set.ts';
import { startEngineSession } from '../engine/session.ts';
import { requireRun, runFolder } from '../store/runs.ts';
import type { JobContext } from './context.ts';

export const MAX_COMPARED = 4;
export const DEFAULT_COUNT = 8;
/** SSIM's window is 11 px; below 16 px the numbers say little. */
export const MIN_SIZE = 16;

export interface CompareOptions {
  checkpoints: { runId: string; step: number | 'latest' }[];
  a: string;
  b: string;
  count?: number | undefined;
  /** Side the images are compared at; default the first checkpoint's training crop size. */
  size?: number | undefined;
  relation?: KnownRelation | undefined;
  truthA?: string | undefined;
  /** Where the grids and compare.json go; default inside the workspace's compare folder. */
  out?: string | undefined;
}

export interface CompareHandle {
  jobId: string;
  onEvent(listener: (event: CompareEvent) => void): void;
  /** The result; rejects with the reason when the comparison fails. */
  done: Promise<CompareResult>;
}

interface Resolved {
  runId: string;
  step: number;
  label: string;
  dir: string;
  runDir: string;
  tag: string;
  sizeMultiple: number;
  cropSize: number | null;
  /** A CoGAN draws (and so translates) images of exactly its training size. */
  fixedSize: number | null;
}

function sizeMultipleOf(config: unknown): number {
  const netG = (config as { netG?: unknown } | null)?.netG;
  return typeof netG === 'string' ? generatorSizeMultiple(netG) : 4;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

async function resolveAll(host: JobContext, options: CompareOptions): Promise<Resolved[]> {
  if (options.checkpoints.length === 0) throw new Error('Name at least one checkpoint to compare.');
  if (options.checkpoints.length > MAX_COMPARED)
    throw new Error(`At most ${MAX_COMPARED} checkpoints can be compared at once.`);
  const resolved: Resolved[] = [];
  for (const { runId, step } of options.checkpoints) {
    requireRun(host.db, runId);
    const runDir = runFolder(host.workspace, runId);
    const found = await resolveCheckpoint(runDir, step);
    const manifest = await readCheckpointManifest(found.dir);
    const label = `${runId}:${found.step}`;
    if (resolved.some((r) => r.label === label)) throw new Error(`Checkpoint ${label} is named twice.`);
    const cropSize = (manifest.config as { cropSize?: unknown } | null)?.cropSize;
    resolved.push({
      runId,
      step: found.step,
      label,
      dir: found.dir,
      runDir,
      tag: checkpointTag(manifest),
      sizeMultiple: sizeMultipleOf(manifest.config),
      cropSize: typeof cropSize === 'number' ? cropSize : null,
      fixedSize: manifest.model === 'cogan' && typeof cropSize === 'number' ? cropSize : null,
    });
  }
  return resolved;
}

/** The requested (or first checkpoint's training) size, rounded up to fit every network. */
function compareSize(resolved: Resolved[], requested: number | undefined): number {
  const multiple = resolved.reduce((m, r) => (m * r.sizeMultiple) / gcd(m, r.sizeMultiple), 1);
  const fixed = resolved.filter((r) => r.fixedSize !== null);
  if (fixed.length > 0) {
    const size = fixed[0]?.fixedSize as number;
    const clash = resolved.find((r) => (r.fixedSize !== null && r.fixedSize !== size) || size % r.sizeMultiple !== 0);
    if (clash)
      throw new Error(
        `${fixed[0]?.label} is a CoGAN that draws ${size} px images, which ${clash.label} cannot be compared at; compare them separately.`,
      );
    if (requested !== undefined && requested !== size)
      throw new Error(
        `${fixed[0]?.label} is a CoGAN that draws ${size} px images only; leave out the size or ask for ${size}.`,
      );
    return size;
  }
  const wanted = Math.max(MIN_SIZE, requested ?? resolved[0]?.cropSize ?? 64);
  return Math.ceil(wanted / multiple) * multiple;
}

function newJobId(): string {
  return `cmp-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Prepares the comparison (every request error is thrown here) and starts it. */
export async function startCompare(host: JobContext, options: CompareOptions): Promise<CompareHandle> {
  const resolved = await resolveAll(host, options);
  const size = compareSize(resolved, options.size);
  const set = await prepareImageSet({
    a: options.a,
    b: options.b,
    count: options.count ?? DEFAULT_COUNT,
    size,
    truthA: options.truthA,
    relation: options.relation,
  });
  const jobId = newJobId();
  const listeners: ((event: CompareEvent) => void)[] = [];
  const emit = (event: CompareEvent) => {
    for (const listener of listeners) listener(event);
  };

  const run = async (): Promise<CompareResult> => {
    // Let the caller subscribe before the first event.
    await new Promise((resolve) => setImmediate(resolve));
    const setDir = imageSetDir(host.workspace, set.fingerprint);
    const setInputs = inputsDir(host.workspace, set.fingerprint);
    const entries = resolved.map((r) => ({ ...r, entry: entryDir(r.runDir, r.step, r.tag, set.fingerprint) }));
    const scores = new Map<string, { scores: CheckpointScores; cached: boolean }>();
    for (const r of entries) {
      const cached = await readCachedScores(r.entry);
      if (cached) {
        scores.set(r.label, { scores: cached, cached: true });
        emit({ type: 'checkpoint', checkpoint: r.label, cached: true });
      }
    }
    const counts = { A: set.images.A.length, B: set.images.B.length };
    const hasTruth = { A: set.truth.AtoB !== null, B: set.truth.BtoA !== null };
    const missing = entries.filter((r) => !scores.has(r.label));
    // A set cached before baselines existed has none: an engine computes them (and no checkpoint).
    let baselines = await readCachedBaselines(setDir, { AtoB: hasTruth.A, BtoA: hasTruth.B });
    if (missing.length > 0 || !baselines || !(await inputTiles(setInputs, counts, hasTruth))) {
      await runEngine(host, {
        jobId,
        size,
        images: set.images,
        truth: set.truth,
        inputsDir: setInputs,
        checkpoints: missing.map((r) => ({ key: r.label, dir: r.dir, outDir: r.entry })),
        onProgress: (key, done, total) => emit({ type: 'progress', checkpoint: key, done, total }),
        onBaselines: async (value) => {
          await writeCachedBaselines(setDir, value);
          baselines = value;
        },
        onScores: async (key, result) => {
          const r = missing.find((m) => m.label === key);
          if (!r) return;
          await writeCachedScores(r.entry, result);
          scores.set(key, { scores: result, cached: false });
          emit({ type: 'checkpoint', checkpoint: key, cached: false });
        },
      });
    }
    const tiles = await inputTiles(setInputs, counts, hasTruth);
    if (!tiles) throw new Error(`The input tiles of image set ${set.fingerprint} are missing after the comparison.`);
    if (!baselines) throw new Error(`The engine reported no baselines for image set ${set.fingerprint}.`);

    const gridsDir = path.resolve(
      options.out ?? path.join(setDir, 'grids', entries.map((r) => `${r.runId}-${r.step}-${r.tag}`).join('_')),
    );
    const compared = entries.map((r) => {
      const found = scores.get(r.label);
      if (!found) throw new Error(`The engine reported no scores for ${r.label}.`);
      return { runId: r.runId, step: r.step, label: r.label, ...found };
    });
    const grids: CompareResult['grids'] = { A: [], B: [] };
    for (const domain of ['A', 'B'] as const) {
      const direction = domain === 'A' ? 'AtoB' : 'BtoA';
      for (const [i, image] of set.images[domain].entries()) {
        const row: (string | null)[] = [tiles.inputs[domain][i] as string];
        const truthTile = tiles.truth[domain]?.[i];
        if (truthTile) row.push(truthTile);
        // A one-way checkpoint (CUT) leaves its cells blank: no reconstruction, and no B → A at all.
        for (const c of compared) {
          const scores = c.scores[direction];
          row.push(scores?.translated[i] ?? null, scores?.reconstructed[i] ?? null);
        }
        const file = path.join(gridsDir, `${domain}-${String(i).padStart(2, '0')}-${path.parse(image).name}.png`);
        await writeGridRow(row, size, file);
        grids[domain].push(file);
      }
    }
    const result: CompareResult = {
      jobId,
      imageSet: set.fingerprint,
      size,
      images: set.images,
      inputs: tiles.inputs,
      truth: tiles.truth,
      checkpoints: compared,
      baselines,
      grids,
      gridsDir,
    };
    await writeFileAtomic(path.join(gridsDir, 'compare.json'), `${JSON.stringify(result, null, 1)}\n`);
    return result;
  };

  const done = run().then(
    (result) => {
      emit({ type: 'finished', result });
      return result;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      emit({ type: 'failed', message });
      throw new Error(message, { cause: error });
    },
  );
  // A caller that only listens to events must not see an unhandled rejection.
  done.catch(() => {});
  return { jobId, onEvent: (listener) => listeners.push(listener), done };
}

interface EngineRun {
  jobId: string;
  size: number;
  images: { A: string[]; B: string[] };
  truth: import('../../shared/compare.ts').CompareJob['truth'];
  inputsDir: string;
  checkpoints: { key: string; dir: string; outDir: string }[];
  onProgress(key: string, done: number, total: number): void;
  onBaselines(baselines: CompareBaselines): Promise<void>;
  onScores(key: string, scores: CheckpointScores): Promise<void>;
}

/** One engine process for the checkpoints not in the cache; settles when it has exited. */
async function runEngine(host: JobContext, job: EngineRun): Promise<void> {
  let recording = Promise.resolve();
  const engine = startEngineSession(host.launch, {
    job: {
      type: 'compare',
      job: {
        jobId: job.jobId,
        size: job.size,
        images: job.images,
        truth: job.truth,
        inputsDir: job.inputsDir,
        checkpoints: job.checkpoints,
        backend: host.forcedBackend,
      },
    },
    isEnd: (event) => event.type === 'compare-finished',
    onEvent: (event) => {
      // Cache files are written in the order the engine scored them, each after the one before.
      if (event.type === 'compare-progress') job.onProgress(event.key, event.done, event.total);
      else if (event.type === 'compare-baselines') recording = recording.then(() => job.onBaselines(event.baselines));
      else if (event.type === 'compare-checkpoint')
        recording = recording.then(() => job.onScores(event.key, event.scores));
    },
  });
  const { ended, error } = await engine.exited;
  await recording;
  if (!ended) throw new Error(error ?? 'The compare engine stopped without a word.');
}
