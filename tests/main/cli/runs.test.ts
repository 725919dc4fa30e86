// `diptych runs` and `diptych runs show` against a workspace filled through the store.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordCheckpoint } from '../../../src/main/store/artifacts.ts';
import { createMetricsWriter } from '../../../src/main/store/metrics.ts';
import { openRunStore } from '../../../src/main/store/open.ts';
import { createRun, setRunStatus } from '../../../src/main/store/runs.ts';
import { openWorkspace } from '../../../src/main/workspace.ts';
import { RunDetail, RunSummary } from '../../../src/shared/contract.ts';

const bin = fileURLToPath(new URL('../../../bin/diptych.mjs', import.meta.url));
let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-runs-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 50_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function fill(): { done: string; crashed: string } {
  const workspace = openWorkspace(home);
  const { db } = openRunStore(workspace, () => false);
  const done = createRun(db, { name: 'done', model: 'cyclegan', config: { size: 64 }, now: new Date('2025-01-01') });
  const crashed = createRun(db, { name: 'crashed', model: 'cogan', config: {}, now: new Date('2025-02-01') });
  setRunStatus(db, done, 'running', { enginePid: 1 });
  setRunStatus(db, crashed, 'running', { enginePid: 2 ** 22 + 12_345 }); // no such process
  const writer = createMetricsWriter(db);
  for (let step = 1; step <= 300; step++)
    writer.write({ runId: done, step, epoch: 0, losses: { G_A: 1 / step, D_A: 0.25 } });
  writer.close();
  for (const step of [100, 200]) {
    const folder = path.join(workspace.runsDir, done, 'checkpoints', String(step));
    fs.mkdirSync(folder, { recursive: true });
    recordCheckpoint(db, workspace, { runId: done, step, epoch: 0, path: folder, sizeBytes: 4 });
  }
  setRunStatus(db, done, 'completed');
  fs.rmSync(path.join(workspace.runsDir, done, 'checkpoints', '200'), { recursive: true });
  db.close();
  return { done, crashed };
}

describe('diptych runs', () => {
  it('lists runs as JSON, newest first, marking a run whose engine is gone as interrupted', async () => {
    const { done, crashed } = fill();
    const result = await diptych(['runs', '--json', '--home', home]);
    expect(result.code, result.stderr).toBe(0);
    const runs = RunSummary.array().parse(JSON.parse(result.stdout));
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [crashed, 'interrupted'],
      [done, 'completed'],
    ]);
    expect(runs[1]).toMatchObject({ lastStep: 300, lastLosses: { G_A: 1 / 300, D_A: 0.25 } });
    expect(result.stderr).toContain(`Run crashed (${crashed}) was interrupted; it has no checkpoint to resume from.`);
  });

  it('shows one run with its checkpoints, a vanished one reported, and the last value of each loss', async () => {
    const { done } = fill();
    const result = await diptych(['runs', 'show', done, '--json', '--home', home]);
    expect(result.code, result.stderr).toBe(0);
    const detail = RunDetail.parse(JSON.parse(result.stdout));
    expect(detail).toMatchObject({ id: done, status: 'completed', config: { size: 64 }, lastStep: 300 });
    expect(detail.lastLosses).toEqual({ D_A: 0.25, G_A: 1 / 300 });
    expect(detail.checkpoints.map((c) => [c.step, c.exists])).toEqual([
      [100, true],
      [200, false],
    ]);
    const text = await diptych(['runs', '--home', home, 'show', done]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('step 200 (epoch 0)');
    expect(text.stdout).toContain('— MISSING');
  });

  it('says so for an empty workspace and an unknown run', async () => {
    expect((await diptych(['runs', '--home', home])).stdout).toBe('No runs yet.\n');
    const missing = await diptych(['runs', 'show', 'nope', '--home', home]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('diptych: There is no run nope.\n');
  });
});
