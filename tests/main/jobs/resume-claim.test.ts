// A resume claims its run before anything slow happens, and cuts the metrics at the step the engine
// actually loaded (issue "9 · Nothing lost, nothing stuck", items 1 and 3). A scripted engine stands
// in for the real one: these are the host's bookkeeping, not training.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { EngineHandle, EngineLauncher } from '../../../src/main/engine/launcher.ts';
import { createHost, type Host } from '../../../src/main/host.ts';
import { resumeTraining } from '../../../src/main/jobs/training.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { readSeries } from '../../../src/main/store/metrics.ts';
import {
  claimRunForResume,
  createRun,
  getRun,
  markInterruptedRuns,
  releaseRunClaim,
  runFolder,
  setRunStatus,
} from '../../../src/main/store/runs.ts';
import type { EngineToHost, HostToEngine } from '../../../src/shared/engine-protocol.ts';

const roots: string[] = [];
const hosts: Host[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/**
 * An engine that says ready, then on 'train' says it started at `startStep`, says `script(runId)` in
 * one go, and finishes.
 */
function scriptedEngine(
  startStep: number,
  sent: HostToEngine[],
  script: (runId: string) => EngineToHost[] = () => [],
): EngineLauncher {
  return () => {
    let listener: (message: EngineToHost) => void = () => {};
    let exit: (code: number | null) => void = () => {};
    const say = (message: EngineToHost) => setTimeout(() => listener(message), 5);
    const handle: EngineHandle = {
      pid: process.pid,
      send: (message) => {
        sent.push(message);
        if (message.type !== 'train') return;
        const backend = { name: 'cpu' as const, version: 't', device: 'test', fallbacks: [] };
        say({ type: 'started', runId: message.job.runId, backend, startStep, totalSteps: startStep, epochLength: 4 });
        const events = script(message.job.runId);
        setTimeout(() => {
          for (const event of events) listener(event);
        }, 10);
        setTimeout(() => {
          listener({ type: 'finished', runId: message.job.runId, status: 'completed', step: startStep });
          exit(0);
        }, 20);
      },
      onMessage: (l) => {
        listener = l;
        say({ type: 'ready', pid: process.pid });
      },
      onExit: (l) => {
        exit = l;
      },
      kill: () => exit(null),
    };
    return handle;
  };
}

async function hostWithStoppedRun(launchEngine: EngineLauncher, pointerStep: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-resume-'));
  roots.push(root);
  const data = await writeSamples({ out: path.join(root, 'data'), kind: 'palette', count: 2, size: 8, seed: 1 });
  const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false, launchEngine });
  hosts.push(host);
  const runId = createRun(host.db, {
    name: 'r',
    model: 'cyclegan',
    config: { model: 'cyclegan', dataA: data.a, dataB: data.b },
  });
  setRunStatus(host.db, runId, 'running', { enginePid: 999_999_999 });
  for (let step = 1; step <= 20; step++) host.metrics.write({ runId, step, epoch: 0, losses: { G_A: step } });
  host.metrics.flush();
  setRunStatus(host.db, runId, 'stopped');
  // The crash of item 1: `last` already holds a newer step (the scripted engine's), the pointer still
  // says `pointerStep`.
  const checkpoints = path.join(runFolder(host.workspace, runId), 'checkpoints');
  fs.mkdirSync(path.join(checkpoints, 'last'), { recursive: true });
  fs.writeFileSync(
    path.join(checkpoints, 'latest'),
    `${JSON.stringify({ step: pointerStep, path: 'checkpoints/last' })}\n`,
  );
  return { host, runId };
}

describe('resuming a run', () => {
  test('cuts the metrics at the step the engine loaded, not at the pointer’s older step', async () => {
    const sent: HostToEngine[] = [];
    const { host, runId } = await hostWithStoppedRun(scriptedEngine(16, sent), 8);
    const handle = await resumeTraining(host, runId);
    const { outcome } = await handle.done;
    expect(outcome).toBe('completed');
    expect(sent.some((m) => m.type === 'train' && m.job.resumeFrom?.endsWith('last'))).toBe(true);
    // Steps 9–16 are history the checkpoint holds: kept. Steps after 16 will be trained again: cut.
    expect(readSeries(host.db, runId)[0]?.steps).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  test('twice at once: the second is refused with the reason, and only one engine starts', async () => {
    let launches = 0;
    const sent: HostToEngine[] = [];
    const engine = scriptedEngine(8, sent);
    const { host, runId } = await hostWithStoppedRun(() => {
      launches++;
      return engine();
    }, 8);
    const first = resumeTraining(host, runId);
    const second = resumeTraining(host, runId);
    await expect(second).rejects.toThrow(/being started by another process|cannot be resumed twice/);
    const handle = await first;
    await handle.done;
    expect(launches).toBe(1);
  });

  test('with a new learning rate: the engine gets it, and the run’s record and config.json keep it', async () => {
    const sent: HostToEngine[] = [];
    const { host, runId } = await hostWithStoppedRun(scriptedEngine(8, sent), 8);
    const handle = await resumeTraining(host, runId, { lr: 5e-5 });
    await handle.done;
    const train = sent.find((m) => m.type === 'train');
    expect(train?.type === 'train' && (train.job.config as { lr?: number }).lr).toBe(5e-5);
    expect((getRun(host.db, host.workspace, runId).config as { lr?: number }).lr).toBe(5e-5);
    const written = JSON.parse(fs.readFileSync(path.join(runFolder(host.workspace, runId), 'config.json'), 'utf8'));
    expect(written.lr).toBe(5e-5);
    await expect(resumeTraining(host, runId, { lr: 3 })).rejects.toThrow(/not a learning rate/);
    expect(getRun(host.db, host.workspace, runId).status).not.toBe('queued');
  });

  test('a resume that cannot start gives the run back as it was', async () => {
    const { host, runId } = await hostWithStoppedRun(scriptedEngine(8, []), 8);
    fs.rmSync(path.join(runFolder(host.workspace, runId), 'checkpoints', 'latest'));
    await expect(resumeTraining(host, runId)).rejects.toThrow(/no checkpoint to resume from/);
    expect(getRun(host.db, host.workspace, runId)).toMatchObject({ status: 'stopped' });
  });
});

describe('a checkpoint', () => {
  test('puts the metrics of its steps on disk before it is recorded (a host killed then keeps them)', async () => {
    const metrics = (runId: string, step: number): EngineToHost => ({
      type: 'metrics',
      runId,
      step,
      epoch: 0,
      losses: { G_A: step / 100 },
    });
    const script = (runId: string): EngineToHost[] => [
      metrics(runId, 21),
      metrics(runId, 22),
      { type: 'checkpoint', runId, step: 22, epoch: 0, path: path.join(os.tmpdir(), 'nowhere'), bytes: 1 },
    ];
    const { host, runId } = await hostWithStoppedRun(scriptedEngine(20, [], script), 20);
    const handle = await resumeTraining(host, runId);
    let onDiskAtCheckpoint: number[] = [];
    handle.onEvent((event) => {
      // What a host killed right now would leave: the rows already written, not the ones in the buffer.
      if (event.type === 'checkpoint') onDiskAtCheckpoint = readSeries(host.db, runId)[0]?.steps.slice(-2) ?? [];
    });
    await handle.done;
    expect(onDiskAtCheckpoint).toEqual([21, 22]);
  });
});

describe('the engine’s unnumbered `last` state', () => {
  test('puts the metrics of its steps on disk when it is saved', async () => {
    const script = (runId: string): EngineToHost[] => [
      { type: 'metrics', runId, step: 21, epoch: 0, losses: { G_A: 0.21 } },
      { type: 'saved', runId, step: 21 },
    ];
    const { host, runId } = await hostWithStoppedRun(scriptedEngine(20, [], script), 20);
    const handle = await resumeTraining(host, runId);
    let onDisk: number | undefined;
    handle.onEvent((event) => {
      if (event.type === 'saved') onDisk = readSeries(host.db, runId)[0]?.steps.at(-1);
    });
    await handle.done;
    expect(onDisk).toBe(21);
  });
});

describe('claimRunForResume', () => {
  test('refuses a run another live process has claimed or is training; a dead one’s claim lapses', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-claim-'));
    roots.push(root);
    const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
    hosts.push(host);
    const id = createRun(host.db, { name: 'c', model: 'cyclegan', config: {} });
    setRunStatus(host.db, id, 'running', { enginePid: 4242 });
    setRunStatus(host.db, id, 'stopped');
    const alive = new Set([4242, 5151]);
    const isAlive = (pid: number) => alive.has(pid);

    const claim = claimRunForResume(host.db, id, 4242, isAlive);
    expect(getRun(host.db, host.workspace, id).status).toBe('queued');
    expect(() => claimRunForResume(host.db, id, 5151, isAlive)).toThrow(/being started by another process \(4242\)/);
    // The claiming process dies before its engine starts: the claim lapses, and the next start marks it.
    alive.delete(4242);
    expect(markInterruptedRuns(host.db, isAlive).map((r) => r.id)).toEqual([id]);
    expect(getRun(host.db, host.workspace, id).status).toBe('interrupted');
    const second = claimRunForResume(host.db, id, 5151, isAlive);
    releaseRunClaim(host.db, claim); // the old claim is not ours any more: nothing happens
    expect(getRun(host.db, host.workspace, id).status).toBe('queued');
    releaseRunClaim(host.db, second);
    expect(getRun(host.db, host.workspace, id).status).toBe('interrupted');

    setRunStatus(host.db, id, 'running', { enginePid: 5151 });
    expect(() => claimRunForResume(host.db, id, 6000, isAlive)).toThrow(/is running already/);
  });
});
