// The engine picks a training job's trainer through the model registry: a config of a model this
// version does not list ends the job with the registry's words, before any backend starts.
import { expect, it } from 'vitest';
import type { EngineToHost, HostToEngine, TrainJob } from '../../../src/shared/engine-protocol.ts';
import { runEngine } from '../../../src/training/engine/run-engine.ts';
import { MODEL_DEFINITIONS } from '../../../src/training/models/registry.ts';

it('refuses a training job of a model the registry does not list, by name', async () => {
  const sent: EngineToHost[] = [];
  let deliver: (message: HostToEngine) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    runEngine({
      pid: 1,
      send: (message) => sent.push(message),
      onMessage: (listener) => {
        deliver = listener;
      },
      exit: resolve,
    });
  });
  const job = { runId: 'r', runDir: '/nowhere', config: { model: 'pix2pix' }, filesA: [], filesB: [] };
  deliver({ type: 'train', job: job as unknown as TrainJob });
  expect(await exited).toBe(1);
  expect(sent.map((m) => m.type)).toEqual(['ready', 'fatal']);
  expect(sent[1]).toMatchObject({
    message: `this version of Diptych has no model named "pix2pix" (it knows ${MODEL_DEFINITIONS.map((d) => d.name).join(', ')})`,
  });
});
