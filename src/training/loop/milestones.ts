// When a training loop writes previews and checkpoints: after each step (every `previewEvery`
// steps, at each epoch end) and once more when the loop ends, which always leaves a numbered
// checkpoint. Shared so both trainers keep the same on-disk rhythm.

export interface MilestonePlan {
  previewEvery: number;
  epochLength: number;
  checkpointEveryEpochs: number;
  /**
   * Set to the run's total steps to leave the numbered checkpoint of the very last step to
   * `atLoopEnd` alone (which writes one anyway); unset, that step is saved numbered twice.
   */
  numberedBefore?: number;
}

export interface MilestoneActions {
  preview(step: number): Promise<void>;
  /** Writes a checkpoint; `numbered` ones are kept, the others overwrite 'last'. */
  save(step: number, epoch: number, numbered: boolean): Promise<void>;
}

/** Runs after a finished step, `step` being the number of steps done. */
export async function afterStep(step: number, plan: MilestonePlan, actions: MilestoneActions): Promise<void> {
  if (step % plan.previewEvery === 0) await actions.preview(step);
  if (step % plan.epochLength === 0) {
    const epochsDone = step / plan.epochLength;
    const numbered =
      epochsDone % plan.checkpointEveryEpochs === 0 &&
      (plan.numberedBefore === undefined || step < plan.numberedBefore);
    await actions.save(step, epochsDone, numbered);
  }
}

/** Runs once the loop ends, completed or stopped: a last preview and a numbered checkpoint. */
export async function atLoopEnd(step: number, plan: MilestonePlan, actions: MilestoneActions): Promise<void> {
  if (step % plan.previewEvery !== 0) await actions.preview(step);
  await actions.save(step, Math.floor(step / plan.epochLength), true);
}
