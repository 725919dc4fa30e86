// A checkpoint whose translation is one pass of a generator (CycleGAN: G_A for A → B and G_B for
// B → A; CUT: G for A → B), read: its generator settings, sizes and networks by direction, whichever
// engine then runs them (generator-translator.ts: TensorFlow.js; onnx-translator.ts: ONNX Runtime).
import { z } from 'zod';
import type { CheckpointManifest, CheckpointModel } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import { directionProblem } from '../../shared/models.ts';
import { CycleGanConfig, generatorSizeMultiple } from '../../shared/run-config.ts';
import { loadCheckpointInto } from '../checkpoint/index.ts';
import type { Network } from '../models/network.ts';
import { disposeParams, type ParamStore } from '../nn/params.ts';

/** The config fields that decide a generator (CycleGAN's and CUT's alike); the rest may have changed across versions. */
export const GeneratorFields = z.object({
  netG: CycleGanConfig.shape.netG,
  ngf: CycleGanConfig.shape.ngf,
  seed: CycleGanConfig.shape.seed,
  cropSize: CycleGanConfig.shape.cropSize.optional(),
});
export type GeneratorFields = z.infer<typeof GeneratorFields>;

/** The generator settings of a checkpoint's config, or an error naming the checkpoint. */
export function generatorConfigOf(manifest: CheckpointManifest, dir: string): GeneratorFields {
  const parsed = GeneratorFields.safeParse(manifest.config);
  if (!parsed.success)
    throw new Error(
      `checkpoint ${dir} has no usable ${manifest.model} generator config (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  return parsed.data;
}

/** Side multiple each generator needs: ResNet downsamples twice, U-Net down to 1×1. */
export function sizeMultipleOf(netG: GeneratorFields['netG']): number {
  return generatorSizeMultiple(netG);
}

/**
 * Smallest side a generator takes. ResNet: its residual blocks reflection-pad by 1 px at a
 * quarter of the size, which needs at least 2 px there (tfjs refuses a padding ≥ the side), so 8;
 * the first layer's 3-px reflection needs 4. U-Net pads with zeros: its multiple is enough.
 */
export function minimumSideOf(netG: GeneratorFields['netG']): number {
  return netG.startsWith('unet') ? sizeMultipleOf(netG) : 8;
}

/**
 * Peak working memory per input pixel of one TensorFlow.js generator pass, measured with tf.profile
 * on the cpu backend (every intermediate lives until the pass ends): ResNet ~150 bytes per pixel per
 * ngf (9 KB at ngf 64), U-Net ~21. Rounded up for the backends' own scratch (wasm's im2col buffers).
 */
export function workingBytesPerPixel(netG: GeneratorFields['netG'], ngf: number): number {
  return (netG.startsWith('unet') ? 32 : 192) * ngf;
}

/** A checkpoint's generators, read, keyed by the direction each translates. */
export interface GeneratorCheckpoint {
  model: CheckpointModel;
  manifest: CheckpointManifest;
  generator: GeneratorFields;
  generators: Partial<Record<Direction, Network>>;
}

/** Reads the checkpoint's weights into `networks` (checkpoint keys such as G_A); frees them all on failure. */
export async function readGenerators(dir: string, networks: Record<string, Network>): Promise<void> {
  const stores: Record<string, ParamStore> = Object.fromEntries(
    Object.entries(networks).map(([key, network]) => [key, network.params]),
  );
  try {
    await loadCheckpointInto(dir, { networks: stores, optimizers: {} }, { pools: false });
  } catch (error) {
    for (const store of Object.values(stores)) disposeParams(store);
    throw error;
  }
}

/** The facts every generator translator shares, whichever engine runs it. */
export function generatorFacts(checkpoint: GeneratorCheckpoint) {
  const { netG, ngf } = checkpoint.generator;
  return {
    model: checkpoint.model,
    step: checkpoint.manifest.step,
    config: checkpoint.manifest.config,
    sizeMultiple: sizeMultipleOf(netG),
    minimumSide: minimumSideOf(netG),
    tileable: true,
    workingBytesPerPixel: workingBytesPerPixel(netG, ngf),
  } as const;
}

/** The generator that translates `direction`, or an error in words (a one-way model's B → A). */
export function generatorFor(checkpoint: GeneratorCheckpoint, direction: Direction): Network {
  const problem = directionProblem(checkpoint.model, direction);
  if (problem) throw new Error(problem);
  const network = checkpoint.generators[direction];
  if (!network) throw new Error(`this ${checkpoint.model} checkpoint has no generator for ${direction}`);
  return network;
}

export function disposeGenerators(checkpoint: GeneratorCheckpoint): void {
  for (const network of Object.values(checkpoint.generators)) if (network) disposeParams(network.params);
}
