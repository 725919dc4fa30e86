// Where a comparison's results live, so that comparing the same checkpoint on the same image set
// again reads them instead of running the networks:
//   <workspace>/compare/<image set>/inputs/{A,B}/<i>.png (and <i>-truth.png), baselines.json
//   <run>/compare/<step>-<checkpoint tag>/<image set>/{A,B}/<i>-{translated,reconstructed}.png, scores.json
// (a one-way checkpoint, CUT, has A/<i>-translated.png only).
// The checkpoint tag hashes the manifest's save time and size, so a checkpoint re-written at the
// same step (a run resumed from an earlier one) is a different entry. The baselines depend on the
// image set alone, so they sit beside its input tiles; a set cached before they existed has no
// baselines.json, and the host has them computed then (its checkpoints' entries stay valid). scores.json is written last,
// after every tile: a folder without it is an unfinished entry and is computed again. A run's
// entries go with the run's folder when the run is deleted.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../node/atomic.ts';
import {
  type CheckpointScores,
  CheckpointScores as CheckpointScoresSchema,
  type CompareBaselines,
  CompareBaselines as CompareBaselinesSchema,
} from '../../shared/compare.ts';
import type { Workspace } from '../workspace.ts';

export const SCORES_FILE = 'scores.json';
export const BASELINES_FILE = 'baselines.json';

export function imageSetDir(workspace: Workspace, fingerprint: string): string {
  return path.join(workspace.root, 'compare', fingerprint);
}

export function inputsDir(workspace: Workspace, fingerprint: string): string {
  return path.join(imageSetDir(workspace, fingerprint), 'inputs');
}

/** Identifies one saved state of a checkpoint folder. */
export function checkpointTag(manifest: { savedAt: string; weightsBytes: number; step: number }): string {
  return createHash('sha256')
    .update(`${manifest.step}\0${manifest.savedAt}\0${manifest.weightsBytes}`)
    .digest('hex')
    .slice(0, 10);
}

export function entryDir(runDir: string, step: number, tag: string, fingerprint: string): string {
  return path.join(runDir, 'compare', `${step}-${tag}`, fingerprint);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The cached scores of an entry, or null when there are none (or they or their tiles are incomplete). */
export async function readCachedScores(dir: string): Promise<CheckpointScores | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, SCORES_FILE), 'utf8');
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof CheckpointScoresSchema.safeParse>;
  try {
    parsed = CheckpointScoresSchema.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  // A one-way checkpoint (CUT) has no B → A and no reconstructions: only the tiles it has are checked.
  const tiles = [parsed.data.AtoB, parsed.data.BtoA].flatMap((d) => (d ? [...d.translated, ...d.reconstructed] : []));
  for (const tile of tiles) if (!(await exists(tile))) return null;
  return parsed.data;
}

export async function writeCachedScores(dir: string, scores: CheckpointScores): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, SCORES_FILE), `${JSON.stringify(scores, null, 1)}\n`);
}

/** The input tiles of an image set (and truth tiles where known); null when any is missing. */
export async function inputTiles(
  dir: string,
  counts: { A: number; B: number },
  truth: { A: boolean; B: boolean },
): Promise<{ inputs: { A: string[]; B: string[] }; truth: { A: string[] | null; B: string[] | null } } | null> {
  const list = (domain: 'A' | 'B', suffix: string) =>
    Array.from({ length: counts[domain] }, (_, i) => path.join(dir, domain, `${i}${suffix}.png`));
  const result = {
    inputs: { A: list('A', ''), B: list('B', '') },
    truth: { A: truth.A ? list('A', '-truth') : null, B: truth.B ? list('B', '-truth') : null },
  };
  const all = [...result.inputs.A, ...result.inputs.B, ...(result.truth.A ?? []), ...(result.truth.B ?? [])];
  for (const file of all) if (!(await exists(file))) return null;
  return result;
}

/**
 * The cached baselines of an image set, or null when there are none, they do not parse, or they
 * disagree with the set on which directions have a ground truth.
 */
export async function readCachedBaselines(
  dir: string,
  truth: { AtoB: boolean; BtoA: boolean },
): Promise<CompareBaselines | null> {
  let parsed: ReturnType<typeof CompareBaselinesSchema.safeParse>;
  try {
    parsed = CompareBaselinesSchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, BASELINES_FILE), 'utf8')));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const { AtoB, BtoA } = parsed.data;
  return (AtoB !== null) === truth.AtoB && (BtoA !== null) === truth.BtoA ? parsed.data : null;
}

export async function writeCachedBaselines(dir: string, baselines: CompareBaselines): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, BASELINES_FILE), `${JSON.stringify(baselines, null, 1)}\n`);
}
