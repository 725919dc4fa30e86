// A CycleGAN checkpoint as a Translator: only its two generators are built and read (no
// discriminators, optimizers or image pools), so converting costs a fraction of resuming.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { CheckpointManifest } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import { CycleGanConfig, generatorSizeMultiple } from '../../shared/run-config.ts';
import { loadCheckpointInto } from '../checkpoint/index.ts';
import { generatorsForConfig } from '../cyclegan/networks.ts';
import { disposeParams } from '../nn/params.ts';
import { type NormStatistics, recordNormStatistics, replayNormStatistics } from './norm-statistics.ts';
import { checkTranslatable, type Translator } from './translator.ts';

/** The config fields that decide the generators; the rest may have changed across versions. */
const GeneratorFields = z.object({
  netG: CycleGanConfig.shape.netG,
  ngf: CycleGanConfig.shape.ngf,
  seed: CycleGanConfig.shape.seed,
});

/** The generator settings of a checkpoint's config, or an error naming the checkpoint. */
function generatorConfig(manifest: CheckpointManifest, dir: string) {
  const parsed = GeneratorFields.safeParse(manifest.config);
  if (!parsed.success)
    throw new Error(
      `checkpoint ${dir} has no usable CycleGAN config (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  return parsed.data;
}

/** Side multiple each generator needs: ResNet downsamples twice, U-Net down to 1×1. */
export function sizeMultipleOf(netG: CycleGanConfig['netG']): number {
  return generatorSizeMultiple(netG);
}

/**
 * Smallest side a generator takes. ResNet: its residual blocks reflection-pad by 1 px at a
 * quarter of the size, which needs at least 2 px there (tfjs refuses a padding ≥ the side), so 8;
 * the first layer's 3-px reflection needs 4. U-Net pads with zeros: its multiple is enough.
 */
export function minimumSideOf(netG: CycleGanConfig['netG']): number {
  return netG.startsWith('unet') ? sizeMultipleOf(netG) : 8;
}

/**
 * Peak working memory per input pixel of one generator pass, measured with tf.profile on the cpu
 * backend (every intermediate lives until the pass ends): ResNet ~150 bytes per pixel per ngf
 * (9 KB at ngf 64), U-Net ~21. Rounded up for the backends' own scratch (wasm's im2col buffers).
 */
export function workingBytesPerPixel(netG: CycleGanConfig['netG'], ngf: number): number {
  return (netG.startsWith('unet') ? 32 : 192) * ngf;
}

export async function loadCycleGanTranslator(dir: string, manifest: CheckpointManifest): Promise<Translator> {
  const config = generatorConfig(manifest, dir);
  const nets = generatorsForConfig(config);
  try {
    await loadCheckpointInto(
      dir,
      { networks: { G_A: nets.G_A.params, G_B: nets.G_B.params }, optimizers: {} },
      { pools: false },
    );
  } catch (error) {
    disposeParams(nets.G_A.params);
    disposeParams(nets.G_B.params);
    throw error;
  }
  const sizeMultiple = sizeMultipleOf(config.netG);
  let disposed = false;
  return {
    model: 'cyclegan',
    step: manifest.step,
    config: manifest.config,
    sizeMultiple,
    minimumSide: minimumSideOf(config.netG),
    tileable: true,
    workingBytesPerPixel: workingBytesPerPixel(config.netG, config.ngf),
    async translate(image: tf.Tensor4D, direction: Direction, statistics?: NormStatistics) {
      if (disposed) throw new Error('this translator has been disposed');
      checkTranslatable(image, sizeMultiple);
      const net = direction === 'AtoB' ? nets.G_A : nets.G_B;
      if (statistics) return replayNormStatistics(statistics, () => net.apply(image));
      return tf.tidy(() => net.apply(image));
    },
    async captureNormStatistics(image: tf.Tensor4D, direction: Direction) {
      if (disposed) throw new Error('this translator has been disposed');
      checkTranslatable(image, sizeMultiple);
      const net = direction === 'AtoB' ? nets.G_A : nets.G_B;
      return recordNormStatistics(() => net.apply(image));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeParams(nets.G_A.params);
      disposeParams(nets.G_B.params);
    },
  };
}
