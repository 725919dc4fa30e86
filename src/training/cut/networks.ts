// CUT's networks (Park et al. 2020), named as the reference's model_names: G (A→B, CycleGAN's ResNet
// generator), D (the PatchGAN that judges domain B) and F (PatchSampleF: one small MLP per feature
// layer). One generator and one discriminator, against CycleGAN's two of each.
//
// Which features PatchNCE reads. The reference's nce_layers '0,4,8,12,16' index the children of
// its generator's nn.Sequential, which by default (no --no_antialias) is:
//    0 ReflectionPad2d(3)            ← 0: the RGB pixels (padded)
//    1 Conv 7×7, 2 norm, 3 ReLU
//    4 Conv 3×3 stride 1             ← 4: the first downsampling conv, before its norm
//    5 norm, 6 ReLU, 7 blur-pool ↓2
//    8 Conv 3×3 stride 1             ← 8: the second downsampling conv, before its norm
//    9 norm, 10 ReLU, 11 blur-pool ↓2
//   12 ResnetBlock 0                 ← 12: after the first residual block
//   13-15 ResnetBlocks 1-3
//   16 ResnetBlock 4                 ← 16: after the fifth residual block
// which is what the paper says it uses ("RGB pixels, the first and second downsampling
// convolution, and the first and the fifth residual block"). Diptych's generator is CycleGAN's,
// i.e. the reference's --no_antialias --no_antialias_up form (stride-2 convs down, transposed convs
// up: the same parameters, none in the blur filters). In that form the reference's indices would
// fall elsewhere (8 would be a norm's output, 12 and 16 blocks 2 and 6), so the layers are mapped by
// meaning: pad, down0 and down1 before their norms, block0 and block4 (ResnetFeature in
// models/resnet-generator.ts). The channels, hence F's parameters, are the reference's; the two
// downsampling features are at half the reference's resolution (the stride is in the conv here).
//
// The U-Net generator is Diptych's addition: the reference's UnetGenerator cannot return features
// (no encode_only), but the method only needs an encoder to read. At 32–64 px the ResNet generator
// stays behind the untouched input for thousands of steps on a CPU (for CycleGAN too, docs/TRAINING.md),
// where a U-Net, whose skips carry the picture through, learns in a few hundred; so CUT offers it,
// reading what the paper reads in its terms: the RGB pixels and the first four downsampling convs
// before their norms (fewer where the net has fewer levels).
import type { CutConfig } from '../../shared/run-config.ts';
import type { FeatureGenerator } from '../models/feature-generator.ts';
import { generatorByName, unetDowns } from '../models/generator-by-name.ts';
import type { Network } from '../models/network.ts';
import { patchDiscriminator, pixelDiscriminator } from '../models/patchgan.ts';
import type { ResnetFeature } from '../models/resnet-generator.ts';
import type { UnetFeature } from '../models/unet-generator.ts';
import { countParams, disposeParams, type ParamStore, paramList } from '../nn/params.ts';
import { createPatchHeads, type PatchHeads } from './patch-sample.ts';

/** The reference's nce_layers, as indices of its generator's layer list (see above). */
export const REFERENCE_NCE_LAYERS = [0, 4, 8, 12, 16] as const;

/** The same layers in Diptych's ResNet generator, in the same order. */
export const NCE_FEATURES: readonly ResnetFeature[] = ['pad', 'down0', 'down1', 'block0', 'block4'];

/** What PatchNCE reads in a U-Net of `downs` levels: the pixels and up to four downsampling convs. */
export function unetNceFeatures(downs: number): UnetFeature[] {
  return ['input', ...Array.from({ length: Math.min(4, downs) }, (_, level) => `down${level}` as const)];
}

/** The feature layers PatchNCE reads in a generator of this name. */
export function nceFeaturesFor(netG: CutConfig['netG']): readonly string[] {
  return netG.startsWith('unet_') ? unetNceFeatures(unetDowns(netG as `unet_${number}`)) : NCE_FEATURES;
}

/**
 * The CUT reference's init_type default: xavier_normal with gain 0.02 (CycleGAN's is N(0, 0.02)), for
 * G, D and F alike.
 */
export const CUT_INIT = 'xavier' as const;

/** F's MLP width, the reference's netF_nc. */
export const PATCH_HEAD_UNITS = 256;

export interface CutArchitecture {
  generator: CutConfig['netG'];
  discriminator: CutConfig['netD'];
  ngf: number;
  ndf: number;
  nLayersD: number;
  seed: number;
}

export interface CutNetworks {
  G: FeatureGenerator;
  D: Network;
  F: PatchHeads;
  /** G's stages PatchNCE reads, in F's heads' order. */
  nceLayers: readonly string[];
}

/** The key of CUT's A→B generator in its checkpoints (and of the discriminator and the heads). */
export const CUT_NETWORK_KEYS = ['G', 'D', 'F'] as const;

// Each network's own init stream, as CycleGAN's: seed·3 + 1, 2, 3.
const seedOf = (seed: number, key: (typeof CUT_NETWORK_KEYS)[number]) => seed * 3 + CUT_NETWORK_KEYS.indexOf(key) + 1;

export function cutGenerator(arch: Pick<CutArchitecture, 'generator' | 'ngf' | 'seed'>): FeatureGenerator {
  return generatorByName({
    name: 'G',
    netG: arch.generator,
    ngf: arch.ngf,
    seed: seedOf(arch.seed, 'G'),
    init: CUT_INIT,
  });
}

export function createCutNetworks(arch: CutArchitecture): CutNetworks {
  const G = cutGenerator(arch);
  const nceLayers = nceFeaturesFor(arch.generator);
  const seed = seedOf(arch.seed, 'D');
  const D =
    arch.discriminator === 'pixel'
      ? pixelDiscriminator({ name: 'D', ndf: arch.ndf, seed, init: CUT_INIT })
      : patchDiscriminator({
          name: 'D',
          ndf: arch.ndf,
          layers: arch.discriminator === 'basic' ? 3 : arch.nLayersD,
          seed,
          init: CUT_INIT,
        });
  const F = createPatchHeads({
    name: 'F',
    channels: nceLayers.map((stage) => G.featureChannels(stage)),
    units: PATCH_HEAD_UNITS,
    seed: seedOf(arch.seed, 'F'),
    init: CUT_INIT,
  });
  return { G, D, F, nceLayers };
}

/** The networks a CUT run's config asks for (the trainer's and every checkpoint reader's). */
export function cutNetworksForConfig(
  config: Pick<CutConfig, 'netG' | 'netD' | 'ngf' | 'ndf' | 'nLayersD' | 'seed'>,
): CutNetworks {
  return createCutNetworks({
    generator: config.netG,
    discriminator: config.netD,
    ngf: config.ngf,
    ndf: config.ndf,
    nLayersD: config.nLayersD,
    seed: config.seed,
  });
}

/** The generator alone, for inference (the translator): the same parameters as cutNetworksForConfig's G. */
export function cutGeneratorForConfig(config: Pick<CutConfig, 'netG' | 'ngf' | 'seed'>): FeatureGenerator {
  return cutGenerator({ generator: config.netG, ngf: config.ngf, seed: config.seed });
}

/** The named parameter stores a checkpoint holds: G, D and F, as the reference saves net_G, net_D, net_F. */
export function cutStores(nets: CutNetworks): Record<(typeof CUT_NETWORK_KEYS)[number], ParamStore> {
  return { G: nets.G.params, D: nets.D.params, F: nets.F.params };
}

export function cutParameterCounts(nets: CutNetworks): Record<(typeof CUT_NETWORK_KEYS)[number], number> {
  return { G: countParams(nets.G.params), D: countParams(nets.D.params), F: countParams(nets.F.params) };
}

export const cutGeneratorParams = (nets: CutNetworks) => paramList(nets.G.params);
export const cutDiscriminatorParams = (nets: CutNetworks) => paramList(nets.D.params);
export const cutHeadParams = (nets: CutNetworks) => paramList(nets.F.params);

export function disposeCutNetworks(nets: CutNetworks): void {
  for (const store of Object.values(cutStores(nets))) disposeParams(store);
}
