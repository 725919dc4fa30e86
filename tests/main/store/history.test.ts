// The run lifecycle on a real workspace: create, status changes, checkpoints and their files,
// conversions, notes and tags, interrupted runs, a moved workspace, and deletion.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createConversion,
  recordCheckpoint,
  recordDataset,
  recordPreview,
  updateConversion,
} from '../../../src/main/store/artifacts.ts';
import type { Db } from '../../../src/main/store/database.ts';
import { newRunId } from '../../../src/main/store/ids.ts';
import { createMetricsWriter } from '../../../src/main/store/metrics.ts';
import { describeReport, openRunStore } from '../../../src/main/store/open.ts';
import {
  addNote,
  createRun,
  deleteRun,
  getRun,
  listRuns,
  markInterruptedRuns,
  renameRun,
  setRunStatus,
  setTags,
} from '../../../src/main/store/runs.ts';
import { openWorkspace, type Workspace } from '../../../src/main/workspace.ts';
import { RunId } from '../../../src/shared/basics.ts';
import { RunDetail } from '../../../src/shared/contract.ts';

let dir: string;
let workspace: Workspace;
let db: Db;
const dead = () => false;
const alive = () => true;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-history-'));
  workspace = openWorkspace(path.join(dir, 'home'));
  db = openRunStore(workspace, dead).db;
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeCheckpoint(runId: string, step: number): string {
  const folder = path.join(workspace.runsDir, runId, 'checkpoints', String(step));
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'model.bin'), 'x'.repeat(10));
  recordCheckpoint(db, workspace, { runId, step, epoch: Math.floor(step / 100), path: folder, sizeBytes: 10 });
  return folder;
}

describe('run ids', () => {
  it('are short, URL-safe, valid for the contract and sort by creation time', () => {
    const ids = Array.from({ length: 200 }, () => newRunId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-z]{14}$/);
      expect(RunId.safeParse(id).success).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
    expect(newRunId(Date.UTC(2030, 0, 1)) > newRunId(Date.UTC(2029, 0, 1))).toBe(false); // monotonic in a process
  });
});

describe('run lifecycle', () => {
  it('creates, starts, records and shows a run with everything that belongs to it', () => {
    const a = recordDataset(db, { path: dir, role: 'A', fileCount: 3, fingerprint: 'fa', problems: [] });
    const b = recordDataset(db, {
      path: path.join(dir, 'gone'),
      role: 'B',
      fileCount: 2,
      fingerprint: 'fb',
      problems: ['x.png: not an image'],
    });
    const id = createRun(db, { name: 'horses', model: 'cyclegan', config: { lr: 2e-4 }, datasetA: a, datasetB: b });
    setRunStatus(db, id, 'running', { enginePid: 1234, backend: 'wasm', device: 'CPU × 2' });
    const writer = createMetricsWriter(db);
    writer.write({ runId: id, step: 100, epoch: 1, losses: { G_A: 0.7, D_A: 0.2 } });
    writer.close();
    const checkpoint = writeCheckpoint(id, 100);
    const preview = path.join(workspace.runsDir, id, 'previews', '100.png');
    fs.mkdirSync(path.dirname(preview), { recursive: true });
    fs.writeFileSync(preview, 'png');
    recordPreview(db, workspace, id, 100, preview);
    const ckptId = db.prepare('SELECT id FROM checkpoints').pluck().get() as number;
    const conversion = createConversion(db, {
      runId: id,
      checkpointId: ckptId,
      direction: 'AtoB',
      inputPath: dir,
      outputPath: path.join(dir, 'out'),
      total: 3,
    });
    updateConversion(db, conversion, {
      converted: 2,
      failures: [{ file: 'bad.png', reason: 'truncated' }],
      status: 'completed',
    });
    addNote(db, id, 'stripes appear at step 100');
    expect(setTags(db, id, ['zebra', ' horse ', 'zebra'])).toEqual(['horse', 'zebra']);

    const detail = RunDetail.parse(getRun(db, workspace, id));
    expect(detail).toMatchObject({
      id,
      name: 'horses',
      status: 'running',
      backend: 'wasm',
      device: 'CPU × 2',
      config: { lr: 2e-4 },
      lastStep: 100,
      lastLosses: { D_A: 0.2, G_A: 0.7 },
      lossNames: ['D_A', 'G_A'],
      folder: path.join(workspace.runsDir, id),
      tags: ['horse', 'zebra'],
      notes: [{ body: 'stripes appear at step 100' }],
      previews: [{ step: 100, path: preview, exists: true }],
    });
    expect(detail.datasets.A).toMatchObject({ path: dir, fileCount: 3, exists: true });
    expect(detail.datasets.B).toMatchObject({ problems: ['x.png: not an image'], exists: false });
    expect(detail.checkpoints).toEqual([
      expect.objectContaining({ step: 100, epoch: 1, path: checkpoint, sizeBytes: 10, exists: true }),
    ]);
    expect(detail.conversions).toEqual([
      expect.objectContaining({
        direction: 'AtoB',
        checkpointStep: 100,
        total: 3,
        converted: 2,
        failed: 1,
        status: 'completed',
        failures: [{ file: 'bad.png', reason: 'truncated' }],
      }),
    ]);
    // Stored relative to the workspace.
    expect(db.prepare('SELECT path FROM checkpoints').pluck().get()).toBe(`runs/${id}/checkpoints/100`);
  });

  it('enforces status transitions and needs the engine pid to run', () => {
    const id = createRun(db, { name: 'r', model: 'cogan', config: {} });
    expect(() => setRunStatus(db, id, 'running')).toThrow(/engine's process id/);
    expect(() => setRunStatus(db, id, 'completed')).toThrow('is queued; it cannot become completed');
    setRunStatus(db, id, 'running', { enginePid: 7 });
    setRunStatus(db, id, 'paused');
    setRunStatus(db, id, 'running', { enginePid: 7 });
    setRunStatus(db, id, 'failed', { error: 'NaN in G_A at step 12' });
    const failed = getRun(db, workspace, id);
    expect(failed).toMatchObject({ status: 'failed', error: 'NaN in G_A at step 12' });
    expect(failed.finishedAt).not.toBeNull();
    expect(db.prepare('SELECT engine_pid FROM runs').pluck().get()).toBeNull();
    setRunStatus(db, id, 'running', { enginePid: 8 }); // resume
    expect(getRun(db, workspace, id)).toMatchObject({ status: 'running', error: null, finishedAt: null });
    expect(() => setRunStatus(db, 'nope', 'running', { enginePid: 1 })).toThrow('There is no run nope.');
  });

  it('records the GPU adapter of a webgpu start, and forgets it when the run resumes on another backend', () => {
    const id = createRun(db, { name: 'gpu', model: 'cyclegan', config: {} });
    const adapter = {
      vendor: 'nvidia',
      architecture: 'ada',
      device: '',
      description: 'NVIDIA GeForce RTX 4090',
      software: false,
      limits: { maxBufferSize: 4 * 2 ** 30 },
    };
    expect(getRun(db, workspace, id).adapter).toBeNull();
    setRunStatus(db, id, 'running', { enginePid: 9, backend: 'webgpu', device: 'RTX 4090', adapter });
    expect(getRun(db, workspace, id)).toMatchObject({ backend: 'webgpu', adapter });
    setRunStatus(db, id, 'paused');
    setRunStatus(db, id, 'running', { enginePid: 9 }); // a resume that says nothing new keeps it
    expect(getRun(db, workspace, id).adapter).toEqual(adapter);
    setRunStatus(db, id, 'stopped');
    setRunStatus(db, id, 'running', { enginePid: 10, backend: 'wasm', device: 'CPU × 2' });
    expect(getRun(db, workspace, id)).toMatchObject({ backend: 'wasm', adapter: null });
  });

  it('renames, and lists newest first with last losses', () => {
    const old = createRun(db, { name: 'old', model: 'cyclegan', config: {}, now: new Date('2025-01-01') });
    const young = createRun(db, { name: 'young', model: 'cyclegan', config: {}, now: new Date('2025-02-01') });
    expect(renameRun(db, old, '  renamed ')).toMatchObject({ id: old, name: 'renamed' });
    expect(() => renameRun(db, 'nope', 'x')).toThrow(/no run nope/);
    expect(listRuns(db).map((r) => r.id)).toEqual([young, old]);
  });
});

describe('crash recovery', () => {
  it('marks running and paused runs whose engine is gone as interrupted, offering the last checkpoint whose files exist', () => {
    const running = createRun(db, { name: 'running', model: 'cyclegan', config: {} });
    const paused = createRun(db, { name: 'paused', model: 'cyclegan', config: {} });
    const healthy = createRun(db, { name: 'healthy', model: 'cyclegan', config: {} });
    const done = createRun(db, { name: 'done', model: 'cyclegan', config: {} });
    setRunStatus(db, running, 'running', { enginePid: 111 });
    setRunStatus(db, paused, 'running', { enginePid: 222 });
    setRunStatus(db, paused, 'paused');
    setRunStatus(db, healthy, 'running', { enginePid: 333 });
    setRunStatus(db, done, 'running', { enginePid: 444 });
    setRunStatus(db, done, 'completed');
    writeCheckpoint(running, 100);
    const vanished = writeCheckpoint(running, 200);
    fs.rmSync(vanished, { recursive: true });

    const marked = markInterruptedRuns(db, (pid) => pid === 333, workspace);
    expect(marked).toEqual([
      { id: running, name: 'running', resumeStep: 100 },
      { id: paused, name: 'paused', resumeStep: null },
    ]);
    expect(getRun(db, workspace, running)).toMatchObject({ status: 'interrupted', resumeStep: 100 });
    expect(getRun(db, workspace, healthy).status).toBe('running');
    expect(getRun(db, workspace, done).status).toBe('completed');
    // The vanished checkpoint is reported, not an error.
    expect(getRun(db, workspace, running).checkpoints.map((c) => [c.step, c.exists])).toEqual([
      [100, true],
      [200, false],
    ]);
    expect(markInterruptedRuns(db, dead, workspace)).toEqual([{ id: healthy, name: 'healthy', resumeStep: null }]);
  });

  it('offers the engine’s `last` checkpoint (no database row) when it is newer than the numbered ones', () => {
    const id = createRun(db, { name: 'last only', model: 'cyclegan', config: {} });
    setRunStatus(db, id, 'running', { enginePid: 555 });
    const checkpoints = path.join(workspace.runsDir, id, 'checkpoints');
    fs.mkdirSync(path.join(checkpoints, 'last'), { recursive: true });
    fs.writeFileSync(path.join(checkpoints, 'latest'), '{"step":37,"path":"checkpoints/last"}\n');
    expect(markInterruptedRuns(db, dead, workspace)).toEqual([{ id, name: 'last only', resumeStep: 37 }]);
    expect(getRun(db, workspace, id).resumeStep).toBe(37);
  });

  it('does it when a host opens the store, and says so', () => {
    const id = createRun(db, { name: 'crashed', model: 'cyclegan', config: {} });
    setRunStatus(db, id, 'running', { enginePid: 999_999 });
    writeCheckpoint(id, 50);
    db.close();
    const reopened = openRunStore(workspace, dead);
    db = reopened.db;
    expect(reopened.report.interrupted).toEqual([{ id, name: 'crashed', resumeStep: 50 }]);
    expect(describeReport(reopened.report)).toEqual([
      `Run crashed (${id}) was interrupted; it can resume from step 50.`,
    ]);
  });
});

describe('a moved workspace', () => {
  it('is reported once, and files inside it are found at the new place', () => {
    const id = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    writeCheckpoint(id, 10);
    // An absolute path recorded under the old root (as an older writer might have stored it).
    db.prepare("INSERT INTO previews (run_id, step, path, created_at) VALUES (?, 10, ?, 't')").run(
      id,
      path.join(workspace.root, 'runs', id, 'p.png'),
    );
    db.close();
    const moved = path.join(dir, 'elsewhere');
    fs.renameSync(workspace.root, moved);
    workspace = openWorkspace(moved);
    const reopened = openRunStore(workspace, dead);
    db = reopened.db;
    expect(reopened.report.moved).toEqual({ from: path.join(dir, 'home'), to: moved, stalePaths: 1 });
    expect(describeReport(reopened.report)[0]).toMatch(/moved from .*home to .*elsewhere.*1 recorded path/);
    const detail = getRun(db, workspace, id);
    expect(detail.checkpoints[0]).toMatchObject({
      path: path.join(moved, 'runs', id, 'checkpoints', '10'),
      exists: true,
    });
    expect(detail.previews[0]?.exists).toBe(false);
    db.close();
    const again = openRunStore(workspace, dead);
    db = again.db;
    expect(again.report.moved).toBeNull();
  });
});

describe('deleteRun', () => {
  it('removes every row of the run (cascade) and then its folder; other runs keep theirs', () => {
    const id = createRun(db, { name: 'doomed', model: 'cyclegan', config: {} });
    const keep = createRun(db, { name: 'kept', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db);
    for (let step = 0; step < 100; step++) {
      writer.write({ runId: id, step, epoch: 0, losses: { G_A: 1 } });
      writer.write({ runId: keep, step, epoch: 0, losses: { G_A: 1 } });
    }
    writer.close();
    writeCheckpoint(id, 10);
    writeCheckpoint(keep, 10);
    const ckpt = db.prepare('SELECT id FROM checkpoints WHERE run_id = ?').pluck().get(id) as number;
    const conv = createConversion(db, {
      runId: id,
      checkpointId: ckpt,
      direction: 'BtoA',
      inputPath: dir,
      outputPath: dir,
      total: 1,
    });
    updateConversion(db, conv, { converted: 0, failures: [{ file: 'f', reason: 'r' }] });
    addNote(db, id, 'n');
    setTags(db, id, ['t']);

    expect(deleteRun(db, workspace, id)).toEqual({ id, folderRemoved: true });
    for (const table of ['metrics', 'checkpoints', 'previews', 'conversions', 'notes', 'tags'])
      expect(db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(id), table).toBe(0);
    expect(db.prepare('SELECT count(*) FROM conversion_failures').pluck().get()).toBe(0);
    expect(fs.existsSync(path.join(workspace.runsDir, id))).toBe(false);
    expect(db.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck().get(keep)).toBe(100);
    expect(fs.existsSync(path.join(workspace.runsDir, keep))).toBe(true);
    expect(() => getRun(db, workspace, id)).toThrow(/no run/);
  });

  it('is fine with a folder that is already gone, and refuses a run whose engine is alive', () => {
    const id = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    setRunStatus(db, id, 'running', { enginePid: 5 });
    expect(() => deleteRun(db, workspace, id, alive)).toThrow(/is running; stop it before deleting it/);
    expect(deleteRun(db, workspace, id, dead)).toEqual({ id, folderRemoved: false });
    expect(() => deleteRun(db, workspace, '../escape')).toThrow();
  });
});
