// The held-out images a comparison runs on: a deterministic, evenly spread sample of N readable
// images from each domain's folder, their ground truth where one is known, and a fingerprint of
// all of it (names, file contents, size, truth), which keys the cache: the same folders give the
// same sample and the same fingerprint, and any changed, added or removed image changes it.
//
// Ground truth (docs/COMPARE.md): a folder of A's ground truth holding the same file names (given,
// or the `truth/` folder beside a sample set's `A/`), and for the sample kinds whose relation is a
// per-pixel map (`negative`, `palette`, named in the files as `diptych samples` writes them, or
// given) the relation itself, which gives the truth of either direction.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type KnownRelation, KnownRelation as KnownRelationSchema, type TruthSource } from '../../shared/compare.ts';
import { scanDataset } from '../datasets/scan.ts';

export const FINGERPRINT_VERSION = 1;

export interface ImageSetRequest {
  a: string;
  b: string;
  count: number;
  size: number;
  /** A folder of domain A's ground truth (same relative names as in `a`). */
  truthA?: string | undefined;
  /** The per-pixel relation between the domains, when known. */
  relation?: KnownRelation | undefined;
}

export interface ImageSet {
  fingerprint: string;
  size: number;
  folders: { A: string; B: string };
  /** Absolute paths, in sample order. */
  images: { A: string[]; B: string[] };
  truth: { AtoB: TruthSource | null; BtoA: TruthSource | null };
}

/** `count` names spread evenly over the sorted list (all of them when there are fewer). */
export function spreadSample(names: readonly string[], count: number): string[] {
  const sorted = [...names].sort();
  const n = Math.min(count, sorted.length);
  return Array.from({ length: n }, (_, i) => sorted[Math.floor((i * sorted.length) / n)] as string);
}

async function readableSample(folder: string, role: 'A' | 'B', count: number) {
  const scan = await scanDataset(folder);
  if (scan.images.length === 0)
    throw new Error(`Domain ${role} (${scan.folder}) has no readable images to compare on.`);
  return { folder: scan.folder, names: spreadSample(scan.images, count) };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function truthFiles(folder: string, names: string[], given: boolean): Promise<string[] | null> {
  const files = names.map((name) => path.join(folder, name));
  const missing: string[] = [];
  for (const [i, file] of files.entries()) if (!(await exists(file))) missing.push(names[i] as string);
  if (missing.length === 0) return files;
  if (given)
    throw new Error(
      `The ground-truth folder ${folder} lacks ${missing.length} of the sampled images (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}).`,
    );
  return null;
}

/** The relation a sample set's file names announce (`palette-0003.png`), if every name agrees. */
function relationFromNames(names: string[]): KnownRelation | null {
  for (const relation of KnownRelationSchema.options)
    if (names.every((name) => path.basename(name).startsWith(`${relation}-`))) return relation;
  return null;
}

async function hashFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

export async function prepareImageSet(request: ImageSetRequest): Promise<ImageSet> {
  const [A, B] = await Promise.all([
    readableSample(request.a, 'A', request.count),
    readableSample(request.b, 'B', request.count),
  ]);
  // A sample set is DIR/A, DIR/B, DIR/truth (src/main/samples.ts).
  const sampleTruth = path.join(path.dirname(A.folder), 'truth');
  const isSampleSet = path.basename(A.folder) === 'A' && (await exists(sampleTruth));
  const filesA = request.truthA
    ? await truthFiles(path.resolve(request.truthA), A.names, true)
    : isSampleSet
      ? await truthFiles(sampleTruth, A.names, false)
      : null;
  const relation = request.relation ?? (isSampleSet ? relationFromNames([...A.names, ...B.names]) : null);
  const truth: ImageSet['truth'] = {
    AtoB: filesA ? { kind: 'files', files: filesA } : relation ? { kind: 'relation', relation } : null,
    BtoA: relation ? { kind: 'relation', relation } : null,
  };

  const images = {
    A: A.names.map((name) => path.join(A.folder, name)),
    B: B.names.map((name) => path.join(B.folder, name)),
  };
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: FINGERPRINT_VERSION, size: request.size, relation }));
  for (const [role, names, files] of [
    ['A', A.names, images.A],
    ['B', B.names, images.B],
  ] as const)
    for (const [i, name] of names.entries()) hash.update(`${role}\0${name}\0${await hashFile(files[i] as string)}\n`);
  if (filesA) for (const file of filesA) hash.update(`truth\0${await hashFile(file)}\n`);
  return {
    fingerprint: hash.digest('hex').slice(0, 16),
    size: request.size,
    folders: { A: A.folder, B: B.folder },
    images,
    truth,
  };
}
