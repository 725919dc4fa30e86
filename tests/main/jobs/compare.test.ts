// Comparing checkpoints through the host with a real engine process: the result and its grids,
// the cache (a repeat starts no engine; a new checkpoint alone is computed; a changed image set
// misses; an image set cached before baselines existed gets them computed without its checkpoints),
// and requests that cannot be compared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineLauncher } from '../../../src/main/engine/launcher.ts';
import { forkEngine } from '../../../src/main/engine/launcher.ts';
import { createHost, type Host } from '../../../src/main/host.ts';
import { startCompare } from '../../../src/main/jobs/compare.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { createRun, runFolder } from '../../../src/main/store/runs.ts';
import { checkpointDir, writeLatest } from '../../../src/node/checkpoint/latest.ts';
import type { CompareEvent, CompareJob } from '../../../src/shared/compare.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import type { CycleGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { disposeNetworks, networksForConfig } from '../../../src/training/cyclegan/networks.ts';
import { tinyRunConfig } from '../../training/inference/helpers.ts';

let root: string;
let host: Host;
let data: { a: string; b: string; truth: string };
let runA: string;
let runB: string;
const jobs: CompareJob[] = [];

/** A checkpoint of the tiny networks with weights of its own (drawn from `seed`), made the run's latest. */
async function saveTinyCheckpoint(runDir: string, step: number, config: CycleGanConfig, seed: number) {
  const nets = networksForConfig(config);
  for (const net of [nets.G_A, nets.G_B])
    for (const variable of net.params.variables.values())
      tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 0.2, 'float32', seed++)));
  const dir = checkpointDir(runDir, step);
  await saveCheckpoint(dir, {
    format: 1,
    model: 'cyclegan',
    step,
    epoch: 0,
    config,
    networks: { G_A: nets.G_A.params, G_B: nets.G_B.params },
    optimizers: {},
  });
  await writeLatest(runDir, { step, path: dir });
  disposeNetworks(nets);
}

/** Forks real engines and keeps the jobs they were sent. */
const launch: EngineLauncher = (options) => {
  const engine = forkEngine(options);
  return {
    ...engine,
    pid: engine.pid,
    send: (message) => {
      if (message.type === 'compare') jobs.push(message.job);
      engine.send(message);
    },
  };
};

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-job-'));
  host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false, backend: 'cpu' });
  data = await writeSamples({
    out: path.join(root, 'samples', 'palette'),
    kind: 'palette',
    count: 5,
    size: 32,
    seed: 4,
  });
  const config = tinyRunConfig();
  runA = createRun(host.db, { name: 'first', model: 'cyclegan', config });
  runB = createRun(host.db, { name: 'second', model: 'cyclegan', config: tinyRunConfig({ seed: 9 }) });
  for (const [run, step, seed] of [
    [runA, 10, 100],
    [runA, 42, 200],
    [runB, 5, 300],
  ] as const)
    await saveTinyCheckpoint(runFolder(host.workspace, run), step, config, seed);
});
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('startCompare', () => {
  it('scores each checkpoint, writes one grid per image and caches the scores', { timeout: 120_000 }, async () => {
    const events: CompareEvent[] = [];
    const handle = await startCompare(
      { ...host, launch },
      {
        checkpoints: [
          { runId: runA, step: 10 },
          { runId: runA, step: 'latest' },
        ],
        a: data.a,
        b: data.b,
        count: 3,
      },
    );
    handle.onEvent((event) => events.push(event));
    const result = await handle.done;
    expect(jobs).toHaveLength(1);
    expect(result.size).toBe(32);
    expect(result.checkpoints.map((c) => [c.label, c.cached])).toEqual([
      [`${runA}:10`, false],
      [`${runA}:42`, false],
    ]);
    // The sample is spread over the 5 files: 0, 1 and 3.
    expect(result.images.A.map((f) => path.basename(f))).toEqual([
      'palette-0000.png',
      'palette-0001.png',
      'palette-0003.png',
    ]);
    // The palette sample set: A's truth from truth/, B's by the relation; both measured.
    expect(result.truth.A).toHaveLength(3);
    expect(result.truth.B).toHaveLength(3);
    expect(result.checkpoints[0]?.scores.AtoB.truth).not.toBeNull();
    // What ran the forward passes: the default engine, ONNX Runtime, here on the CPU (issue 17).
    expect(result.checkpoints[0]?.scores.engine).toMatch(/^ONNX Runtime [\d.]+, CPU, \d+ threads?$/);
    expect(result.checkpoints[0]?.scores.BtoA?.truth).not.toBeNull();
    // The baselines of both directions (the palette set knows both truths), kept beside the input tiles.
    expect(Object.keys(result.baselines.AtoB ?? {})).toEqual(['input', 'targetMean', 'colourTransfer']);
    expect(result.baselines.BtoA?.input.psnr).toBeGreaterThan(0);
    expect(result.baselines.AtoB?.colourTransfer).not.toEqual(result.baselines.AtoB?.input);
    expect(fs.existsSync(path.join(host.workspace.root, 'compare', result.imageSet, 'baselines.json'))).toBe(true);
    // Two different checkpoints score differently.
    expect(result.checkpoints[0]?.scores.AtoB.cycle?.l1).not.toBe(result.checkpoints[1]?.scores.AtoB.cycle?.l1);
    // Grid: input, truth, then translation + reconstruction of each checkpoint, 2 px apart.
    expect(result.grids.A).toHaveLength(3);
    const meta = await sharp(result.grids.A[0] as string).metadata();
    expect([meta.width, meta.height]).toEqual([6 * 32 + 5 * 2, 32]);
    expect(fs.existsSync(path.join(result.gridsDir, 'compare.json'))).toBe(true);
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
    expect(events.at(-1)?.type).toBe('finished');
  });

  it('a repeat is read from the cache without an engine; a new checkpoint alone is computed', {
    timeout: 120_000,
  }, async () => {
    const first = await (
      await startCompare(
        { ...host, launch },
        {
          checkpoints: [
            { runId: runA, step: 10 },
            { runId: runA, step: 42 },
          ],
          a: data.a,
          b: data.b,
          count: 3,
        },
      )
    ).done;
    expect(jobs).toHaveLength(1);
    expect(first.checkpoints.every((c) => c.cached)).toBe(true);

    const mixed = await (
      await startCompare(
        { ...host, launch },
        {
          checkpoints: [
            { runId: runA, step: 42 },
            { runId: runB, step: 'latest' },
          ],
          a: data.a,
          b: data.b,
          count: 3,
        },
      )
    ).done;
    expect(jobs).toHaveLength(2);
    expect(jobs[1]?.checkpoints.map((c) => c.key)).toEqual([`${runB}:5`]);
    expect(mixed.checkpoints.map((c) => c.cached)).toEqual([true, false]);
    expect(mixed.checkpoints[0]?.scores).toEqual(first.checkpoints[1]?.scores);
    expect(mixed.baselines).toEqual(first.baselines);
  });

  it('computes the baselines of a set cached without them, and only them', { timeout: 120_000 }, async () => {
    const options = {
      checkpoints: [
        { runId: runA, step: 10 },
        { runId: runA, step: 42 },
      ],
      a: data.a,
      b: data.b,
      count: 3,
    };
    const before = await (await startCompare({ ...host, launch }, options)).done;
    const file = path.join(host.workspace.root, 'compare', before.imageSet, 'baselines.json');
    for (const older of [null, '{"AtoB": null, "BtoA": null}\n', 'not json']) {
      // As a version without baselines left it (no file), or with a file that no longer fits the set.
      if (older === null) fs.rmSync(file);
      else fs.writeFileSync(file, older);
      const launched = jobs.length;
      const after = await (await startCompare({ ...host, launch }, options)).done;
      expect(jobs.length).toBe(launched + 1);
      expect(jobs.at(-1)?.checkpoints).toEqual([]);
      expect(after.checkpoints.every((c) => c.cached)).toBe(true);
      expect(after.baselines).toEqual(before.baselines);
    }
  });

  it('misses when an image of the set changes', { timeout: 120_000 }, async () => {
    const options = { checkpoints: [{ runId: runA, step: 42 }], a: data.a, b: data.b, count: 3 };
    const before = await (await startCompare({ ...host, launch }, options)).done;
    expect(before.checkpoints[0]?.cached).toBe(true);
    const launched = jobs.length;
    // Replace a sampled B image with another picture (same name).
    const other = path.join(data.b, 'palette-0001.png');
    fs.copyFileSync(path.join(data.b, 'palette-0002.png'), other);
    const after = await (await startCompare({ ...host, launch }, options)).done;
    expect(jobs.length).toBe(launched + 1);
    expect(after.imageSet).not.toBe(before.imageSet);
    expect(after.checkpoints[0]?.cached).toBe(false);
  });

  it('recomputes an entry whose tile is gone, and reports an engine failure as failed', {
    timeout: 120_000,
  }, async () => {
    // runA:42 on the changed image set was computed by the test before.
    const options = { checkpoints: [{ runId: runA, step: 42 }], a: data.a, b: data.b, count: 3 };
    const cached = await (await startCompare({ ...host, launch }, options)).done;
    expect(cached.checkpoints[0]?.cached).toBe(true);
    fs.rmSync(cached.checkpoints[0]?.scores.BtoA?.reconstructed[1] as string);
    const launched = jobs.length;
    const redone = await (await startCompare({ ...host, launch }, options)).done;
    expect(jobs.length).toBe(launched + 1);
    expect(redone.checkpoints[0]?.cached).toBe(false);
    expect(fs.existsSync(redone.checkpoints[0]?.scores.BtoA?.reconstructed[1] as string)).toBe(true);

    // An engine that fails: the reason reaches the caller and the event stream.
    fs.rmSync(path.join(runFolder(host.workspace, runA), 'compare'), { recursive: true });
    const failing: EngineLauncher = () => {
      const listeners: { message: ((m: EngineToHost) => void)[]; exit: ((code: number | null) => void)[] } = {
        message: [],
        exit: [],
      };
      setImmediate(() => {
        for (const l of listeners.message) l({ type: 'ready', pid: 1 });
      });
      return {
        pid: 1,
        send: () => {
          for (const l of listeners.message) l({ type: 'fatal', message: 'out of memory in the test' });
          for (const l of listeners.exit) l(1);
        },
        onMessage: (l) => listeners.message.push(l),
        onExit: (l) => listeners.exit.push(l),
        kill: () => {},
      };
    };
    const handle = await startCompare({ ...host, launch: failing }, options);
    const events: CompareEvent[] = [];
    handle.onEvent((event) => events.push(event));
    await expect(handle.done).rejects.toThrow('out of memory in the test');
    expect(events.at(-1)).toEqual({ type: 'failed', message: 'out of memory in the test' });
  });

  it('refuses what cannot be compared, naming it', async () => {
    const base = { a: data.a, b: data.b };
    await expect(
      startCompare({ ...host, launch }, { ...base, checkpoints: [{ runId: 'nope', step: 1 }] }),
    ).rejects.toThrow(/nope/);
    await expect(
      startCompare({ ...host, launch }, { ...base, checkpoints: [{ runId: runA, step: 7 }] }),
    ).rejects.toThrow(/no checkpoint at step 7 \(it has 10, 42\)/);
    await expect(
      startCompare(
        { ...host, launch },
        {
          ...base,
          checkpoints: [
            { runId: runA, step: 42 },
            { runId: runA, step: 'latest' },
          ],
        },
      ),
    ).rejects.toThrow(/named twice/);
    await expect(
      startCompare(
        { ...host, launch },
        { ...base, a: path.join(root, 'missing'), checkpoints: [{ runId: runA, step: 42 }] },
      ),
    ).rejects.toThrow(/does not exist/);
  });
});
