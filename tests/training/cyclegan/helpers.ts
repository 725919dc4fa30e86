// Shared by the training tests: sample domains on disk, a trainer run in this process, and the
// ground-truth error of a checkpoint's G_A.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { SampleKind } from '../../../resources/samples/kinds.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import type { BackendName } from '../../../src/shared/basics.ts';
import type { EngineToHost, TrainJob } from '../../../src/shared/engine-protocol.ts';
import { buildCycleGanConfig, type ConfigOverrides, type CycleGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { loadCheckpointInto } from '../../../src/training/checkpoint/index.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { cycleGanModel } from '../../../src/training/cyclegan/definition.ts';
import { type CycleGanNetworks, disposeNetworks, networksForConfig } from '../../../src/training/cyclegan/networks.ts';
import { loadImageForPreview } from '../../../src/training/data/load-image.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function sampleDomains(kind: SampleKind, count: number, size: number, out = tempDir(`diptych-${kind}-`)) {
  return writeSamples({ out, kind, count, size, seed: 7 });
}

export function tinyConfig(dataA: string, dataB: string, overrides: Partial<ConfigOverrides> = {}): CycleGanConfig {
  return buildCycleGanConfig('tiny', { dataA, dataB, ...overrides });
}

function listImages(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(folder, f));
}

/** Runs the trainer in this process on the backend the ladder picks (or `forced`); returns every event. */
export async function runTrainer(
  config: CycleGanConfig,
  runDir: string,
  resumeFrom?: string,
  forced?: BackendName,
): Promise<EngineToHost[]> {
  const backend = await selectBackend(forced);
  const events: EngineToHost[] = [];
  const job: TrainJob = {
    runId: 'test',
    runDir,
    config,
    filesA: listImages(config.dataA),
    filesB: listImages(config.dataB),
    resumeFrom,
  };
  await runTraining(cycleGanModel, job, { emit: (event) => events.push(event), control: createJobControl(), backend });
  return events;
}

export async function loadNetworks(config: CycleGanConfig, checkpoint: string): Promise<CycleGanNetworks> {
  const nets = networksForConfig(config);
  await loadCheckpointInto(checkpoint, {
    networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
    optimizers: {},
  });
  return nets;
}

/**
 * Mean absolute error (in [0, 2] pixel units) against the ground truth of every A image:
 * of G_A's translation, and of the identity baseline (the A image itself).
 */
export async function groundTruthError(
  nets: CycleGanNetworks | null,
  folders: { a: string; truth: string },
  size: number,
): Promise<number> {
  const files = listImages(folders.a);
  let total = 0;
  for (const file of files) {
    const input = await loadImageForPreview(file, size);
    const truth = await loadImageForPreview(path.join(folders.truth, path.basename(file)), size);
    const error = tf.tidy(() => {
      const x = tf.tensor4d(input.data, [1, size, size, 3]);
      const y = nets ? nets.G_A.apply(x) : x;
      return tf.mean(tf.abs(tf.sub(y, tf.tensor4d(truth.data, [1, size, size, 3]))));
    });
    // Read asynchronously: a GPU backend has no synchronous read under Node.
    total += (await error.data())[0] as number;
    error.dispose();
  }
  return total / files.length;
}

export { disposeNetworks };
