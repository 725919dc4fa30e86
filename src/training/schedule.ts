// Learning-rate schedules as the CycleGAN reference's get_scheduler, computed in closed form from
// the epoch so that a resumed run needs no scheduler state: the epoch in its checkpoint is enough.
//
// Epoch counting. `epoch` here is the 0-based index of the epoch about to be trained: 0 is the
// first epoch of a run. The reference (2017–2019 train.py) built a LambdaLR/StepLR whose index
// starts at 0 and called scheduler.step() at the END of each epoch, so its training epoch k
// (1-based, `epoch_count` = 1) ran at index k − 1: exactly our `epoch`. Its linear rule
//   factor(e) = 1 − max(0, e + epoch_count − n_epochs) / (n_epochs_decay + 1)
// with epoch_count = 1 is therefore, for our 0-based epoch e,
//   factor(e) = 1 − max(0, e + 1 − nEpochs) / (nEpochsDecay + 1)
// epochs 0 … nEpochs − 1 train at the full rate, epoch nEpochs at lr·d/(d + 1) (d = nEpochsDecay),
// the last epoch nEpochs + d − 1 at lr/(d + 1), and the rate reaches 0 only after training ends:
// "keep the same learning rate for the first 100 epochs and linearly decay the rate to zero over
// the next 100 epochs" (the paper). A resumed run passes its absolute epoch, which is what the
// reference's --epoch_count did. (Its later train.py steps the scheduler at the START of each epoch,
// which shifts all of this one epoch earlier and trains the last epoch at lr 0; we keep the paper's.)
//
// step:   lr · 0.1^⌊e / decayEvery⌋ (StepLR, step_size = lr_decay_iters, γ = 0.1).
// cosine: lr · (1 + cos(π · e / T)) / 2 with T = nEpochs + nEpochsDecay, 0 from e = T on. The
//         reference passes T_max = n_epochs and then keeps training for n_epochs_decay more epochs,
//         over which CosineAnnealingLR climbs back up to lr; annealing over the whole run is what
//         the option promises, so Diptych uses the run's length.
//
// A run longer than its schedule (maxSteps, the CLI's --steps, beyond nEpochs + nEpochsDecay
// epochs of the data) STRETCHES the linear and cosine schedules to the run's length: decided here,
// because only the engine knows the epoch length (it is max(|A|, |B|), known once the dataset is
// scanned). The schedule's nEpochs + nEpochsDecay epochs are spread evenly over the run's steps,
// so the constant part and the decay keep their ratio and the last step still trains at
// lr/(nEpochsDecay + 1) (linear), never at 0 or below. Training on at the schedule's end would
// mean a rate of 0 (useless steps) and then a negative one. Stretching is a pure function of the
// config and the epoch length (`planSchedule`), so a resumed run finds the same rate at every
// step. A run shorter than its schedule simply stops early (the schedule is not compressed: that
// is what --steps has always meant for a quick try). The `step` policy has no end (×0.1 every
// decayEvery epochs of the data, positive for ever) and is never stretched. A schedule of no
// length (nEpochs = nEpochsDecay = 0, allowed with maxSteps) trains at the constant rate.
import type * as tf from '@tensorflow/tfjs-core';

export type LrPolicy = 'linear' | 'step' | 'cosine';

export interface LrSchedule {
  policy: LrPolicy;
  /** The initial learning rate (the reference's --lr, 2e-4). */
  lr: number;
  /** Epochs at the initial rate (linear), and with nEpochsDecay the run's length (cosine). */
  nEpochs: number;
  /** Epochs of linear decay to zero after nEpochs. */
  nEpochsDecay: number;
  /** Epochs between ×0.1 steps (the reference's --lr_decay_iters, default 50); step policy only. */
  decayEvery?: number;
}

export const DEFAULT_LR_DECAY_ITERS = 50;

/** A run config's schedule, as the reference's options name it (CycleGAN's and CUT's configs share them). */
export function scheduleOfConfig(config: {
  lrPolicy: LrPolicy;
  lr: number;
  nEpochs: number;
  nEpochsDecay: number;
  lrDecayIters: number;
}): LrSchedule {
  return {
    policy: config.lrPolicy,
    lr: config.lr,
    nEpochs: config.nEpochs,
    nEpochsDecay: config.nEpochsDecay,
    decayEvery: config.lrDecayIters,
  };
}

export function learningRateAt(schedule: LrSchedule, epoch: number): number {
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch ${epoch} is not a whole number ≥ 0`);
  const { lr, nEpochs, nEpochsDecay } = schedule;
  switch (schedule.policy) {
    case 'linear':
      // Clamped: 0 from epoch nEpochs + nEpochsDecay on, never negative (a second line of defence
      // behind planSchedule, which keeps a run within its schedule).
      return Math.max(0, lr * (1 - Math.max(0, epoch + 1 - nEpochs) / (nEpochsDecay + 1)));
    case 'step': {
      const every = schedule.decayEvery ?? DEFAULT_LR_DECAY_ITERS;
      if (!(every >= 1)) throw new Error(`step schedule: decayEvery ${every} must be at least 1 epoch`);
      return lr * 0.1 ** Math.floor(epoch / every);
    }
    case 'cosine': {
      const total = nEpochs + nEpochsDecay;
      if (epoch >= total) return 0;
      return (lr * (1 + Math.cos((Math.PI * epoch) / total))) / 2;
    }
  }
}

/** How a run of `totalSteps` steps walks through its schedule; see the header. */
export interface SchedulePlan {
  schedule: LrSchedule;
  /** The data's epoch length in steps. */
  epochLength: number;
  /** Steps the run trains: maxSteps, or the schedule's length. */
  totalSteps: number;
  /** Steps of the schedule as configured: (nEpochs + nEpochsDecay) × epochLength. */
  scheduleSteps: number;
  /** The schedule's epochs are spread over totalSteps instead of lasting one data epoch each. */
  stretched: boolean;
  /** A sentence for the person starting the run when the schedule was stretched (or ignored); else null. */
  note: string | null;
}

const ENDING_POLICIES: readonly LrPolicy[] = ['linear', 'cosine'];

export function planSchedule(schedule: LrSchedule, epochLength: number, maxSteps: number | null): SchedulePlan {
  if (!Number.isInteger(epochLength) || epochLength < 1)
    throw new Error(`epoch length ${epochLength} is not a whole number ≥ 1`);
  const epochs = schedule.nEpochs + schedule.nEpochsDecay;
  const scheduleSteps = epochs * epochLength;
  const totalSteps = maxSteps ?? scheduleSteps;
  const ends = ENDING_POLICIES.includes(schedule.policy);
  const stretched = ends && epochs > 0 && totalSteps > scheduleSteps;
  let note: string | null = null;
  if (stretched) {
    const perEpoch = totalSteps / epochs;
    const constantTo = Math.ceil(schedule.nEpochs * perEpoch);
    const shape =
      schedule.policy === 'linear'
        ? `full rate to step ${constantTo}, then down linearly towards 0 by step ${totalSteps}`
        : `annealed from the full rate towards 0 by step ${totalSteps}`;
    note =
      `${totalSteps} steps is longer than the learning-rate schedule (${schedule.nEpochs} + ${schedule.nEpochsDecay} ` +
      `epochs of ${epochLength} steps = ${scheduleSteps} steps): the ${schedule.policy} schedule is stretched to ` +
      `${totalSteps} steps, about ${Number(perEpoch.toFixed(1))} per schedule epoch (${shape}).`;
  } else if (ends && epochs === 0) {
    note = `nEpochs and nEpochsDecay are both 0: the ${schedule.policy} schedule has no length, so all ${totalSteps} steps train at the full rate.`;
  }
  return { schedule, epochLength, totalSteps, scheduleSteps, stretched, note };
}

/** The schedule's epoch for a step (0-based): the data's epoch, or the stretched one. */
export function scheduleEpochAt(plan: SchedulePlan, step: number): number {
  if (!Number.isInteger(step) || step < 0) throw new Error(`step ${step} is not a whole number ≥ 0`);
  if (!plan.stretched) return Math.floor(step / plan.epochLength);
  const epochs = plan.schedule.nEpochs + plan.schedule.nEpochsDecay;
  // Whole numbers (≤ 1e8 × 2e5 < 2^53): exact, the same at resume. Steps ≥ totalSteps (none are
  // trained) stay on the last epoch.
  return Math.min(epochs - 1, Math.floor((step * epochs) / plan.totalSteps));
}

/** The rate of a step of a planned run: never negative, whatever the step. */
export function learningRateAtStep(plan: SchedulePlan, step: number): number {
  const { schedule } = plan;
  if (ENDING_POLICIES.includes(schedule.policy) && schedule.nEpochs + schedule.nEpochsDecay === 0) return schedule.lr;
  return Math.max(0, learningRateAt(schedule, scheduleEpochAt(plan, step)));
}

/**
 * Sets the rate an Adam optimizer uses from its next applyGradients on. tfjs keeps it in the
 * `learningRate` field (declared protected, read afresh on every step; there is no setter), so
 * this writes that field, after checking that it is there: a tfjs that moved it fails loudly here
 * instead of silently training at the old rate. The moments and step count are untouched, as with
 * torch's param_group['lr'] = …
 */
export function setLearningRate(optimizer: tf.AdamOptimizer, lr: number): void {
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`learning rate ${lr} is not a finite number ≥ 0`);
  const fields = optimizer as unknown as { learningRate?: unknown };
  if (typeof fields.learningRate !== 'number')
    throw new Error('this TensorFlow.js Adam optimizer keeps no numeric learningRate field; cannot change its rate');
  fields.learningRate = lr;
}

export function learningRateOf(optimizer: tf.AdamOptimizer): number {
  return (optimizer.getConfig() as { learningRate: number }).learningRate;
}
