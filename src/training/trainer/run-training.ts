// The training loop of every model (one job, in an engine process): data in, steps, the learning
// rate, previews, checkpoints, pause/resume/stop, the NaN guard and a steady stream of typed events.
// What differs between models comes from their definition (model-definition.ts); everything here
// is what they all do alike, so a new model gets exact resume, roll-back and the host's events
// without writing a loop.
//
// Resuming from a checkpoint continues exactly: data order, crops and flips are functions of
// (seed, step) (data/random.ts), a model's own draws must be too (ModelTrainer.step), and the
// checkpoint holds the networks, every optimizer's moments and the model's extra tensor state.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../../shared/backend.ts';
import type { EngineToHost, TrainJob } from '../../shared/engine-protocol.ts';
import { createTruthTracker, type TruthTracker } from '../compare/truth-tracker.ts';
import type { JobControl } from '../control.ts';
import { DEFAULT_PREFETCH_DEPTH, openUnpairedStream, type UnpairedSample } from '../data/pairs.ts';
import { afterStep, atLoopEnd, type MilestonePlan } from '../loop/milestones.ts';
import { recoverFromNonFiniteLosses } from '../loop/non-finite-guard.ts';
import { createPaceMeter } from '../loop/pace.ts';
import { createRecentMetrics, type MetricsRow, recentMetricsOf } from '../loop/recent-metrics.ts';
import { setLearningRate } from '../schedule.ts';
import { stackBatch } from './batch.ts';
import type { ModelDefinition } from './model-definition.ts';
import { restoreRunCheckpoint } from './run-checkpoint.ts';
import { runMilestones } from './run-milestones.ts';
import { planRun } from './run-plan.ts';

export interface TrainerContext {
  emit(event: EngineToHost): void;
  control: JobControl;
  backend: BackendInfo;
}

export async function runTraining(definition: ModelDefinition, job: TrainJob, context: TrainerContext): Promise<void> {
  const config = job.config;
  if (config.model !== definition.name) throw new Error(`the ${definition.name} trainer got a ${config.model} config`);
  const { runId, runDir } = job;
  const { emit, control } = context;

  const trainer = await definition.createTrainer(config, { filesA: job.filesA, filesB: job.filesB });
  const batch = trainer.batchSize;
  let truth: TruthTracker | null = null;
  try {
    let startStep = 0;
    const recent = createRecentMetrics();
    let resumedMetrics: MetricsRow[] = [];
    if (job.resumeFrom) {
      const restored = await restoreRunCheckpoint(job.resumeFrom, trainer);
      startStep = restored.step;
      resumedMetrics = recentMetricsOf(restored.extra);
    }

    const openStream = (step: number) =>
      openUnpairedStream({
        filesA: job.filesA,
        filesB: job.filesB,
        preprocess: {
          mode: config.preprocess,
          loadSize: config.loadSize,
          cropSize: config.cropSize,
          flip: config.flip,
        },
        seed: config.seed,
        // Sample k of the stream is image k mod batch of step ⌊k / batch⌋.
        startIndex: step * batch,
        depth: Math.max(DEFAULT_PREFETCH_DEPTH, 2 * batch),
        onSkip: (file, reason) => emit({ type: 'skipped', runId, file, reason }),
      });
    let stream = await openStream(startStep);
    try {
      // An epoch is max(|A|, |B|) images of each domain, rounded up to whole batches.
      const epochLength = Math.max(1, Math.ceil(stream.epochLength / batch));
      const plan = planRun(config, trainer.schedule, epochLength);
      const totalSteps = plan.totalSteps;
      // The ground truth is scored where the host found one and the model translates A→B in one pass.
      if (job.truth && trainer.translateAtoB) truth = await createTruthTracker(job.truth, job.filesB, config.cropSize);
      const actions = runMilestones({ model: definition.name, trainer, job, emit, recent, truth });
      /** The NaN guard's roll-back: the model from the newest checkpoint, the data reopened there. */
      const rollBackTo = async (checkpointPath: string): Promise<number> => {
        // The steps after the checkpoint are trained again: their kept rows would be stale.
        recent.clear();
        const restored = await restoreRunCheckpoint(checkpointPath, trainer);
        stream.close();
        stream = await openStream(restored.step);
        return restored.step;
      };

      const milestones: MilestonePlan = {
        previewEvery: config.previewEvery,
        epochLength,
        checkpointEveryEpochs: config.checkpointEveryEpochs,
        // The loop's end writes the last step's numbered checkpoint once (not twice, with two events).
        numberedBefore: totalSteps,
      };
      const guard = { runId, runDir, emit, control, restore: rollBackTo };

      emit({
        type: 'started',
        runId,
        backend: context.backend,
        startStep,
        totalSteps,
        epochLength,
        ...(plan.note ? { note: plan.note } : {}),
      });
      // The rows of the steps the checkpoint covers, again: a host killed before it stored them gets them now.
      for (const row of resumedMetrics) emit({ type: 'metrics', runId, ...row, replayed: true });
      const pace = createPaceMeter(batch);
      let step = startStep;
      let finished: 'completed' | 'stopped' = 'completed';
      if (startStep === 0) await actions.atStart();
      while (step < totalSteps) {
        await control.checkpointBetweenSteps(
          () =>
            emit({
              type: 'paused',
              runId,
              step,
              reason: 'requested',
              message: 'Paused. Resume to continue from here.',
            }),
          () => emit({ type: 'resumed', runId, step }),
        );
        if (control.stopRequested) {
          finished = 'stopped';
          break;
        }
        const started = performance.now();
        const epoch = Math.floor(step / epochLength);
        const learningRate = plan.rateAt(step);
        if (plan.scheduled)
          for (const optimizer of Object.values(trainer.optimizers)) setLearningRate(optimizer, learningRate);
        const samples: UnpairedSample[] = [];
        for (let i = 0; i < batch; i++) samples.push(await stream.next());
        const real = stackBatch(samples, trainer.imageSize);
        let losses: Record<string, number>;
        try {
          losses = await trainer.step(real, step);
        } finally {
          tf.dispose([real.a, real.b]);
        }
        step++;

        const rolledBackTo = await recoverFromNonFiniteLosses(losses, step, guard);
        if (rolledBackTo !== null) {
          step = rolledBackTo;
          continue;
        }

        emit({ type: 'metrics', runId, step, epoch, losses });
        recent.record({ step, epoch, losses });
        const figures = pace.record(performance.now() - started, totalSteps - step);
        emit({ type: 'progress', runId, step, epoch, totalSteps, epochLength, ...figures, learningRate });
        await afterStep(step, milestones, actions);
      }
      // The final state is always a numbered checkpoint, whether the run completed or was stopped.
      await atLoopEnd(step, milestones, actions);
      emit({ type: 'finished', runId, status: finished, step });
    } finally {
      stream.close();
    }
  } finally {
    truth?.dispose();
    trainer.dispose();
  }
}
