// Opens any checkpoint folder as a Translator, choosing the implementation by the model its
// manifest names. Other models (CoGAN) plug in with registerTranslatorLoader, so this file need
// not know them.
import path from 'node:path';
import {
  type CheckpointManifest,
  type CheckpointModel,
  readCheckpointManifest,
} from '../../node/checkpoint/manifest.ts';
import { loadCycleGanTranslator } from './cyclegan-translator.ts';
import type { Translator } from './translator.ts';

/** How a translator that searches per image (a CoGAN) searches; others ignore it. */
export interface TranslatorOptions {
  /** Latent inversion steps per image. */
  inversionSteps?: number | undefined;
}

export type TranslatorLoader = (
  dir: string,
  manifest: CheckpointManifest,
  options?: TranslatorOptions,
) => Promise<Translator>;

const loaders = new Map<CheckpointModel, TranslatorLoader>([['cyclegan', loadCycleGanTranslator]]);

export function registerTranslatorLoader(model: CheckpointModel, loader: TranslatorLoader): void {
  loaders.set(model, loader);
}

/** The checkpoint in `checkpointDir` as a Translator (its weights only: no optimizer, no pool). */
export async function loadTranslator(checkpointDir: string, options: TranslatorOptions = {}): Promise<Translator> {
  const dir = path.resolve(checkpointDir);
  const manifest = await readCheckpointManifest(dir);
  const loader = loaders.get(manifest.model);
  if (!loader)
    throw new Error(
      `checkpoint ${dir} is a ${manifest.model} checkpoint, which this version cannot translate with yet`,
    );
  return loader(dir, manifest, options);
}
