// CoGAN's coupled discriminators in DCGAN form: each domain has its own first layers (the
// low-level features of how that domain looks), the last layers, up to the real/fake logit, are
// one set of weights (Liu & Tuzel 2016). Every layer but the last halves the side (k 4, stride 2,
// padding 1, LeakyReLU 0.2); the last turns the 4×4 map into one logit (k 4, no padding).
// Batch norm (without affine parameters) after every conv but the first and the last, as DCGAN's
// discriminator: its batch statistics let D see a collapsed batch of fakes as one, which is what
// keeps the generators from collapsing early. WGAN-GP's penalty is per sample, which batch norm
// breaks (Gulrajani et al.), so its critic gets no normalisation.
//
// Its ε is the reference CoGAN's (PyTorch-GAN cogan.py: BatchNorm2d(n, 0.8), where 0.8 lands on eps,
// PyTorch-GAN issue #116), not the usual 1e-5, and that is what lets the generators learn contrast.
// Real and fake batches are normalised apart, and an untrained G draws low-contrast grey: measured on
// the tiny preset, its images' spread is a quarter of the real ones' (pixel std 0.09 against 0.38)
// and the first normalised layer's features 50× less varied. Divided by √(var + 1e-5), every batch
// comes out at unit spread: D cannot see that the fakes are faint, so G gets no gradient towards
// contrast — with LSGAN it never got any (std still 0.10 at step 120, κ 0.00 in 3 of 3 seeds, D's loss
// → 0.02, previews of colour noise), with the non-saturating loss it found it late (κ ≈ 0 before step
// 120). With ε = 0.8, far above those variances (1e-3 to 1e-1 over a run), the layer centres each
// batch and leaves its spread visible: G's std reaches 0.29 and κ 0.92 by step 120, both objectives.
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, type Layer, leakyRelu, sequence } from '../nn/layers.ts';
import { createParamStore, type ParamStore, seedStream } from '../nn/params.ts';
import type { Domain } from './coupled-generator.ts';

export interface CoupledDiscriminatorOptions {
  imageSize: 32 | 64 | 128;
  ndf: number;
  /** The last `shared` layers are one set of weights; the first ones exist once per domain. */
  shared: number;
  /** 'batch' (the default) or 'none' (WGAN-GP's critic). */
  norm?: 'batch' | 'none';
  seed: number;
}

/** The reference CoGAN discriminator's batch-norm ε (see above): a centring that keeps the batch's spread. */
export const BATCH_NORM_EPSILON = 0.8;

/** Normalises each channel over the batch and the image (training-mode batch norm, no affine), ε 0.8. */
export const batchNorm: Layer = (x) =>
  tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON))) as tf.Tensor4D;
  });

export interface CoupledDiscriminators {
  /** Parameter stores: D_A and D_B (the stems), D_shared (the tail). */
  stores: { D_A: ParamStore; D_B: ParamStore; D_shared: ParamStore };
  /** [N, S, S, 3] → logits [N, 1, 1, 1]. */
  judge(x: tf.Tensor4D, domain: Domain): tf.Tensor4D;
}

/** Output channels of discriminator layer i of `layers` (the last is the logit). */
export function discriminatorChannels(layers: number, ndf: number): number[] {
  return Array.from({ length: layers }, (_, i) => (i === layers - 1 ? 1 : ndf * 2 ** i));
}

export function coupledDiscriminators(options: CoupledDiscriminatorOptions): CoupledDiscriminators {
  const layers = Math.round(Math.log2(options.imageSize)) - 1;
  if (options.shared < 0 || options.shared > layers - 1)
    throw new Error(
      `a ${options.imageSize} px coupled discriminator shares 0 to ${layers - 1} layers, not ${options.shared}`,
    );
  const channels = discriminatorChannels(layers, options.ndf);
  const stores = {
    D_A: createParamStore('D_A'),
    D_B: createParamStore('D_B'),
    D_shared: createParamStore('D_shared'),
  };
  const seeds = {
    D_A: seedStream(options.seed * 3 + 1),
    D_B: seedStream(options.seed * 3 + 2),
    D_shared: seedStream(options.seed * 3 + 3),
  };
  const build = (key: keyof typeof stores, i: number): Layer => {
    const init = { std: 0.02, nextSeed: seeds[key] };
    const cin = i === 0 ? 3 : (channels[i - 1] as number);
    const cout = channels[i] as number;
    if (i === layers - 1) return conv2d(stores[key], `layer${i}`, init, 4, cin, cout, 1, 0);
    const conv = conv2d(stores[key], `layer${i}`, init, 4, cin, cout, 2, 1);
    if (i === 0 || options.norm === 'none') return sequence(conv, leakyRelu);
    return sequence(conv, batchNorm, leakyRelu);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => from + j);
  const stemLayers = layers - options.shared;
  const stems = {
    A: sequence(...range(0, stemLayers).map((i) => build('D_A', i))),
    B: sequence(...range(0, stemLayers).map((i) => build('D_B', i))),
  };
  const tail = sequence(...range(stemLayers, layers).map((i) => build('D_shared', i)));
  return {
    stores,
    judge: (x, domain) => {
      if (x.shape[1] !== options.imageSize || x.shape[2] !== options.imageSize)
        throw new Error(`the discriminators judge ${options.imageSize} px images, got ${x.shape[1]}×${x.shape[2]}`);
      return tail(stems[domain](x));
    },
  };
}
