// A CoGAN checkpoint as batch convert and compare use it: the config from its manifest, the
// coupled generators built from that config and filled with the saved weights (the
// discriminators and optimizers are training state and stay on disk).

import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { type CoGanConfig, CoGanConfig as CoGanConfigSchema } from '../../shared/run-config.ts';
import { loadCheckpointInto } from '../checkpoint/index.ts';
import { type CoupledGenerators, coupledGenerators } from '../models/coupled-generator.ts';
import { disposeParams } from '../nn/params.ts';

export interface LoadedCoGan {
  G: CoupledGenerators;
  config: CoGanConfig;
  step: number;
  /** Frees the generators' weights. */
  dispose(): void;
}

export async function loadCoGanFromCheckpoint(checkpointDir: string): Promise<LoadedCoGan> {
  const manifest = await readCheckpointManifest(checkpointDir);
  if (manifest.model !== 'cogan')
    throw new Error(`${checkpointDir} is a ${manifest.model} checkpoint, not a CoGAN one`);
  const parsed = CoGanConfigSchema.safeParse(manifest.config);
  if (!parsed.success)
    throw new Error(
      `${checkpointDir}: its CoGAN config is not one this version reads: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const config = parsed.data;
  const imageSize = config.cropSize as 32 | 64 | 128;
  const G = coupledGenerators({
    imageSize,
    zDim: config.zDim,
    ngf: config.ngf,
    shared: config.sharedGeneratorLayers,
    // The seed only decides the initial weights, which the checkpoint replaces.
    seed: config.seed * 2 + 1,
  });
  const dispose = () => {
    for (const store of Object.values(G.stores)) disposeParams(store);
  };
  try {
    const loaded = await loadCheckpointInto(checkpointDir, { networks: G.stores, optimizers: {} });
    return { G, config, step: loaded.step, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
