// Recognises the bundled sample domains (`diptych samples`: DIR/A, DIR/B, DIR/truth, files named
// <kind>-<index>.png) so a CoGAN run on them measures its agreement without being told the
// relation. Any other pair of folders has no known relation ('none').
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DomainRelation } from '../../shared/run-config.ts';

const SAMPLE_FILE = /^(negative|palette|stripes)-\d+\.png$/;

async function kindOf(folder: string): Promise<string | null> {
  let names: string[];
  try {
    names = (await fs.readdir(folder)).filter((name) => !name.startsWith('.'));
  } catch {
    return null;
  }
  const kinds = new Set(names.map((name) => SAMPLE_FILE.exec(name)?.[1] ?? null));
  if (kinds.size !== 1) return null;
  return [...kinds][0] ?? null;
}

export async function sampleRelationOf(dataA: string, dataB: string): Promise<DomainRelation> {
  const a = path.resolve(dataA);
  const b = path.resolve(dataB);
  if (path.basename(a) !== 'A' || path.basename(b) !== 'B' || path.dirname(a) !== path.dirname(b)) return 'none';
  const truth = await fs.stat(path.join(path.dirname(a), 'truth')).catch(() => null);
  if (!truth?.isDirectory()) return 'none';
  const [kindA, kindB] = await Promise.all([kindOf(a), kindOf(b)]);
  if (kindA !== kindB) return 'none';
  return kindA === 'negative' || kindA === 'palette' ? kindA : 'none';
}

/**
 * For one folder (a dataset preview): the relation of the sample set it belongs to, when it is a
 * sample domain folder (A or B beside truth/, every image of one kind with a known relation).
 * Two folders with the same answer, A and B of one set, are what sampleRelationOf recognises.
 */
export async function sampleRelationOfFolder(folder: string): Promise<'negative' | 'palette' | null> {
  const resolved = path.resolve(folder);
  const side = path.basename(resolved);
  if (side !== 'A' && side !== 'B') return null;
  const truth = await fs.stat(path.join(path.dirname(resolved), 'truth')).catch(() => null);
  if (!truth?.isDirectory()) return null;
  const kind = await kindOf(resolved);
  return kind === 'negative' || kind === 'palette' ? kind : null;
}

/** The relation a CoGAN run measures: the one given, else the sample domains' own. */
export async function relationFor(dataA: string, dataB: string, given: unknown): Promise<DomainRelation> {
  if (given === 'none' || given === 'negative' || given === 'palette') return given;
  return sampleRelationOf(dataA, dataB);
}
