// The CycleGAN training loop (one job, in an engine process): data in, steps, the learning-rate
// schedule, previews, checkpoints, pause/resume/stop, and a steady stream of typed events.
// Resuming from a checkpoint continues exactly: data order, crops, flips and pool draws are
// functions of (seed, step) and the checkpoint holds the nets, both Adams and the pools.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeLatest } from '../../node/checkpoint/latest.ts';
import type { BackendInfo } from '../../shared/backend.ts';
import type { EngineToHost, TrainJob } from '../../shared/engine-protocol.ts';
import { loadCheckpointInto, saveCheckpoint } from '../checkpoint/index.ts';
import { createTruthTracker } from '../compare/truth-tracker.ts';
import type { JobControl } from '../control.ts';
import { openUnpairedStream } from '../data/pairs.ts';
import { keyedRandom } from '../data/random.ts';
import { afterStep, atLoopEnd, type MilestonePlan } from '../loop/milestones.ts';
import { recoverFromNonFiniteLosses } from '../loop/non-finite-guard.ts';
import { createPaceMeter } from '../loop/pace.ts';
import { createRecentMetrics, type MetricsRow, recentMetricsOf } from '../loop/recent-metrics.ts';
import { learningRateAtStep, planSchedule, setLearningRate } from '../schedule.ts';
import { disposeNetworks, networksForConfig } from './networks.ts';
import { createImagePool, type PoolState } from './pool.ts';
import { loadPreviewSamples, writeCycleGanPreview } from './previews.ts';
import { type CycleGanLosses, createCycleGanStepper } from './step.ts';

export interface TrainerContext {
  emit(event: EngineToHost): void;
  control: JobControl;
  backend: BackendInfo;
}

/** Key of the pools' random stream (the data pipeline's streams use other keys). */
const POOL_STREAM = 0x9001;
const PENALTY_STREAM = 0x9002;

export async function trainCycleGan(job: TrainJob, context: TrainerContext): Promise<void> {
  if (job.config.model !== 'cyclegan') throw new Error(`trainCycleGan got a ${job.config.model} config`);
  const config = job.config;
  const { runId, runDir } = job;
  const { emit, control } = context;

  const nets = networksForConfig(config);
  // Pool draws of step k come from a generator keyed by (seed, k): see data/random.ts.
  let stepRandom = keyedRandom(config.seed, 0, POOL_STREAM);
  let currentStep = 0;
  const random = () => stepRandom();
  const pools = { A: createImagePool(config.poolSize, random), B: createImagePool(config.poolSize, random) };
  const stepper = createCycleGanStepper(nets, {
    objective: config.ganMode,
    lambdaA: config.lambdaA,
    lambdaB: config.lambdaB,
    lambdaIdentity: config.lambdaIdentity,
    learningRate: config.lr,
    beta1: config.beta1,
    lambdaGp: config.lambdaGp,
    nCritic: config.nCritic,
    penaltySeed: (critic) => keyedRandom(config.seed, currentStep, PENALTY_STREAM, critic)() * 2 ** 31,
    poolA: (fake) => pools.A.query(fake),
    poolB: (fake) => pools.B.query(fake),
  });

  function restorePools(states: Record<string, PoolState>): void {
    for (const [name, state] of Object.entries(states)) {
      if (name !== 'A' && name !== 'B') continue;
      pools[name].dispose();
      pools[name] = createImagePool(config.poolSize, random, state);
    }
  }

  let startStep = 0;
  const recent = createRecentMetrics();
  let resumedMetrics: MetricsRow[] = [];
  if (job.resumeFrom) {
    const restored = await loadCheckpointInto(job.resumeFrom, {
      networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
      optimizers: stepper.optimizers,
    });
    startStep = restored.step;
    restorePools(restored.pools);
    resumedMetrics = recentMetricsOf(restored.extra);
  }

  const openStream = (startIndex: number) =>
    openUnpairedStream({
      filesA: job.filesA,
      filesB: job.filesB,
      preprocess: { mode: config.preprocess, loadSize: config.loadSize, cropSize: config.cropSize, flip: config.flip },
      seed: config.seed,
      startIndex,
      onSkip: (file, reason) => emit({ type: 'skipped', runId, file, reason }),
    });
  let stream = await openStream(startStep);
  const epochLength = stream.epochLength;
  // The schedule over the run's steps: a maxSteps beyond the schedule's end stretches it (see
  // schedule.ts). A pure function of the config and the epoch length, so a resumed run gets the
  // same rates.
  const plan = planSchedule(
    {
      policy: config.lrPolicy,
      lr: config.lr,
      nEpochs: config.nEpochs,
      nEpochsDecay: config.nEpochsDecay,
      decayEvery: config.lrDecayIters,
    },
    epochLength,
    config.maxSteps,
  );
  const totalSteps = plan.totalSteps;
  const samples = await loadPreviewSamples(job.filesA, job.filesB, config.previewSamples, config.cropSize);
  const truth = job.truth ? await createTruthTracker(job.truth, job.filesB, config.cropSize) : null;
  const reportTruth = async (step: number) => {
    if (!truth) return;
    const report = await truth.report(step, (images) => nets.G_A.apply(images) as tf.Tensor4D);
    emit({ type: 'truth', runId, report });
  };

  const save = async (step: number, epoch: number, numbered: boolean) => {
    const dir = path.join(runDir, 'checkpoints', numbered ? String(step).padStart(9, '0') : 'last');
    const saved = await saveCheckpoint(dir, {
      format: 1,
      model: 'cyclegan',
      step,
      epoch,
      config,
      networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
      optimizers: stepper.optimizers,
      pools: { A: await pools.A.exportState(), B: await pools.B.exportState() },
      extra: { runId, recentMetrics: recent.rows() },
    });
    recent.clear();
    await writeLatest(runDir, { step, path: saved.path });
    if (numbered) {
      emit({ type: 'checkpoint', runId, step, epoch, path: saved.path, bytes: saved.bytes });
      await reportTruth(step);
    } else emit({ type: 'saved', runId, step });
  };
  const preview = async (step: number) => {
    const file = path.join(runDir, 'previews', `${String(step).padStart(9, '0')}.png`);
    await writeCycleGanPreview(nets, samples, file);
    emit({ type: 'preview', runId, step, path: file });
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
  const pace = createPaceMeter(1);
  let step = startStep;
  let finished: 'completed' | 'stopped' = 'completed';
  try {
    if (startStep === 0) {
      await preview(0);
      await reportTruth(0);
    }
    while (step < totalSteps) {
      await control.checkpointBetweenSteps(
        () =>
          emit({ type: 'paused', runId, step, reason: 'requested', message: 'Paused. Resume to continue from here.' }),
        () => emit({ type: 'resumed', runId, step }),
      );
      if (control.stopRequested) {
        finished = 'stopped';
        break;
      }
      const started = performance.now();
      const epoch = Math.floor(step / epochLength);
      const learningRate = learningRateAtStep(plan, step);
      setLearningRate(stepper.optimizers.G, learningRate);
      setLearningRate(stepper.optimizers.D, learningRate);
      const sample = await stream.next();
      stepRandom = keyedRandom(config.seed, step, POOL_STREAM);
      currentStep = step;
      const realA = tf.tensor4d(sample.a.data, [1, sample.a.height, sample.a.width, 3]);
      const realB = tf.tensor4d(sample.b.data, [1, sample.b.height, sample.b.width, 3]);
      let losses: CycleGanLosses;
      try {
        losses = await stepper.step(realA, realB);
      } finally {
        tf.dispose([realA, realB]);
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
      await afterStep(step, milestones, { preview, save });
    }
    // The final state is always a numbered checkpoint, whether the run completed or was stopped.
    await atLoopEnd(step, milestones, { preview, save });
    emit({ type: 'finished', runId, status: finished, step });
  } finally {
    stream.close();
    tf.dispose([samples.a, samples.b]);
    truth?.dispose();
    pools.A.dispose();
    pools.B.dispose();
    stepper.dispose();
    disposeNetworks(nets);
  }

  /** Restores nets, optimizers and pools from a checkpoint and reopens the data there. */
  async function rollBackTo(checkpointPath: string): Promise<number> {
    // The steps after the checkpoint are trained again: their kept rows would be stale.
    recent.clear();
    const restored = await loadCheckpointInto(checkpointPath, {
      networks: { G_A: nets.G_A.params, G_B: nets.G_B.params, D_A: nets.D_A.params, D_B: nets.D_B.params },
      optimizers: stepper.optimizers,
    });
    restorePools(restored.pools);
    stream.close();
    stream = await openStream(restored.step);
    return restored.step;
  }
}
