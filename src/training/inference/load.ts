// Opens any checkpoint folder as a Translator, with the loader of the model its manifest names
// (the model registry, src/training/models/registry.ts): this file knows no model itself.
import path from 'node:path';
import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { findModelDefinition } from '../models/registry.ts';
import type { Translator, TranslatorOptions } from './translator.ts';

export type { TranslatorOptions } from './translator.ts';

/** The checkpoint in `checkpointDir` as a Translator (its weights only: no optimizer, no pool). */
export async function loadTranslator(checkpointDir: string, options: TranslatorOptions = {}): Promise<Translator> {
  const dir = path.resolve(checkpointDir);
  const manifest = await readCheckpointManifest(dir);
  const definition = findModelDefinition(manifest.model);
  if (!definition)
    throw new Error(
      `checkpoint ${dir} is a ${manifest.model} checkpoint, which this version cannot translate with yet`,
    );
  return definition.loadTranslator(dir, manifest, options);
}
