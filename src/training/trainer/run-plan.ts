// How long a run trains and at which rate, from its config, its model's schedule and the data's
// epoch length: a pure function of those, so a resumed run finds the same length and rates.
import { learningRateAtStep, planSchedule } from '../schedule.ts';
import type { ModelTrainer, TrainingConfig } from './model-definition.ts';

export interface RunPlan {
  totalSteps: number;
  /** The rate every optimizer trains step `step` at. */
  rateAt(step: number): number;
  /** Whether the optimizers' rate changes over the run (else it stays the one they were built with). */
  scheduled: boolean;
  /** A sentence for the person starting the run (a stretched schedule), for the 'started' event. */
  note: string | null;
}

export function planRun(config: TrainingConfig, schedule: ModelTrainer['schedule'], epochLength: number): RunPlan {
  if (!schedule) {
    // A constant rate: a maxSteps beyond nEpochs just trains on at it (nothing to stretch).
    return {
      totalSteps: config.maxSteps ?? config.nEpochs * epochLength,
      rateAt: () => config.lr,
      scheduled: false,
      note: null,
    };
  }
  // A maxSteps beyond the schedule's end stretches it (see schedule.ts).
  const plan = planSchedule(schedule, epochLength, config.maxSteps);
  return {
    totalSteps: plan.totalSteps,
    rateAt: (step) => learningRateAtStep(plan, step),
    scheduled: true,
    note: plan.note,
  };
}
