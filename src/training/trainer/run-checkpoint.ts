// A run's checkpoint, written from and read back into a model's trainer: its networks, every
// optimizer and its extra tensor state, plus the run's JSON extras. Saving is atomic (the folder is
// the old checkpoint or the new one) and `latest` is pointed at it only once it is complete.
import { writeLatest } from '../../node/checkpoint/latest.ts';
import type { CheckpointModel } from '../../node/checkpoint/manifest.ts';
import { type LoadedCheckpoint, loadCheckpointInto, saveCheckpoint } from '../checkpoint/index.ts';
import type { ModelTrainer } from './model-definition.ts';

export interface RunCheckpointFields {
  runDir: string;
  step: number;
  epoch: number;
  config: unknown;
  extra: Record<string, unknown>;
}

export async function saveRunCheckpoint(
  dir: string,
  model: CheckpointModel,
  trainer: ModelTrainer,
  fields: RunCheckpointFields,
): Promise<{ path: string; bytes: number }> {
  const pools = await trainer.saveExtraState?.();
  const saved = await saveCheckpoint(dir, {
    format: 1,
    model,
    step: fields.step,
    epoch: fields.epoch,
    config: fields.config,
    networks: trainer.networks,
    optimizers: trainer.optimizers,
    ...(pools ? { pools } : {}),
    extra: fields.extra,
  });
  await writeLatest(fields.runDir, { step: fields.step, path: saved.path });
  return saved;
}

/** Loads a checkpoint into the trainer (networks, optimizers, extra state); every check runs before any change. */
export async function restoreRunCheckpoint(checkpointPath: string, trainer: ModelTrainer): Promise<LoadedCheckpoint> {
  const restored = await loadCheckpointInto(checkpointPath, {
    networks: trainer.networks,
    optimizers: trainer.optimizers,
  });
  trainer.restoreExtraState?.(restored.pools);
  return restored;
}
