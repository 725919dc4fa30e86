// A CUT checkpoint as a Translator: its generator G alone is built and read (no D, no F, no
// optimizers), and it translates A → B only — CUT trains no B → A generator, and the refusal says so
// in words (shared/models.ts). G is CycleGAN's ResNet generator, so sizes, tiling, working memory
// and both engines are the generator translator's (inference/generator-translator.ts).
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { CutConfig } from '../../shared/run-config.ts';
import { generatorConfigOf, readGenerators } from '../inference/generator-checkpoint.ts';
import { generatorTranslator } from '../inference/generator-translator.ts';
import type { Translator, TranslatorOptions } from '../inference/translator.ts';
import { cutGeneratorForConfig } from './networks.ts';

export async function loadCutTranslator(
  dir: string,
  manifest: CheckpointManifest,
  options: TranslatorOptions = {},
): Promise<Translator> {
  const generator = generatorConfigOf(manifest, dir);
  const netG = CutConfig.shape.netG.safeParse(generator.netG);
  if (!netG.success) throw new Error(`checkpoint ${dir} names a generator CUT does not build (${generator.netG})`);
  const G = cutGeneratorForConfig({ ...generator, netG: netG.data });
  await readGenerators(dir, { G });
  return generatorTranslator({ model: 'cut', manifest, generator, generators: { AtoB: G } }, options);
}
