// CoGAN's coupled generators (Liu & Tuzel 2016) in DCGAN form (Radford et al. 2016): one latent
// code z goes through a trunk of transposed convolutions whose weights both domains share (the
// high-level structure of a scene), then through per-domain heads (how each domain renders it),
// ending in tanh. The first layer projects z to 4×4 (PyTorch DCGAN's ConvTranspose2d(nz, C, 4, 1, 0),
// written as the matrix product it is); each later layer doubles the side (k 4, stride 2, padding 1).
//
// Normalisation is pixel-wise feature normalisation (Karras et al. 2018), not the papers' batch norm:
// batch norm makes G(z) depend on the other codes of the batch and needs running statistics at
// inference, while latent inversion and the fixed previews need G(z) to be a function of z alone.
import * as tf from '@tensorflow/tfjs-core';
import { convTranspose2d, type InitOptions, type Layer, relu, sequence, tanh } from '../nn/layers.ts';
import { createParamStore, normalParam, type ParamStore, seedStream, zerosParam } from '../nn/params.ts';

export type Domain = 'A' | 'B';

export interface CoupledGeneratorOptions {
  imageSize: 32 | 64 | 128;
  zDim: number;
  ngf: number;
  /** The first `shared` layers are one set of weights; the rest exist once per domain. */
  shared: number;
  seed: number;
}

export interface CoupledGenerators {
  /** Parameter stores: G_shared (the trunk), G_A and G_B (the heads). */
  stores: { G_shared: ParamStore; G_A: ParamStore; G_B: ParamStore };
  /** [N, zDim] → [N, S, S, 3] in [−1, 1]. */
  generate(z: tf.Tensor2D, domain: Domain): tf.Tensor4D;
  /** Both domains' images of the same codes, the trunk computed once. */
  generateBoth(z: tf.Tensor2D): { a: tf.Tensor4D; b: tf.Tensor4D };
  readonly zDim: number;
  readonly imageSize: number;
}

/** Output channels of generator layer i of `layers` (the last one is RGB). */
export function generatorChannels(layers: number, ngf: number): number[] {
  return Array.from({ length: layers }, (_, i) => (i === layers - 1 ? 3 : ngf * 2 ** (layers - 2 - i)));
}

/** x / √(mean over channels of x² + ε): every pixel's feature vector at unit length. */
export const pixelNorm: Layer = (x) =>
  tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), 3, true), 1e-8))) as tf.Tensor4D);

/** z as [N, 1, 1, zDim] → [N, 4, 4, cout]: a dense layer with one bias per channel. */
function projection(store: ParamStore, key: string, init: InitOptions, zDim: number, cout: number): Layer {
  const weight = normalParam(store, `${key}/kernel`, [zDim, 16 * cout], init.std, init.nextSeed());
  const bias = zerosParam(store, `${key}/bias`, [cout]);
  return (x) => {
    const n = x.shape[0];
    const flat = tf.matMul(tf.reshape(x, [n, zDim]), weight as tf.Tensor2D);
    return tf.add(tf.reshape(flat, [n, 4, 4, cout]), bias);
  };
}

export function coupledGenerators(options: CoupledGeneratorOptions): CoupledGenerators {
  const layers = Math.round(Math.log2(options.imageSize)) - 1;
  if (options.shared < 0 || options.shared > layers - 1)
    throw new Error(
      `a ${options.imageSize} px coupled generator shares 0 to ${layers - 1} layers, not ${options.shared}`,
    );
  const channels = generatorChannels(layers, options.ngf);
  const stores = {
    G_shared: createParamStore('G_shared'),
    G_A: createParamStore('G_A'),
    G_B: createParamStore('G_B'),
  };
  const seeds = {
    G_shared: seedStream(options.seed * 3 + 1),
    G_A: seedStream(options.seed * 3 + 2),
    G_B: seedStream(options.seed * 3 + 3),
  };
  const build = (key: keyof typeof stores, i: number): Layer => {
    const init = { std: 0.02, nextSeed: seeds[key] };
    const cout = channels[i] as number;
    const linear =
      i === 0
        ? projection(stores[key], `layer${i}`, init, options.zDim, cout)
        : convTranspose2d(stores[key], `layer${i}`, init, 4, channels[i - 1] as number, cout, 1, 0);
    return i === layers - 1 ? sequence(linear, tanh) : sequence(linear, pixelNorm, relu);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => from + j);
  const trunk = sequence(...range(0, options.shared).map((i) => build('G_shared', i)));
  const heads = {
    A: sequence(...range(options.shared, layers).map((i) => build('G_A', i))),
    B: sequence(...range(options.shared, layers).map((i) => build('G_B', i))),
  };
  const asInput = (z: tf.Tensor2D): tf.Tensor4D => {
    if (z.rank !== 2 || z.shape[1] !== options.zDim)
      throw new Error(`latent codes must be [N, ${options.zDim}], got [${z.shape.join(', ')}]`);
    return tf.reshape(z, [z.shape[0], 1, 1, options.zDim]);
  };
  return {
    stores,
    zDim: options.zDim,
    imageSize: options.imageSize,
    generate: (z, domain) => tf.tidy(() => heads[domain](trunk(asInput(z)))),
    generateBoth: (z) =>
      tf.tidy(() => {
        const features = trunk(asInput(z));
        return { a: heads.A(features), b: heads.B(features) };
      }),
  };
}
