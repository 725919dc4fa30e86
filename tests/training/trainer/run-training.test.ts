// The trainer skeleton with a made-up model of one 3-number "network": the loop, the batches, the
// learning rate, the milestones, the model's own figures, stop, exact resume and the NaN guard's
// roll-back all go through the model definition, with nothing of CycleGAN's or CoGAN's code.
//
// A checkpoint manifest names a model the version knows, so the fake borrows CycleGAN's name and
// config (whose fields the skeleton reads); every step, preview and state is the fake's own.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineToHost, TrainJob } from '../../../src/shared/engine-protocol.ts';
import type { CycleGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import type { PoolState } from '../../../src/training/checkpoint/index.ts';
import { createJobControl, type JobControl } from '../../../src/training/control.ts';
import { keyedRandom } from '../../../src/training/data/random.ts';
import { createParamStore, disposeParams, zerosParam } from '../../../src/training/nn/params.ts';
import { learningRateOf } from '../../../src/training/schedule.ts';
import type { ModelDefinition, ModelTrainer } from '../../../src/training/trainer/model-definition.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';
import { sampleDomains, tempDir, tinyConfig } from '../cyclegan/helpers.ts';

interface FakeLog {
  /** (step, batch shape) of every step() call, in order. */
  steps: [number, number[]][];
  /** Trainers built and not yet disposed. */
  live: number;
  /** The rate the optimizer had at each step. */
  rates: number[];
}

/**
 * A model whose "network" w (3 numbers) moves towards the mean pixel of A plus a noise keyed by
 * (seed, step), with an Adam; its extra state counts the steps it trained (as a pool would hold
 * images); its figure is w's mean. `nanAt`: the step (0-based) whose loss comes out NaN, once.
 */
function fakeModel(log: FakeLog, nanAt: number | null = null): ModelDefinition<CycleGanConfig> {
  let nanLeft = nanAt === null ? 0 : 1;
  return {
    name: 'cyclegan',
    directions: ['AtoB'],
    lossNames: ['L'],
    async createTrainer(config) {
      const store = createParamStore('W');
      const w = zerosParam(store, 'w', [3]);
      const optimizer = tf.train.adam(config.lr, 0.5, 0.999);
      let trained = 0;
      log.live++;
      const trainer: ModelTrainer = {
        batchSize: 2,
        imageSize: config.cropSize,
        schedule: { policy: 'linear', lr: config.lr, nEpochs: 1, nEpochsDecay: 1 },
        networks: { W: store },
        optimizers: { G: optimizer },
        async step(real, step) {
          log.steps.push([step, real.a.shape]);
          log.rates.push(learningRateOf(optimizer));
          const noise = keyedRandom(config.seed, step, 0xf00d)();
          const result = optimizer.minimize(
            () => tf.mean(tf.square(tf.sub(w, tf.add(tf.mean(real.a), noise)))) as tf.Scalar,
            true,
            [w],
          ) as tf.Scalar;
          const loss = (await result.data())[0] as number;
          result.dispose();
          trained++;
          if (step === nanAt && nanLeft > 0) {
            nanLeft--;
            return { L: Number.NaN };
          }
          return { L: loss };
        },
        writePreview: async (file) => {
          await fs.promises.mkdir(path.dirname(file), { recursive: true });
          await fs.promises.writeFile(file, `trained ${trained}`);
        },
        saveExtraState: async () => ({
          count: { capacity: 1, images: [{ shape: [1], data: Float32Array.of(trained) }] },
        }),
        restoreExtraState(state: Record<string, PoolState>) {
          trained = state.count?.images[0]?.data[0] ?? Number.NaN;
        },
        measure: async () => ({ w_mean: (await tf.mean(w).data())[0] as number, trained }),
        dispose() {
          optimizer.dispose();
          disposeParams(store);
          log.live--;
        },
      };
      return trainer;
    },
    loadTranslator: () => Promise.reject(new Error('the fake model translates nothing')),
  };
}

const newLog = (): FakeLog => ({ steps: [], live: 0, rates: [] });

const dirs: string[] = [];
let data: { a: string; b: string };
let files: { filesA: string[]; filesB: string[] };
beforeAll(async () => {
  await selectBackend('cpu');
  const samples = await sampleDomains('palette', 6, 16);
  data = samples;
  dirs.push(path.dirname(samples.a));
  const list = (folder: string) =>
    fs
      .readdirSync(folder)
      .sort()
      .map((f) => path.join(folder, f));
  files = { filesA: list(samples.a), filesB: list(samples.b) };
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** 6 images in batches of 2: an epoch is 3 steps; a checkpoint every epoch, a preview every 2 steps. */
function config(maxSteps: number): CycleGanConfig {
  return tinyConfig(data.a, data.b, {
    cropSize: 16,
    loadSize: 16,
    maxSteps,
    previewEvery: 2,
    checkpointEveryEpochs: 1,
  });
}

async function run(
  definition: ModelDefinition,
  maxSteps: number,
  options: { runDir?: string; resumeFrom?: string; onEvent?: (event: EngineToHost, control: JobControl) => void } = {},
) {
  const runDir = options.runDir ?? tempDir('diptych-skeleton-');
  dirs.push(runDir);
  const control = createJobControl();
  const events: EngineToHost[] = [];
  const job: TrainJob = { runId: 'fake', runDir, config: config(maxSteps), ...files, resumeFrom: options.resumeFrom };
  await runTraining(definition, job, {
    emit: (event) => {
      events.push(event);
      options.onEvent?.(event, control);
    },
    control,
    backend: { name: 'cpu', version: 'test', device: 'test' } as never,
  });
  return { events, runDir };
}

const losses = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' && !e.replayed && 'L' in e.losses ? [[e.step, e.losses.L]] : []));
const lastCheckpoint = (events: EngineToHost[]) => {
  const event = events.filter((e) => e.type === 'checkpoint').at(-1);
  if (event?.type !== 'checkpoint') throw new Error('no checkpoint');
  return event.path;
};
/** The model's own figures (w's mean, steps trained), in order. */
const figures = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' && 'trained' in e.losses ? [e.losses] : []));
/** The events without the pace figures and paths, as (type, step) and the fields a test reads. */
const outline = (events: EngineToHost[]) =>
  events.map((e) => {
    if (e.type === 'metrics') return `metrics ${e.step}${'L' in e.losses ? '' : ` ${Object.keys(e.losses).join(',')}`}`;
    if ('step' in e) return `${e.type} ${e.step}`;
    return e.type;
  });

describe('runTraining with a model definition of its own', () => {
  it('runs the loop, the schedule and the milestones through the definition', { timeout: 60_000 }, async () => {
    const log = newLog();
    const { events, runDir } = await run(fakeModel(log), 7);
    expect(log.live).toBe(0);
    // Batches of 2 at the config's crop size, steps numbered from 0.
    expect(log.steps).toEqual(Array.from({ length: 7 }, (_, i) => [i, [2, 16, 16, 3]]));
    expect(events[0]).toMatchObject({ type: 'started', startStep: 0, totalSteps: 7, epochLength: 3 });
    // The model's figures at step 0 and before each numbered checkpoint; previews every 2 steps and at
    // the end; the unnumbered state nowhere (every epoch end is numbered), the last step numbered once.
    expect(outline(events).filter((t) => !t.startsWith('progress'))).toEqual([
      'started',
      'metrics 0 w_mean,trained',
      'preview 0',
      'metrics 1',
      'metrics 2',
      'preview 2',
      'metrics 3',
      'metrics 3 w_mean,trained',
      'checkpoint 3',
      'metrics 4',
      'preview 4',
      'metrics 5',
      'metrics 6',
      'preview 6',
      'metrics 6 w_mean,trained',
      'checkpoint 6',
      'metrics 7',
      'preview 7',
      'metrics 7 w_mean,trained',
      'checkpoint 7',
      'finished 7',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    // The definition's schedule (1 + 1 epochs of 3 steps) stretched over 7 steps: the full rate for
    // steps 0–3, half of it for 4–6, set on the optimizer before each step and reported with it.
    const lr = config(7).lr;
    const rates = events.flatMap((e) => (e.type === 'progress' ? [e.learningRate] : []));
    expect(rates).toEqual([lr, lr, lr, lr, lr / 2, lr / 2, lr / 2]);
    expect(log.rates).toEqual(rates);
    expect(events.find((e) => e.type === 'started')).toHaveProperty('note');
    expect(fs.readFileSync(path.join(runDir, 'previews', '000000007.png'), 'utf8')).toBe('trained 7');
  });

  it('stops after a step with a checkpoint, and resumes from it exactly, extra state included', {
    timeout: 60_000,
  }, async () => {
    const straight = await run(fakeModel(newLog()), 7);
    const log = newLog();
    const first = await run(fakeModel(log), 7, {
      onEvent: (event, control) => {
        if (event.type === 'metrics' && event.step === 4) control.stop();
      },
    });
    expect(first.events.at(-1)).toMatchObject({ type: 'finished', status: 'stopped', step: 4 });
    expect(outline(first.events).slice(-3)).toEqual(['metrics 4 w_mean,trained', 'checkpoint 4', 'finished 4']);
    const second = await run(fakeModel(log), 7, { runDir: first.runDir, resumeFrom: lastCheckpoint(first.events) });
    expect(second.events[0]).toMatchObject({ type: 'started', startStep: 4 });
    // Step 4's row, kept in the checkpoint since the one at step 3, is sent again.
    expect(
      second.events.filter((e) => e.type === 'metrics' && e.replayed).map((e) => (e as { step: number }).step),
    ).toEqual([4]);
    expect(losses(second.events)).toEqual(losses(straight.events).filter(([step]) => (step as number) > 4));
    // The steps after the resume run on from step 4 and the counter came back with the checkpoint.
    expect(log.steps.map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(figures(second.events).at(-1)).toEqual(figures(straight.events).at(-1));
    expect(log.live).toBe(0);
  });

  it('goes back to the newest checkpoint when a loss turns NaN, pauses, and trains on when resumed', {
    timeout: 60_000,
  }, async () => {
    const straight = await run(fakeModel(newLog()), 7);
    const log = newLog();
    const { events } = await run(fakeModel(log, 4), 7, {
      onEvent: (event, control) => {
        if (event.type === 'paused') setTimeout(() => control.resume(), 20);
      },
    });
    expect(events.find((e) => e.type === 'paused')).toMatchObject({ reason: 'non-finite-loss', step: 3 });
    // Step 4 (0-based) failed, so steps 3 and 4 ran again from the checkpoint at 3.
    expect(log.steps.map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 3, 4, 5, 6]);
    expect(outline(events)).toContain('resumed 3');
    // Step 4's row comes twice (before the NaN and again after the roll-back), with the same loss.
    const rows = losses(events);
    expect(rows.map(([step]) => step)).toEqual([1, 2, 3, 4, 4, 5, 6, 7]);
    expect(new Map(rows as [number, number][])).toEqual(new Map(losses(straight.events) as [number, number][]));
    expect(rows[4]).toEqual(rows[3]);
    // The extra state went back with the weights: 7 steps trained in the end, not 9.
    expect(figures(events).at(-1)).toEqual(figures(straight.events).at(-1));
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed', step: 7 });
  });

  it('refuses a config of another model', async () => {
    const cogan = { ...config(1), model: 'cogan' } as unknown as CycleGanConfig;
    const job = { runId: 'x', runDir: tempDir('diptych-skeleton-'), config: cogan, ...files } as TrainJob;
    await expect(
      runTraining(fakeModel(newLog()), job, {
        emit: () => {},
        control: createJobControl(),
        backend: {} as never,
      }),
    ).rejects.toThrow(/the cyclegan trainer got a cogan config/);
  });
});
