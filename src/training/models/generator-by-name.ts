// A generator built from its option name (GeneratorName): the reference's ResNets and U-Nets, as
// CycleGAN and CUT both build them. unet_N is the reference's UnetGenerator with num_downs = log2(N)
// (7 for unet_128, 8 for unet_256; the class takes any num_downs ≥ 5, so unet_32 and unet_64 are
// the same network, smaller).
import type { GeneratorName } from '../../shared/options/choices.ts';
import { unetSide } from '../../shared/run-config.ts';
import type { FeatureGenerator } from './feature-generator.ts';
import { resnetGenerator } from './resnet-generator.ts';
import { unetGenerator } from './unet-generator.ts';

export interface GeneratorByNameOptions {
  name: string;
  netG: GeneratorName;
  ngf: number;
  seed: number;
  /** The reference's init_type: 'normal' (CycleGAN's, the default) or 'xavier' (CUT's). */
  init?: 'normal' | 'xavier';
}

/** The U-Net's number of stride-2 levels for its name (unet_N: log2 N). */
export function unetDowns(netG: `unet_${number}`): number {
  return Math.round(Math.log2(unetSide(netG)));
}

export function generatorByName(options: GeneratorByNameOptions): FeatureGenerator {
  const { name, netG, ngf, seed, init } = options;
  if (netG.startsWith('unet_'))
    return unetGenerator({ name, ngf, downs: unetDowns(netG as `unet_${number}`), seed, init });
  return resnetGenerator({ name, ngf, blocks: netG === 'resnet_9blocks' ? 9 : 6, seed, init });
}
