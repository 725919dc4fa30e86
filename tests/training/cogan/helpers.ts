// Shared by the CoGAN training tests: a trainer run in this process on sample domains, and the
// networks of a checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import type { BackendName } from '../../../src/shared/basics.ts';
import type { EngineToHost, TrainJob } from '../../../src/shared/engine-protocol.ts';
import { buildCoGanConfig, type CoGanConfig, type CoGanOverrides } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { loadCheckpointInto } from '../../../src/training/checkpoint/index.ts';
import { coGanModel } from '../../../src/training/cogan/definition.ts';
import { type CoGanNetworks, coganNetworksForConfig, coganStores } from '../../../src/training/cogan/networks.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';

export function tinyCoGan(dataA: string, dataB: string, overrides: Partial<CoGanOverrides> = {}): CoGanConfig {
  return buildCoGanConfig('tiny', { dataA, dataB, ...overrides });
}

function listImages(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(folder, f));
}

export async function runCoGan(
  config: CoGanConfig,
  runDir: string,
  options: { resumeFrom?: string; backend?: BackendName } = {},
): Promise<EngineToHost[]> {
  const backend = await selectBackend(options.backend);
  const events: EngineToHost[] = [];
  const job: TrainJob = {
    runId: 'test',
    runDir,
    config,
    filesA: listImages(config.dataA),
    filesB: listImages(config.dataB),
    resumeFrom: options.resumeFrom,
  };
  await runTraining(coGanModel, job, { emit: (event) => events.push(event), control: createJobControl(), backend });
  return events;
}

export function lastCheckpoint(events: EngineToHost[]): string {
  const event = events.filter((e) => e.type === 'checkpoint').at(-1);
  if (event?.type !== 'checkpoint') throw new Error('no checkpoint');
  return event.path;
}

export async function loadCoGanNetworks(config: CoGanConfig, checkpoint: string): Promise<CoGanNetworks> {
  const nets = coganNetworksForConfig(config);
  await loadCheckpointInto(checkpoint, { networks: coganStores(nets), optimizers: {} });
  return nets;
}
