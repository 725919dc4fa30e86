// What a run writes and says at its milestones (loop/milestones.ts decides when): previews,
// checkpoints with their events, the model's own figures and the ground-truth report. Their order
// is part of the host's contract: the model's figures go out as a metrics row just before the
// checkpoint event (the host flushes its metrics with it), the ground-truth report just after it
// (a report on that checkpoint).
import path from 'node:path';
import type { CheckpointModel } from '../../node/checkpoint/manifest.ts';
import type { EngineToHost, TrainJob } from '../../shared/engine-protocol.ts';
import type { TruthTracker } from '../compare/truth-tracker.ts';
import type { MilestoneActions } from '../loop/milestones.ts';
import type { RecentMetrics } from '../loop/recent-metrics.ts';
import type { ModelTrainer } from './model-definition.ts';
import { saveRunCheckpoint } from './run-checkpoint.ts';

export interface RunMilestones extends MilestoneActions {
  /** Before a fresh run's first step: the untrained model's figures, preview and truth report. */
  atStart(): Promise<void>;
}

export interface RunMilestoneOptions {
  model: CheckpointModel;
  trainer: ModelTrainer;
  job: Pick<TrainJob, 'runId' | 'runDir' | 'config'>;
  emit(event: EngineToHost): void;
  /** The rows since the last checkpoint: kept in the next one, then cleared. */
  recent: RecentMetrics;
  /** Where the host found a ground truth and the model translates A→B in one pass. */
  truth: TruthTracker | null;
}

const stepName = (step: number) => String(step).padStart(9, '0');

export function runMilestones(options: RunMilestoneOptions): RunMilestones {
  const { model, trainer, emit, recent, truth } = options;
  const { runId, runDir, config } = options.job;
  const translateAtoB = trainer.translateAtoB;

  const measure = async (step: number, epoch: number) => {
    const figures = await trainer.measure?.();
    if (figures) emit({ type: 'metrics', runId, step, epoch, losses: figures });
  };
  const reportTruth = async (step: number) => {
    if (truth && translateAtoB) emit({ type: 'truth', runId, report: await truth.report(step, translateAtoB) });
  };
  const preview = async (step: number) => {
    const file = path.join(runDir, 'previews', `${stepName(step)}.png`);
    await trainer.writePreview(file);
    emit({ type: 'preview', runId, step, path: file });
  };
  const save = async (step: number, epoch: number, numbered: boolean) => {
    const dir = path.join(runDir, 'checkpoints', numbered ? stepName(step) : 'last');
    const extra = { runId, recentMetrics: recent.rows() };
    const saved = await saveRunCheckpoint(dir, model, trainer, { runDir, step, epoch, config, extra });
    recent.clear();
    if (numbered) {
      await measure(step, epoch);
      emit({ type: 'checkpoint', runId, step, epoch, path: saved.path, bytes: saved.bytes });
      await reportTruth(step);
    } else emit({ type: 'saved', runId, step });
  };

  return {
    preview,
    save,
    async atStart() {
      // The untrained model's figures are the baseline every later one is read against.
      await measure(0, 0);
      await preview(0);
      await reportTruth(0);
    },
  };
}
