// When previews and checkpoints are written: every previewEvery steps, at each epoch end (numbered
// every checkpointEveryEpochs epochs), and once more at the loop's end.
import { expect, test } from 'vitest';
import { afterStep, atLoopEnd, type MilestonePlan } from '../../../src/training/loop/milestones.ts';

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      preview: async (step: number) => void calls.push(`preview ${step}`),
      save: async (step: number, epoch: number, numbered: boolean) =>
        void calls.push(`save ${step} epoch ${epoch}${numbered ? ' numbered' : ''}`),
    },
  };
}

test('previews every previewEvery steps; epoch ends save, every second one numbered', async () => {
  const plan: MilestonePlan = { previewEvery: 3, epochLength: 4, checkpointEveryEpochs: 2 };
  const { calls, actions } = recorder();
  for (let step = 1; step <= 9; step++) await afterStep(step, plan, actions);
  expect(calls).toEqual(['preview 3', 'save 4 epoch 1', 'preview 6', 'save 8 epoch 2 numbered', 'preview 9']);
});

test('numberedBefore leaves the last step to the loop end; without it the last step is numbered too', async () => {
  const base: MilestonePlan = { previewEvery: 100, epochLength: 2, checkpointEveryEpochs: 1 };
  const deferred = recorder();
  for (let step = 1; step <= 4; step++) await afterStep(step, { ...base, numberedBefore: 4 }, deferred.actions);
  expect(deferred.calls).toEqual(['save 2 epoch 1 numbered', 'save 4 epoch 2']);
  const plain = recorder();
  for (let step = 1; step <= 4; step++) await afterStep(step, base, plain.actions);
  expect(plain.calls).toEqual(['save 2 epoch 1 numbered', 'save 4 epoch 2 numbered']);
});

test('the loop end previews unless this step already did, then saves numbered', async () => {
  const plan: MilestonePlan = { previewEvery: 5, epochLength: 4, checkpointEveryEpochs: 1 };
  const stopped = recorder();
  await atLoopEnd(7, plan, stopped.actions);
  expect(stopped.calls).toEqual(['preview 7', 'save 7 epoch 1 numbered']);
  const onPreviewStep = recorder();
  await atLoopEnd(10, plan, onPreviewStep.actions);
  expect(onPreviewStep.calls).toEqual(['save 10 epoch 2 numbered']);
});
