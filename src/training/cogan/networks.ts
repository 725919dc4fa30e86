// The networks of a CoGAN run, built from its config: the coupled generators and the coupled
// discriminators, and their parameter stores under the names checkpoints record them by
// (G_shared, G_A, G_B, D_A, D_B, D_shared).
import type { CoGanConfig } from '../../shared/run-config.ts';
import { type CoupledDiscriminators, coupledDiscriminators } from '../models/coupled-discriminator.ts';
import { type CoupledGenerators, coupledGenerators } from '../models/coupled-generator.ts';
import { countParams, disposeParams, type ParamStore, paramList } from '../nn/params.ts';

export interface CoGanNetworks {
  G: CoupledGenerators;
  D: CoupledDiscriminators;
}

export type CoGanArchitecture = Pick<
  CoGanConfig,
  'cropSize' | 'zDim' | 'ngf' | 'ndf' | 'sharedGeneratorLayers' | 'sharedDiscriminatorLayers' | 'ganMode' | 'seed'
>;

export function coganNetworksForConfig(config: CoGanArchitecture): CoGanNetworks {
  const imageSize = config.cropSize;
  if (imageSize !== 32 && imageSize !== 64 && imageSize !== 128)
    throw new Error(`CoGAN's networks are built for 32, 64 or 128 px images, not ${imageSize}`);
  return {
    G: coupledGenerators({
      imageSize,
      zDim: config.zDim,
      ngf: config.ngf,
      shared: config.sharedGeneratorLayers,
      seed: config.seed * 2 + 1,
    }),
    D: coupledDiscriminators({
      imageSize,
      ndf: config.ndf,
      shared: config.sharedDiscriminatorLayers,
      norm: config.ganMode === 'wgangp' ? 'none' : 'batch',
      seed: config.seed * 2 + 2,
    }),
  };
}

/** Every parameter store by its checkpoint name. */
export function coganStores(nets: CoGanNetworks): Record<string, ParamStore> {
  return { ...nets.G.stores, ...nets.D.stores };
}

export function coganGeneratorParams(nets: CoGanNetworks) {
  return Object.values(nets.G.stores).flatMap(paramList);
}

export function coganDiscriminatorParams(nets: CoGanNetworks) {
  return Object.values(nets.D.stores).flatMap(paramList);
}

export function coganParameterCounts(nets: CoGanNetworks): Record<string, number> {
  return Object.fromEntries(Object.entries(coganStores(nets)).map(([name, store]) => [name, countParams(store)]));
}

export function disposeCoGanNetworks(nets: CoGanNetworks): void {
  for (const store of Object.values(coganStores(nets))) disposeParams(store);
}
