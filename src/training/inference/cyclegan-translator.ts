// A CycleGAN checkpoint as a Translator: only its two generators are built and read (no
// discriminators, optimizers or image pools), so converting costs a fraction of resuming. G_A
// translates A → B, G_B B → A; generator-translator.ts does the rest on either engine.
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { generatorsForConfig } from '../cyclegan/networks.ts';
import { generatorConfigOf, readGenerators } from './generator-checkpoint.ts';
import { generatorTranslator } from './generator-translator.ts';
import type { Translator, TranslatorOptions } from './translator.ts';

export async function loadCycleGanTranslator(
  dir: string,
  manifest: CheckpointManifest,
  options: TranslatorOptions = {},
): Promise<Translator> {
  const generator = generatorConfigOf(manifest, dir);
  const nets = generatorsForConfig(generator);
  await readGenerators(dir, { G_A: nets.G_A, G_B: nets.G_B });
  return generatorTranslator(
    { model: 'cyclegan', manifest, generator, generators: { AtoB: nets.G_A, BtoA: nets.G_B } },
    options,
  );
}
