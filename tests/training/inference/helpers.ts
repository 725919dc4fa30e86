// Fixtures for the inference and convert tests: a CycleGAN checkpoint of tiny networks whose
// weights are not their seeded initial values (so a loader that read nothing would be caught),
// and the networks that wrote it, to compare against.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkpointDir, writeLatest } from '../../../src/node/checkpoint/latest.ts';
import { buildCycleGanConfig, type CycleGanConfig } from '../../../src/shared/run-config.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { type CycleGanNetworks, networksForConfig } from '../../../src/training/cyclegan/networks.ts';

export function tempDir(prefix = 'diptych-inference-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tinyRunConfig(overrides: Partial<CycleGanConfig> = {}): CycleGanConfig {
  return buildCycleGanConfig('tiny', { dataA: '/a', dataB: '/b', seed: 3, ...overrides });
}

/** Saves the tiny networks, every weight redrawn, as checkpoint `step` of runDir (and latest). */
export async function savedTinyCheckpoint(
  runDir: string,
  step = 42,
  config: CycleGanConfig = tinyRunConfig(),
): Promise<{ dir: string; nets: CycleGanNetworks; config: CycleGanConfig }> {
  const nets = networksForConfig(config);
  let seed = 1000;
  for (const net of Object.values(nets))
    for (const variable of net.params.variables.values())
      tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 0.2, 'float32', seed++)));
  const dir = checkpointDir(runDir, step);
  await saveCheckpoint(dir, {
    format: 1,
    model: 'cyclegan',
    step,
    epoch: 1,
    config,
    networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
    optimizers: {},
    pools: { A: { capacity: 2, images: [{ shape: [1, 2, 2, 3], data: new Float32Array(12).fill(0.5) }] } },
  });
  await writeLatest(runDir, { step, path: dir });
  return { dir, nets, config };
}
