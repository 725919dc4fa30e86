// Finds the ground truth of a run's A images: a `truth` folder beside the A folder holding, under
// the same file names, each A image as domain B shows it (what `diptych samples` writes; paired
// data laid out so works too). Only files present in both count; none found means no truth.
import fs from 'node:fs/promises';
import path from 'node:path';
import { TRUTH_MAX_IMAGES, type TruthFiles } from '../../shared/truth.ts';

export async function findTruthFiles(filesA: readonly string[]): Promise<TruthFiles | null> {
  const first = filesA[0];
  if (first === undefined) return null;
  const folderA = path.dirname(first);
  const truthFolder = path.join(path.dirname(folderA), 'truth');
  if (path.resolve(truthFolder) === path.resolve(folderA)) return null;
  let names: Set<string>;
  try {
    names = new Set(await fs.readdir(truthFolder));
  } catch {
    return null;
  }
  const a: string[] = [];
  const truth: string[] = [];
  for (const file of filesA) {
    const name = path.basename(file);
    if (!names.has(name)) continue;
    a.push(file);
    truth.push(path.join(truthFolder, name));
    if (a.length === TRUTH_MAX_IMAGES) break;
  }
  return a.length > 0 ? { a, truth } : null;
}
