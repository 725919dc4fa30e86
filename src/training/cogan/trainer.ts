// The CoGAN training loop (one job, in an engine process): batches of both domains in, coupled
// D and G steps, previews of fixed codes, the agreement evaluation at checkpoints, atomic
// checkpoints, pause/resume/stop, the NaN guard, and the same typed events as CycleGAN's trainer.
// Resume is exact: the batches, codes and penalty draws of step k are functions of (seed, k),
// and a checkpoint holds the six parameter stores and both Adams.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeLatest } from '../../node/checkpoint/latest.ts';
import type { BackendInfo } from '../../shared/backend.ts';
import type { EngineToHost, TrainJob } from '../../shared/engine-protocol.ts';
import type { CoGanConfig } from '../../shared/run-config.ts';
import { loadCheckpointInto, saveCheckpoint } from '../checkpoint/index.ts';
import type { JobControl } from '../control.ts';
import { openUnpairedStream, type UnpairedSample } from '../data/pairs.ts';
import { afterStep, atLoopEnd, type MilestonePlan } from '../loop/milestones.ts';
import { recoverFromNonFiniteLosses } from '../loop/non-finite-guard.ts';
import { createPaceMeter } from '../loop/pace.ts';
import { createRecentMetrics, type MetricsRow, recentMetricsOf } from '../loop/recent-metrics.ts';
import { measureAgreement } from './agreement.ts';
import { LATENT_STREAM, latentCodes, seedFor } from './latent.ts';
import { coganNetworksForConfig, coganStores, disposeCoGanNetworks } from './networks.ts';
import { writeCoGanPreview } from './previews.ts';
import { type CoGanLosses, createCoGanStepper } from './step.ts';

export interface CoGanTrainerContext {
  emit(event: EngineToHost): void;
  control: JobControl;
  backend: BackendInfo;
}

/** The metric names the agreement evaluation reports (in the metrics table beside the losses). */
export const AGREEMENT_METRICS = ['agreement', 'agreement_chance', 'agreement_kappa'] as const;

/** Stacks a batch of decoded samples into [N, S, S, 3] tensors, one per domain. */
function batchTensors(samples: UnpairedSample[], size: number): { a: tf.Tensor4D; b: tf.Tensor4D } {
  const pixels = size * size * 3;
  const a = new Float32Array(samples.length * pixels);
  const b = new Float32Array(samples.length * pixels);
  for (const [i, sample] of samples.entries()) {
    for (const [image, file] of [
      [sample.a, sample.fileA],
      [sample.b, sample.fileB],
    ] as const) {
      if (image.width !== size || image.height !== size)
        throw new Error(`${file} came out ${image.width}×${image.height}, the networks take ${size}×${size}`);
    }
    a.set(sample.a.data, i * pixels);
    b.set(sample.b.data, i * pixels);
  }
  const shape: [number, number, number, number] = [samples.length, size, size, 3];
  return { a: tf.tensor4d(a, shape), b: tf.tensor4d(b, shape) };
}

export async function trainCoGan(job: TrainJob, context: CoGanTrainerContext): Promise<void> {
  if (job.config.model !== 'cogan') throw new Error(`trainCoGan got a ${job.config.model} config`);
  const config: CoGanConfig = job.config;
  const { runId, runDir } = job;
  const { emit, control } = context;
  const batch = config.batchSize;

  const nets = coganNetworksForConfig(config);
  let currentStep = 0;
  const stepper = createCoGanStepper(nets, {
    objective: config.ganMode,
    learningRate: config.lr,
    beta1: config.beta1,
    weightDecay: config.weightDecay,
    lambdaGp: config.lambdaGp,
    nCritic: config.nCritic,
    latent: (iteration, n) => latentCodes(n, config.zDim, config.seed, currentStep, LATENT_STREAM.training, iteration),
    penaltySeed: (critic) => seedFor(config.seed, currentStep, LATENT_STREAM.penalty, critic),
  });
  const target = () => ({ networks: coganStores(nets), optimizers: stepper.optimizers });

  let startStep = 0;
  const recent = createRecentMetrics();
  let resumedMetrics: MetricsRow[] = [];
  if (job.resumeFrom) {
    const restored = await loadCheckpointInto(job.resumeFrom, target());
    startStep = restored.step;
    resumedMetrics = recentMetricsOf(restored.extra);
  }

  const openStream = (step: number) =>
    openUnpairedStream({
      filesA: job.filesA,
      filesB: job.filesB,
      preprocess: { mode: config.preprocess, loadSize: config.loadSize, cropSize: config.cropSize, flip: config.flip },
      seed: config.seed,
      // Sample k of the stream is image i of the batch of step ⌊k / batch⌋.
      startIndex: step * batch,
      depth: Math.max(4, 2 * batch),
      onSkip: (file, reason) => emit({ type: 'skipped', runId, file, reason }),
    });
  let stream = await openStream(startStep);
  // An epoch is max(|A|, |B|) images of each domain, rounded up to whole batches.
  const epochLength = Math.max(1, Math.ceil(stream.epochLength / batch));
  // No learning-rate schedule: CoGAN trains at the constant config.lr (as the paper), so a
  // maxSteps beyond nEpochs just trains on at that rate (nothing to stretch, unlike CycleGAN's
  // decaying schedules in schedule.ts).
  const totalSteps = config.maxSteps ?? config.nEpochs * epochLength;
  const previewCodes = latentCodes(config.previewSamples, config.zDim, config.seed, 0, LATENT_STREAM.preview);
  const agreementCodes =
    config.relation === 'none'
      ? null
      : latentCodes(Math.max(2, config.agreementSamples), config.zDim, config.seed, 0, LATENT_STREAM.agreement);

  const evaluate = async (step: number, epoch: number) => {
    if (!agreementCodes) return;
    const result = await measureAgreement(nets.G, config.relation, agreementCodes, config.agreementTolerance);
    if (!result) return;
    emit({
      type: 'metrics',
      runId,
      step,
      epoch,
      losses: { agreement: result.agreement, agreement_chance: result.chance, agreement_kappa: result.kappa },
    });
  };
  const save = async (step: number, epoch: number, numbered: boolean) => {
    const dir = path.join(runDir, 'checkpoints', numbered ? String(step).padStart(9, '0') : 'last');
    const saved = await saveCheckpoint(dir, {
      format: 1,
      model: 'cogan',
      step,
      epoch,
      config,
      ...target(),
      extra: { runId, recentMetrics: recent.rows() },
    });
    recent.clear();
    await writeLatest(runDir, { step, path: saved.path });
    if (numbered) {
      await evaluate(step, epoch);
      emit({ type: 'checkpoint', runId, step, epoch, path: saved.path, bytes: saved.bytes });
    } else emit({ type: 'saved', runId, step });
  };
  const preview = async (step: number) => {
    const file = path.join(runDir, 'previews', `${String(step).padStart(9, '0')}.png`);
    await writeCoGanPreview(nets.G, previewCodes, file);
    emit({ type: 'preview', runId, step, path: file });
  };

  const milestones: MilestonePlan = {
    previewEvery: config.previewEvery,
    epochLength,
    checkpointEveryEpochs: config.checkpointEveryEpochs,
    // The loop's end writes the last step's numbered checkpoint (and its agreement) once.
    numberedBefore: totalSteps,
  };
  const guard = { runId, runDir, emit, control, restore: rollBackTo };

  emit({ type: 'started', runId, backend: context.backend, startStep, totalSteps, epochLength });
  // The rows of the steps the checkpoint covers, again: a host killed before it stored them gets them now.
  for (const row of resumedMetrics) emit({ type: 'metrics', runId, ...row, replayed: true });
  const pace = createPaceMeter(batch);
  let step = startStep;
  let finished: 'completed' | 'stopped' = 'completed';
  try {
    if (startStep === 0) {
      // The untrained pair's agreement is the baseline every later figure is read against.
      await evaluate(0, 0);
      await preview(0);
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
      const samples: UnpairedSample[] = [];
      for (let i = 0; i < batch; i++) samples.push(await stream.next());
      currentStep = step;
      const real = batchTensors(samples, config.cropSize);
      let losses: CoGanLosses;
      try {
        losses = await stepper.step(real.a, real.b);
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
      emit({ type: 'progress', runId, step, epoch, totalSteps, epochLength, ...figures, learningRate: config.lr });
      await afterStep(step, milestones, { preview, save });
    }
    // The final state is always a numbered checkpoint, whether the run completed or was stopped.
    await atLoopEnd(step, milestones, { preview, save });
    emit({ type: 'finished', runId, status: finished, step });
  } finally {
    stream.close();
    tf.dispose([previewCodes, ...(agreementCodes ? [agreementCodes] : [])]);
    stepper.dispose();
    disposeCoGanNetworks(nets);
  }

  /** Restores the nets and optimizers from a checkpoint and reopens the data there. */
  async function rollBackTo(checkpointPath: string): Promise<number> {
    // The steps after the checkpoint are trained again: their kept rows would be stale.
    recent.clear();
    const restored = await loadCheckpointInto(checkpointPath, target());
    stream.close();
    stream = await openStream(restored.step);
    return restored.step;
  }
}
