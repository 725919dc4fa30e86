// The four networks of a CycleGAN, named as in the paper's code: G_A: A→B, G_B: B→A,
// D_A judges domain B (real_B vs G_A(A)), D_B judges domain A.

import type { CycleGanConfig } from '../../shared/run-config.ts';
import { generatorByName } from '../models/generator-by-name.ts';
import type { Network } from '../models/network.ts';
import { patchDiscriminator, pixelDiscriminator } from '../models/patchgan.ts';
import { countParams, disposeParams, paramList } from '../nn/params.ts';

export interface CycleGanArchitecture {
  generator: CycleGanConfig['netG'];
  discriminator: 'basic' | 'n_layers' | 'pixel';
  ngf: number;
  ndf: number;
  /** Layers of the n_layers discriminator; 3 is the 70×70 PatchGAN ('basic'). */
  nLayersD: number;
  seed: number;
}

export interface CycleGanNetworks {
  G_A: Network;
  G_B: Network;
  D_A: Network;
  D_B: Network;
}

function generator(name: string, arch: Pick<CycleGanArchitecture, 'generator' | 'ngf'>, seed: number): Network {
  return generatorByName({ name, netG: arch.generator, ngf: arch.ngf, seed });
}

function discriminator(name: string, arch: CycleGanArchitecture, seed: number): Network {
  if (arch.discriminator === 'pixel') return pixelDiscriminator({ name, ndf: arch.ndf, seed });
  return patchDiscriminator({ name, ndf: arch.ndf, layers: arch.discriminator === 'basic' ? 3 : arch.nLayersD, seed });
}

export function createCycleGanNetworks(arch: CycleGanArchitecture): CycleGanNetworks {
  return {
    G_A: generator('G_A', arch, arch.seed * 4 + 1),
    G_B: generator('G_B', arch, arch.seed * 4 + 2),
    D_A: discriminator('D_A', arch, arch.seed * 4 + 3),
    D_B: discriminator('D_B', arch, arch.seed * 4 + 4),
  };
}

/** The two generators alone, for inference: G_A (A→B) and G_B (B→A), as the config builds them. */
export function generatorsForConfig(
  config: Pick<CycleGanConfig, 'netG' | 'ngf' | 'seed'>,
): Pick<CycleGanNetworks, 'G_A' | 'G_B'> {
  const arch = { generator: config.netG, ngf: config.ngf };
  return { G_A: generator('G_A', arch, config.seed * 4 + 1), G_B: generator('G_B', arch, config.seed * 4 + 2) };
}

/** The networks a run's config asks for (the trainer's and every checkpoint reader's). */
export function networksForConfig(
  config: Pick<CycleGanConfig, 'netG' | 'netD' | 'ngf' | 'ndf' | 'nLayersD' | 'seed'>,
): CycleGanNetworks {
  return createCycleGanNetworks({
    generator: config.netG,
    discriminator: config.netD,
    ngf: config.ngf,
    ndf: config.ndf,
    nLayersD: config.nLayersD,
    seed: config.seed,
  });
}

export function generatorParams(nets: CycleGanNetworks) {
  return [...paramList(nets.G_A.params), ...paramList(nets.G_B.params)];
}

export function discriminatorParams(nets: CycleGanNetworks) {
  return [...paramList(nets.D_A.params), ...paramList(nets.D_B.params)];
}

export function parameterCounts(nets: CycleGanNetworks): Record<keyof CycleGanNetworks, number> {
  return {
    G_A: countParams(nets.G_A.params),
    G_B: countParams(nets.G_B.params),
    D_A: countParams(nets.D_A.params),
    D_B: countParams(nets.D_B.params),
  };
}

export function disposeNetworks(nets: CycleGanNetworks): void {
  for (const net of Object.values(nets)) disposeParams(net.params);
}
