// Runs: creating one, its lifecycle, the list and the detail the UI shows, renaming, notes and
// tags, deleting (rows, then folder). The host is the only writer of these rows.
import fs from 'node:fs';
import path from 'node:path';
import { GpuAdapter } from '../../shared/backend.ts';
import type { ModelName, RunDetail, RunStatus, RunSummary } from '../../shared/contract.ts';
import type { Workspace } from '../workspace.ts';
import { listCheckpoints, listConversions, listPreviews, readDataset } from './artifacts.ts';
import type { Db } from './database.ts';
import { newRunId } from './ids.ts';
import { lastLosses, runLossNames } from './metrics.ts';
import { pathExists } from './paths.ts';
import { type IsAlive, isSameProcessAlive, startTicksOf } from './process-identity.ts';
import { sampleImages } from './samples.ts';
import { listTruthReports } from './truth-reports.ts';

interface RunRow {
  id: string;
  name: string;
  model: ModelName;
  status: RunStatus;
  config_json: string;
  backend: string | null;
  device: string | null;
  gpu_adapter_json: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  engine_pid: number | null;
  engine_started_ticks: number | null;
  resume_step: number | null;
  dataset_a_id: number | null;
  dataset_b_id: number | null;
}

/** The engine's epoch at a step: one primary-key lookup per loss name, never a scan of the run's metrics. */
function epochAt(db: Db, runId: string, step: number | null): number | null {
  if (step === null) return null;
  return (
    db
      .prepare<[string, number], number | null>(
        `SELECT max(m.epoch) FROM loss_names AS l
       JOIN metrics AS m ON m.run_id = ? AND m.loss_id = l.id AND m.step = ?`,
      )
      .pluck()
      .get(runId, step) ?? null
  );
}

/** Two images of a recorded dataset folder (served by the media route, which allows these folders). */
function thumbnailsOf(db: Db, datasetId: number | null): string[] {
  if (datasetId === null) return [];
  const folder = db.prepare<[number], string>('SELECT path FROM datasets WHERE id = ?').pluck().get(datasetId);
  return folder === undefined ? [] : sampleImages(folder);
}

function summary(db: Db, row: RunRow): RunSummary {
  const losses = lastLosses(db, row.id);
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    backend: row.backend,
    ...losses,
    epoch: epochAt(db, row.id, losses.lastStep),
    thumbnails: { A: thumbnailsOf(db, row.dataset_a_id), B: thumbnailsOf(db, row.dataset_b_id) },
  };
}

/** The recorded adapter, or null (not a webgpu run, or a record this version cannot read). */
function parseAdapter(json: string | null): GpuAdapter | null {
  if (json == null) return null;
  try {
    const parsed = GpuAdapter.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function runRow(db: Db, id: string): RunRow {
  const row = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
  if (!row) throw new Error(`There is no run ${id}.`);
  return row;
}

/** Throws a clear error for a run that is not in the database. */
export function requireRun(db: Db, id: string): void {
  runRow(db, id);
}

export function listRuns(db: Db): RunSummary[] {
  const rows = db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY created_at DESC, id DESC').all();
  return rows.map((row) => summary(db, row));
}

export function runFolder(workspace: Workspace, id: string): string {
  const folder = path.resolve(workspace.runsDir, id);
  if (path.dirname(folder) !== path.resolve(workspace.runsDir)) throw new Error(`${id} is not a valid run id.`);
  return folder;
}

export function getRun(db: Db, workspace: Workspace, id: string): RunDetail {
  const row = runRow(db, id);
  let config: unknown;
  try {
    config = JSON.parse(row.config_json);
  } catch {
    config = null;
  }
  return {
    ...summary(db, row),
    config,
    device: row.device,
    adapter: parseAdapter(row.gpu_adapter_json),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    resumeStep: row.resume_step,
    folder: runFolder(workspace, id),
    datasets: { A: readDataset(db, row.dataset_a_id), B: readDataset(db, row.dataset_b_id) },
    lossNames: runLossNames(db, id),
    checkpoints: listCheckpoints(db, workspace, id),
    previews: listPreviews(db, workspace, id),
    conversions: listConversions(db, id),
    notes: db
      .prepare<[string], { id: number; body: string; createdAt: string }>(
        'SELECT id, body, created_at AS createdAt FROM notes WHERE run_id = ? ORDER BY created_at, id',
      )
      .all(id),
    truth: listTruthReports(db, id),
    tags: db.prepare<[string], string>('SELECT tag FROM tags WHERE run_id = ? ORDER BY tag').pluck().all(id),
  };
}

export interface NewRun {
  name: string;
  model: ModelName;
  config: unknown;
  datasetA?: number | null;
  datasetB?: number | null;
  id?: string;
  now?: Date;
}

/** A queued run; its folder `runs/<id>/` is created by whoever writes its first file. */
export function createRun(db: Db, run: NewRun): string {
  const id = run.id ?? newRunId();
  const now = (run.now ?? new Date()).toISOString();
  db.prepare(
    `INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at, dataset_a_id, dataset_b_id)
     VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
  ).run(
    id,
    run.name,
    run.model,
    JSON.stringify(run.config ?? null),
    now,
    now,
    run.datasetA ?? null,
    run.datasetB ?? null,
  );
  return id;
}

/** Which status may follow which; a resume (stopped, failed, interrupted, completed → running) is allowed. */
const NEXT: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'stopped', 'failed'],
  running: ['paused', 'stopped', 'completed', 'failed', 'interrupted'],
  paused: ['running', 'stopped', 'failed', 'interrupted'],
  stopped: ['running'],
  failed: ['running'],
  interrupted: ['running', 'stopped'],
  completed: ['running'],
};

/** What a resume claims a run from, to give back if its engine never starts. */
export interface RunClaim {
  runId: string;
  previous: RunStatus;
  owner: number;
}

/** Whether a run's recorded engine or owner (pid and start time) is alive. */
function ownerAlive(row: Pick<RunRow, 'engine_pid' | 'engine_started_ticks'>, isAlive: IsAlive): boolean {
  return row.engine_pid !== null && isAlive(row.engine_pid, row.engine_started_ticks);
}

/**
 * Claims a run for a resume, in one transaction, before anything slow happens: its status becomes
 * `queued` with the claiming process as owner (engine_pid and its start time), so a second resume — from this host 100 ms
 * later, or from another `diptych resume` — is refused with the reason instead of starting a second
 * engine on the same folder. A run whose recorded owner or engine is dead (a crash) can be claimed.
 */
export function claimRunForResume(
  db: Db,
  id: string,
  owner: number = process.pid,
  isAlive: IsAlive = processAlive,
): RunClaim {
  return db.transaction((): RunClaim => {
    const row = runRow(db, id);
    const alive = ownerAlive(row, isAlive);
    if ((row.status === 'running' || row.status === 'paused') && alive)
      throw new Error(
        `Run ${id} is ${row.status} already (engine process ${row.engine_pid}); it cannot be resumed twice.`,
      );
    if (row.status === 'queued' && alive)
      throw new Error(
        `Run ${id} is being started by another process (${row.engine_pid}); wait for it, or stop that run first.`,
      );
    db.prepare(
      `UPDATE runs SET status = 'queued', engine_pid = ?, engine_started_ticks = ?, error = NULL, updated_at = ?
       WHERE id = ?`,
    ).run(owner, startTicksOf(owner), new Date().toISOString(), id);
    // A run left running/paused by a crash resumes as what it is: interrupted.
    const previous: RunStatus = row.status === 'running' || row.status === 'paused' ? 'interrupted' : row.status;
    return { runId: id, previous, owner };
  })();
}

/** Gives a claimed run back (its engine never started), with the reason, if the claim is still ours. */
export function releaseRunClaim(db: Db, claim: RunClaim, error?: string): void {
  db.prepare(
    `UPDATE runs SET status = ?, engine_pid = NULL, engine_started_ticks = NULL, error = coalesce(?, error), updated_at = ?
     WHERE id = ? AND status = 'queued' AND engine_pid = ?`,
  ).run(claim.previous, error ?? null, new Date().toISOString(), claim.runId, claim.owner);
}

export interface StatusChange {
  /** The engine process of a run that starts (required for running). */
  enginePid?: number;
  /** Its start time (process-identity.ts); absent: read now from the live process. */
  engineStartTicks?: number | null;
  backend?: string;
  device?: string;
  /** The GPU adapter of a webgpu run. */
  adapter?: GpuAdapter;
  error?: string;
  now?: Date;
}

export function setRunStatus(db: Db, id: string, status: RunStatus, change: StatusChange = {}): void {
  const row = runRow(db, id);
  if (!NEXT[row.status].includes(status)) throw new Error(`Run ${id} is ${row.status}; it cannot become ${status}.`);
  const now = (change.now ?? new Date()).toISOString();
  if (status === 'running') {
    if (change.enginePid === undefined || !Number.isSafeInteger(change.enginePid) || change.enginePid <= 0)
      throw new Error(`Run ${id} cannot be marked running without its engine's process id.`);
    db.prepare(
      `UPDATE runs SET status = 'running', engine_pid = ?, engine_started_ticks = ?, started_at = coalesce(started_at, ?), finished_at = NULL,
         error = NULL, resume_step = NULL, backend = coalesce(?, backend), device = coalesce(?, device),
         gpu_adapter_json = CASE WHEN ? THEN ? ELSE gpu_adapter_json END, updated_at = ?
       WHERE id = ?`,
    ).run(
      change.enginePid,
      change.engineStartTicks !== undefined ? change.engineStartTicks : startTicksOf(change.enginePid),
      now,
      change.backend ?? null,
      change.device ?? null,
      // A start that names its backend replaces the adapter (none, off webgpu): the record is the last start's.
      change.backend == null ? 0 : 1,
      change.adapter ? JSON.stringify(change.adapter) : null,
      now,
      id,
    );
    return;
  }
  const ends = status !== 'paused';
  db.prepare(
    `UPDATE runs SET status = ?, error = ?, updated_at = ?,
       engine_pid = CASE WHEN ? THEN NULL ELSE engine_pid END,
       engine_started_ticks = CASE WHEN ? THEN NULL ELSE engine_started_ticks END,
       finished_at = CASE WHEN ? THEN ? ELSE finished_at END
     WHERE id = ?`,
  ).run(status, change.error ?? null, now, ends ? 1 : 0, ends ? 1 : 0, ends ? 1 : 0, now, id);
}

/** Replaces a run's recorded config (a resume that changes its learning rate). */
export function updateRunConfig(db: Db, id: string, config: unknown): void {
  runRow(db, id);
  db.prepare('UPDATE runs SET config_json = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(config),
    new Date().toISOString(),
    id,
  );
}

export function renameRun(db: Db, id: string, name: string): RunSummary {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A run needs a name.');
  const result = db
    .prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?')
    .run(trimmed, new Date().toISOString(), id);
  if (result.changes === 0) throw new Error(`There is no run ${id}.`);
  return summary(db, runRow(db, id));
}

export function addNote(db: Db, id: string, body: string): { id: number; body: string; createdAt: string } {
  runRow(db, id);
  const createdAt = new Date().toISOString();
  const result = db.prepare('INSERT INTO notes (run_id, body, created_at) VALUES (?, ?, ?)').run(id, body, createdAt);
  return { id: Number(result.lastInsertRowid), body, createdAt };
}

/** Replaces a run's tags (trimmed, deduplicated); returns them sorted. */
export function setTags(db: Db, id: string, tags: readonly string[]): string[] {
  runRow(db, id);
  const unique = [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))].sort();
  db.transaction(() => {
    db.prepare('DELETE FROM tags WHERE run_id = ?').run(id);
    const insert = db.prepare('INSERT INTO tags (run_id, tag) VALUES (?, ?)');
    for (const tag of unique) insert.run(id, tag);
  })();
  return unique;
}

/**
 * Whether a recorded process is alive: the pid is a live process (not a zombie) and, when a start
 * time was recorded and can be read, the same one (process-identity.ts).
 */
export function processAlive(pid: number, startTicks: number | null = null): boolean {
  return isSameProcessAlive(pid, startTicks);
}

/**
 * Deletes a run: its rows (metrics, checkpoints, previews, conversions, notes and tags go by
 * cascade) in one transaction, then its folder. A run whose engine is still alive is refused;
 * a folder that is already gone is fine.
 */
export function deleteRun(
  db: Db,
  workspace: Workspace,
  id: string,
  isAlive: IsAlive = processAlive,
): { id: string; folderRemoved: boolean } {
  const row = runRow(db, id);
  const folder = runFolder(workspace, id);
  if ((row.status === 'running' || row.status === 'paused') && ownerAlive(row, isAlive))
    throw new Error(`Run ${row.name} (${id}) is ${row.status}; stop it before deleting it.`);
  db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  const existed = pathExists(folder);
  fs.rmSync(folder, { recursive: true, force: true });
  return { id, folderRemoved: existed };
}

/**
 * The step of a run's `checkpoints/latest` pointer when the folder it names is there (the same file
 * the engine resumes from, src/node/checkpoint/latest.ts); null otherwise. Synchronous: it runs
 * inside the start-up transaction.
 */
function latestPointerStep(runDir: string): number | null {
  try {
    const pointer = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest'), 'utf8')) as {
      step?: unknown;
      path?: unknown;
    };
    if (typeof pointer.step !== 'number' || !Number.isInteger(pointer.step) || typeof pointer.path !== 'string')
      return null;
    return pathExists(path.resolve(runDir, pointer.path)) ? pointer.step : null;
  } catch {
    return null;
  }
}

export interface Interrupted {
  id: string;
  name: string;
  /** The step of the last checkpoint whose files are still there, to resume from; null to start over. */
  resumeStep: number | null;
}

/**
 * Called at host start and before a listing: a run left running or paused whose engine process is
 * gone (the host or the engine crashed, the machine lost power; a zombie, or a pid given to another
 * process since, counts as gone) becomes interrupted, offered for resume from its last checkpoint
 * whose files still exist. `followed` names runs this host is following itself (it records their end
 * when their engine's exit arrives), which are left alone.
 */
export function markInterruptedRuns(
  db: Db,
  isAlive: IsAlive = processAlive,
  workspace?: Workspace,
  followed: (runId: string) => boolean = () => false,
): Interrupted[] {
  const active = db
    .prepare<[], Pick<RunRow, 'id' | 'name' | 'status' | 'engine_pid' | 'engine_started_ticks'>>(
      // A queued run with an owner is a resume whose host died before its engine started.
      "SELECT id, name, status, engine_pid, engine_started_ticks FROM runs WHERE status IN ('running', 'paused') OR (status = 'queued' AND engine_pid IS NOT NULL) ORDER BY created_at, id",
    )
    .all();
  const gone = active.filter((run) => !followed(run.id) && !ownerAlive(run, isAlive));
  const marked: Interrupted[] = [];
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const run of gone) {
      const checkpoints = workspace
        ? listCheckpoints(db, workspace, run.id)
            .filter((c) => c.exists)
            .map((c) => c.step)
        : db
            .prepare<[string], number>('SELECT step FROM checkpoints WHERE run_id = ? ORDER BY step')
            .pluck()
            .all(run.id);
      const numbered = checkpoints.length > 0 ? (checkpoints[checkpoints.length - 1] as number) : null;
      // The engine's `last` checkpoint (written between numbered ones, no database row) counts too.
      const pointer = workspace ? latestPointerStep(runFolder(workspace, run.id)) : null;
      const resumeStep = pointer !== null && (numbered === null || pointer > numbered) ? pointer : numbered;
      // Only if nobody has changed the row since it was read (another host's claim, an engine's end).
      const changed = db
        .prepare(
          `UPDATE runs SET status = 'interrupted', engine_pid = NULL, engine_started_ticks = NULL, resume_step = ?, updated_at = ?,
             error = 'The engine stopped without saying so (the app or the engine was killed, or the machine stopped).'
           WHERE id = ? AND status = ? AND engine_pid IS ? AND engine_started_ticks IS ?`,
        )
        .run(resumeStep, now, run.id, run.status, run.engine_pid, run.engine_started_ticks).changes;
      if (changed > 0) marked.push({ id: run.id, name: run.name, resumeStep });
    }
  })();
  return marked;
}
