// A training run on the demo's sample folders with their ground truth, in this process on wasm, as
// the learning tests train them (CycleGAN's and CUT's demo presets): the samples are written under
// `root`, the config is built for them, and the run's events and truth reports come back.
import fs from 'node:fs';
import path from 'node:path';
import { findTruthFiles } from '../../src/main/datasets/truth-folder.ts';
import { writeSamples } from '../../src/main/samples.ts';
import { DEMO_SAMPLES } from '../../src/shared/demo.ts';
import type { EngineToHost, TrainJob } from '../../src/shared/engine-protocol.ts';
import type { TruthReport } from '../../src/shared/truth.ts';
import { selectBackend } from '../../src/training/backend/ladder.ts';
import { createJobControl } from '../../src/training/control.ts';
import type { ModelDefinition } from '../../src/training/trainer/model-definition.ts';
import { runTraining } from '../../src/training/trainer/run-training.ts';

const list = (folder: string) =>
  fs
    .readdirSync(folder)
    .sort()
    .map((f) => path.join(folder, f));

export async function trainOnDemoSamples<C extends TrainJob['config']>(
  model: ModelDefinition<C>,
  root: string,
  configFor: (folders: { dataA: string; dataB: string }) => C,
) {
  const samples = await writeSamples({ out: path.join(root, 'samples'), ...DEMO_SAMPLES });
  const config = configFor({ dataA: samples.a, dataB: samples.b });
  const filesA = list(samples.a);
  const truth = await findTruthFiles(filesA);
  if (!truth) throw new Error('the sample folders have their truth beside them');
  const job: TrainJob = {
    runId: 'demo',
    runDir: path.join(root, 'run'),
    config,
    filesA,
    filesB: list(samples.b),
    truth,
  };
  const events: EngineToHost[] = [];
  const backend = await selectBackend('wasm');
  await runTraining(model, job, {
    emit: (event) => events.push(event),
    control: createJobControl(),
    backend,
  });
  const reports = events.flatMap((e): TruthReport[] => (e.type === 'truth' ? [e.report] : []));
  /** The truth report at a step; a missing one fails the test with the steps there are. */
  const truthAt = (step: number): TruthReport => {
    const report = reports.find((r) => r.step === step);
    if (!report) throw new Error(`no truth report at step ${step}; reports at steps ${reports.map((r) => r.step)}`);
    return report;
  };
  return { config, events, truthAt };
}
