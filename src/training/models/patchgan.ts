// The PatchGAN discriminator of pix2pix/CycleGAN (the reference's NLayerDiscriminator): with
// n_layers = 3 every output logit sees a 70×70 patch. Instance norm (no affine) everywhere but
// the first and last convs; LeakyReLU 0.2; 4×4 kernels, padding 1. `pixelDiscriminator` is the
// reference's 1×1 PixelDiscriminator.
import { conv2d, conv2dInstanceNorm, type Layer, leakyRelu, sequence } from '../nn/layers.ts';
import { createParamStore, seedStream } from '../nn/params.ts';
import type { Network } from './network.ts';

export interface PatchDiscriminatorOptions {
  name: string;
  ndf: number;
  layers: number;
  inChannels?: number;
  seed: number;
  /** The reference's init_type: 'normal' (CycleGAN's, the default) or 'xavier' (CUT's), gain 0.02 either way. */
  init?: 'normal' | 'xavier';
}

export function patchDiscriminator(options: PatchDiscriminatorOptions): Network {
  const { ndf } = options;
  const params = createParamStore(options.name);
  const init = { std: 0.02, nextSeed: seedStream(options.seed), scheme: options.init ?? 'normal' };
  const layers: Layer[] = [conv2d(params, 'conv0', init, 4, options.inChannels ?? 3, ndf, 2, 1), leakyRelu];
  let multiplier = 1;
  for (let n = 1; n < options.layers; n++) {
    const previous = multiplier;
    multiplier = Math.min(2 ** n, 8);
    layers.push(conv2dInstanceNorm(params, `conv${n}`, init, 4, ndf * previous, ndf * multiplier, 2, 1, 'leakyRelu'));
  }
  const previous = multiplier;
  multiplier = Math.min(2 ** options.layers, 8);
  layers.push(
    conv2dInstanceNorm(params, `conv${options.layers}`, init, 4, ndf * previous, ndf * multiplier, 1, 1, 'leakyRelu'),
    conv2d(params, 'logits', init, 4, ndf * multiplier, 1, 1, 1),
  );
  return { params, apply: sequence(...layers) };
}

export function pixelDiscriminator(options: Omit<PatchDiscriminatorOptions, 'layers'>): Network {
  const { ndf } = options;
  const params = createParamStore(options.name);
  const init = { std: 0.02, nextSeed: seedStream(options.seed), scheme: options.init ?? 'normal' };
  return {
    params,
    apply: sequence(
      conv2d(params, 'conv0', init, 1, options.inChannels ?? 3, ndf, 1, 0),
      leakyRelu,
      conv2dInstanceNorm(params, 'conv1', init, 1, ndf, ndf * 2, 1, 0, 'leakyRelu'),
      conv2d(params, 'logits', init, 1, ndf * 2, 1, 1, 0),
    ),
  };
}
