// A CUT checkpoint as a Translator: its generator G alone is built and read (no D, no F, no
// optimizers), and it translates A → B only — CUT trains no B → A generator, and the refusal says so
// in words. G is CycleGAN's ResNet generator, so sizes, tiling and working memory are CycleGAN's
// (inference/cyclegan-translator.ts) and a translation is the same code path: G.apply, with the norm
// statistics replayed for tiles.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import { directionProblem } from '../../shared/models.ts';
import { CutConfig } from '../../shared/run-config.ts';
import { loadCheckpointInto } from '../checkpoint/index.ts';
import { minimumSideOf, sizeMultipleOf, workingBytesPerPixel } from '../inference/cyclegan-translator.ts';
import { type NormStatistics, recordNormStatistics, replayNormStatistics } from '../inference/norm-statistics.ts';
import { checkTranslatable, type Translator } from '../inference/translator.ts';
import { disposeParams } from '../nn/params.ts';
import { cutGeneratorForConfig } from './networks.ts';

/** The config fields that decide the generator; the rest may have changed across versions. */
const GeneratorFields = z.object({
  netG: CutConfig.shape.netG,
  ngf: CutConfig.shape.ngf,
  seed: CutConfig.shape.seed,
});

function generatorConfig(manifest: CheckpointManifest, dir: string) {
  const parsed = GeneratorFields.safeParse(manifest.config);
  if (!parsed.success)
    throw new Error(
      `checkpoint ${dir} has no usable CUT config (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  return parsed.data;
}

/** Throws, in words, for a direction CUT does not translate. */
function checkDirection(direction: Direction): void {
  const problem = directionProblem('cut', direction);
  if (problem) throw new Error(problem);
}

export async function loadCutTranslator(dir: string, manifest: CheckpointManifest): Promise<Translator> {
  const config = generatorConfig(manifest, dir);
  const G = cutGeneratorForConfig(config);
  try {
    await loadCheckpointInto(dir, { networks: { G: G.params }, optimizers: {} }, { pools: false });
  } catch (error) {
    disposeParams(G.params);
    throw error;
  }
  const sizeMultiple = sizeMultipleOf(config.netG);
  let disposed = false;
  const ready = (image: tf.Tensor4D, direction: Direction) => {
    if (disposed) throw new Error('this translator has been disposed');
    checkDirection(direction);
    checkTranslatable(image, sizeMultiple);
  };
  return {
    model: 'cut',
    step: manifest.step,
    config: manifest.config,
    sizeMultiple,
    minimumSide: minimumSideOf(config.netG),
    tileable: true,
    workingBytesPerPixel: workingBytesPerPixel(config.netG, config.ngf),
    async translate(image: tf.Tensor4D, direction: Direction, statistics?: NormStatistics) {
      ready(image, direction);
      if (statistics) return replayNormStatistics(statistics, () => G.apply(image));
      return tf.tidy(() => G.apply(image));
    },
    async captureNormStatistics(image: tf.Tensor4D, direction: Direction) {
      ready(image, direction);
      return recordNormStatistics(() => G.apply(image));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeParams(G.params);
    },
  };
}
