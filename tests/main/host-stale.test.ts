// Status after a crash: a run or a conversion whose engine is gone — killed, a zombie nobody reaps,
// or its pid given to another process since — is never listed as running: not by runs:list, runs:get
// or convert:list in a host that is up, not by `diptych runs`, and not after the next host start.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineLauncher } from '../../src/main/engine/launcher.ts';
import { createHost, type Host } from '../../src/main/host.ts';
import {
  CONVERSION_INTERRUPTED,
  createConversion,
  markInterruptedConversions,
  recordCheckpoint,
} from '../../src/main/store/artifacts.ts';
import type { Db } from '../../src/main/store/database.ts';
import { markStale, openRunStore } from '../../src/main/store/open.ts';
import { identify } from '../../src/main/store/process-identity.ts';
import { createRun, setRunStatus } from '../../src/main/store/runs.ts';
import { openWorkspace } from '../../src/main/workspace.ts';
import { ConversionRecord, RunDetail, RunSummary } from '../../src/shared/contract.ts';

const linux = process.platform === 'linux';
const bin = fileURLToPath(new URL('../../bin/diptych.mjs', import.meta.url));
const noEngine: EngineLauncher = () => {
  throw new Error('no engine in this test');
};
const nobody = 2 ** 22 + 12_345; // no such process

let home: string;
let host: Host | null = null;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-stale-'));
});
afterEach(() => {
  host?.close();
  host = null;
  fs.rmSync(home, { recursive: true, force: true });
});

function start(): Host {
  host?.close();
  host = createHost({ kind: 'test', home, launchEngine: noEngine, probeAtStart: false });
  return host;
}

/** This process, as another process that got its pid after the recorded one died would look. */
function reusedPid(): { pid: number; startTicks: number } {
  const self = identify(process.pid);
  return { pid: process.pid, startTicks: (self?.startTicks ?? 0) + 1 };
}

function runningRun(db: Db, name: string, pid: number, startTicks: number | null): string {
  const id = createRun(db, { name, model: 'cyclegan', config: {} });
  setRunStatus(db, id, 'running', { enginePid: pid, engineStartTicks: startTicks });
  return id;
}

function conversionOf(db: Db, runId: string, owner: { pid: number; startTicks: number | null }): number {
  const workspace = openWorkspace(home);
  const folder = path.join(workspace.runsDir, runId, 'checkpoints', '10');
  fs.mkdirSync(folder, { recursive: true });
  const checkpointId = recordCheckpoint(db, workspace, { runId, step: 10, epoch: 0, path: folder, sizeBytes: 1 });
  return createConversion(db, {
    runId,
    checkpointId,
    direction: 'AtoB',
    inputPath: path.join(home, 'in'),
    outputPath: path.join(home, 'out'),
    total: 4,
    owner,
  });
}

async function call<T>(h: Host, channel: string, request: unknown, schema: { parse(value: unknown): T }): Promise<T> {
  const result = await h.dispatch(channel as never, request as never);
  if (!result.ok) throw new Error(result.error.message);
  return schema.parse(result.value);
}

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 50_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('a run whose engine is gone is not listed as running', () => {
  it.runIf(linux)('runs:list and runs:get mark a run whose pid another process holds now', async () => {
    const h = start();
    const live = identify(process.pid);
    // Recorded after the host started: only the listing can notice.
    const reused = runningRun(h.db, 'reused pid', reusedPid().pid, reusedPid().startTicks);
    const alive = runningRun(h.db, 'alive', process.pid, live?.startTicks ?? null);
    const list = await call(h, 'runs:list', {}, RunSummary.array());
    expect(Object.fromEntries(list.map((r) => [r.name, r.status]))).toEqual({
      'reused pid': 'interrupted',
      alive: 'running',
    });
    const detail = await call(h, 'runs:get', { id: reused }, RunDetail);
    expect(detail.error).toMatch(/stopped without saying so/);
    expect((await call(h, 'runs:get', { id: alive }, RunDetail)).status).toBe('running');
  });

  it('runs:list marks a run whose engine died after the host started', async () => {
    const h = start();
    runningRun(h.db, 'dead', nobody, null);
    const list = await call(h, 'runs:list', {}, RunSummary.array());
    expect(list.map((r) => r.status)).toEqual(['interrupted']);
  });

  it.runIf(linux)('`diptych runs` marks a run whose pid another process holds now', async () => {
    const { db } = openRunStore(openWorkspace(home), () => true);
    const id = runningRun(db, 'reused pid', reusedPid().pid, reusedPid().startTicks);
    db.close();
    const result = await diptych(['runs', '--json', '--home', home]);
    expect(result.code, result.stderr).toBe(0);
    expect(
      RunSummary.array()
        .parse(JSON.parse(result.stdout))
        .map((r) => [r.id, r.status]),
    ).toEqual([[id, 'interrupted']]);
    expect(result.stderr).toMatch(new RegExp(`Run reused pid \\(${id}\\) was interrupted`));
  });
});

describe('a conversion whose engine is gone', () => {
  it('is marked interrupted at the next host start, with the reason, and listed so', async () => {
    let h = start();
    const runId = createRun(h.db, { name: 'r', model: 'cyclegan', config: {} });
    const dead = conversionOf(h.db, runId, { pid: nobody, startTicks: null });
    const live = conversionOf(h.db, runId, { pid: process.pid, startTicks: identify(process.pid)?.startTicks ?? null });
    h = start();
    expect(h.storeReport.interruptedConversions).toEqual([{ id: dead, runId, converted: 0, total: 4 }]);
    const list = await call(h, 'convert:list', { runId }, ConversionRecord.array());
    const byId = new Map(list.map((c) => [c.id, c]));
    expect(byId.get(dead)).toMatchObject({ status: 'interrupted', error: CONVERSION_INTERRUPTED });
    expect(byId.get(dead)?.finishedAt).not.toBeNull();
    expect(byId.get(live)).toMatchObject({ status: 'running', error: null });
    expect((await call(h, 'runs:get', { id: runId }, RunDetail)).conversions.map((c) => c.status)).toEqual([
      'interrupted',
      'running',
    ]);
  });

  it.runIf(linux)('is marked by convert:list when its pid is another process now', async () => {
    const h = start();
    const runId = createRun(h.db, { name: 'r', model: 'cyclegan', config: {} });
    const id = conversionOf(h.db, runId, reusedPid());
    const [record] = await call(h, 'convert:list', { runId }, ConversionRecord.array());
    expect(record).toMatchObject({ id, status: 'interrupted', error: CONVERSION_INTERRUPTED });
  });

  it('is left alone while this host follows it, and a conversion from before owners were recorded is stale', () => {
    const h = start();
    const runId = createRun(h.db, { name: 'r', model: 'cyclegan', config: {} });
    const followed = conversionOf(h.db, runId, { pid: nobody, startTicks: null });
    const old = conversionOf(h.db, runId, { pid: nobody, startTicks: null });
    h.db.prepare('UPDATE conversions SET engine_pid = NULL WHERE id = ?').run(old);
    const stale = markStale(h.db, h.workspace, undefined, { conversion: (id) => id === followed });
    expect(stale.interruptedConversions.map((c) => c.id)).toEqual([old]);
    expect(markInterruptedConversions(h.db).map((c) => c.id)).toEqual([followed]);
  });
});
