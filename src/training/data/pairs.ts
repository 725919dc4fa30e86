// The unpaired sampler of the reference's unaligned dataset, with read-ahead: an epoch is
// max(|A|, |B|) samples, A is taken in order and B at random. Sample k is a pure function of
// (seed, k): its B index, crops and flips come from generators keyed by (seed, k, purpose), so
// a stream opened at startIndex k yields exactly what an uninterrupted one yielded at k, which
// is what makes resumed training identical to uninterrupted training.
import { ImageDomain } from './domain.ts';
import { type ImageData32, loadTrainingImage } from './load-image.ts';
import { prefetch } from './prefetch.ts';
import { type Preprocess, validatePreprocess } from './preprocess.ts';
import { keyedRandom } from './random.ts';

export interface UnpairedSample {
  a: ImageData32;
  b: ImageData32;
  fileA: string;
  fileB: string;
  sampleIndex: number;
  epoch: number;
}

export interface UnpairedStreamOptions {
  filesA: string[];
  filesB: string[];
  preprocess: Preprocess;
  seed: number;
  /** Index of the first sample to produce (exact resume: the sample sequence is a pure function of seed and index). */
  startIndex: number;
  depth?: number; // prefetch depth, default 4
  onSkip?: (file: string, reason: string) => void;
  /** The folders, for error messages; by default the files' common parent folder. */
  folderA?: string;
  folderB?: string;
}

export interface UnpairedStream {
  next(): Promise<UnpairedSample>;
  readonly epochLength: number;
  /** Distinct files skipped so far because they could not be read. */
  readonly skipped: number;
  /** Samples decoded ahead and waiting (at most depth): how far the read-ahead is ahead. */
  readonly ready: number;
  close(): void;
}

export const DEFAULT_PREFETCH_DEPTH = 4;

/** Separate keyed streams per purpose, so one choice never shifts another's draws. */
const PURPOSE = { bIndex: 1, cropA: 2, cropB: 3 } as const;

export async function openUnpairedStream(options: UnpairedStreamOptions): Promise<UnpairedStream> {
  const { preprocess, seed, startIndex } = options;
  const depth = options.depth ?? DEFAULT_PREFETCH_DEPTH;
  validatePreprocess(preprocess);
  if (!Number.isSafeInteger(seed)) throw new Error(`The data seed must be a whole number, not ${seed}.`);
  if (!Number.isSafeInteger(startIndex) || startIndex < 0) {
    throw new Error(`The first sample index must be a whole number ≥ 0, not ${startIndex}.`);
  }
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`The prefetch depth must be a whole number ≥ 1, not ${depth}.`);

  const skippedFiles = new Set<string>();
  const report = (file: string, reason: string): void => {
    if (skippedFiles.has(file)) return;
    skippedFiles.add(file);
    options.onSkip?.(file, reason);
  };
  const loader = (file: string, random: () => number) => loadTrainingImage(file, preprocess, random);
  const domainA = new ImageDomain('A', options.filesA, loader, report, options.folderA);
  const domainB = new ImageDomain('B', options.filesB, loader, report, options.folderB);
  await domainA.validate();
  await domainB.validate();

  const countA = options.filesA.length;
  const countB = options.filesB.length;
  const epochLength = Math.max(countA, countB);

  const produce = async (k: number): Promise<UnpairedSample> => {
    const bIndex = Math.floor(keyedRandom(seed, k, PURPOSE.bIndex)() * countB);
    const [a, b] = await Promise.all([
      domainA.load(k % countA, () => keyedRandom(seed, k, PURPOSE.cropA)),
      domainB.load(bIndex, () => keyedRandom(seed, k, PURPOSE.cropB)),
    ]);
    return { a: a.image, b: b.image, fileA: a.file, fileB: b.file, sampleIndex: k, epoch: Math.floor(k / epochLength) };
  };
  const queue = prefetch(produce, startIndex, depth);

  return {
    next: () => queue.next(),
    epochLength,
    get skipped() {
      return skippedFiles.size;
    },
    get ready() {
      return queue.ready;
    },
    close: () => queue.close(),
  };
}
