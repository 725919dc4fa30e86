// What a run leaves behind besides its metrics: the dataset scans it trained on, checkpoints,
// previews and conversions. Each row is written after its file exists (DESIGN.md, Storage);
// a file that has vanished since is reported (`exists: false`), never an error.
import type { Direction } from '../../shared/basics.ts';
import type { CheckpointRecord, ConversionRecord, DatasetRecord, RunDetail } from '../../shared/contract.ts';
import type { Workspace } from '../workspace.ts';
import type { Db } from './database.ts';
import { fromStoredPath, pathExists, toStoredPath } from './paths.ts';
import {
  type IsAlive,
  isSameProcessAlive,
  type ProcessIdentity,
  selfIdentity,
  startTicksOf,
} from './process-identity.ts';

export interface DatasetScan {
  path: string;
  role: 'A' | 'B';
  fileCount: number;
  fingerprint: string;
  problems: string[];
  scannedAt?: Date;
}

export function recordDataset(db: Db, scan: DatasetScan): number {
  const result = db
    .prepare(
      'INSERT INTO datasets (path, role, file_count, fingerprint, problems_json, scanned_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      scan.path,
      scan.role,
      scan.fileCount,
      scan.fingerprint,
      JSON.stringify(scan.problems),
      (scan.scannedAt ?? new Date()).toISOString(),
    );
  return Number(result.lastInsertRowid);
}

export function readDataset(db: Db, id: number | null): DatasetRecord | null {
  if (id === null) return null;
  const row = db
    .prepare<
      [number],
      {
        id: number;
        path: string;
        role: 'A' | 'B';
        file_count: number;
        fingerprint: string;
        problems_json: string;
        scanned_at: string;
      }
    >('SELECT * FROM datasets WHERE id = ?')
    .get(id);
  if (!row) return null;
  let problems: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.problems_json);
    if (Array.isArray(parsed)) problems = parsed.map(String);
  } catch {
    problems = [];
  }
  return {
    id: row.id,
    path: row.path,
    role: row.role,
    fileCount: row.file_count,
    fingerprint: row.fingerprint,
    problems,
    scannedAt: row.scanned_at,
    exists: pathExists(row.path),
  };
}

export interface NewCheckpoint {
  runId: string;
  step: number;
  epoch: number;
  /** The checkpoint's folder or file; it must exist already. */
  path: string;
  sizeBytes: number;
  createdAt?: Date;
}

export function recordCheckpoint(db: Db, workspace: Workspace, checkpoint: NewCheckpoint): number {
  if (!pathExists(checkpoint.path)) throw new Error(`Checkpoint ${checkpoint.path} does not exist; write it first.`);
  const result = db
    .prepare(
      `INSERT INTO checkpoints (run_id, step, epoch, path, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, step) DO UPDATE SET epoch = excluded.epoch, path = excluded.path,
         size_bytes = excluded.size_bytes, created_at = excluded.created_at
       RETURNING id`,
    )
    .pluck()
    .get(
      checkpoint.runId,
      checkpoint.step,
      checkpoint.epoch,
      toStoredPath(workspace.root, checkpoint.path),
      checkpoint.sizeBytes,
      (checkpoint.createdAt ?? new Date()).toISOString(),
    ) as number;
  return result;
}

export function listCheckpoints(db: Db, workspace: Workspace, runId: string): CheckpointRecord[] {
  return db
    .prepare<
      [string],
      { id: number; step: number; epoch: number; path: string; size_bytes: number; created_at: string }
    >('SELECT id, step, epoch, path, size_bytes, created_at FROM checkpoints WHERE run_id = ? ORDER BY step')
    .all(runId)
    .map((row) => {
      const absolute = fromStoredPath(workspace.root, row.path);
      return {
        id: row.id,
        step: row.step,
        epoch: row.epoch,
        path: absolute,
        sizeBytes: row.size_bytes,
        createdAt: row.created_at,
        exists: pathExists(absolute),
      };
    });
}

export function recordPreview(db: Db, workspace: Workspace, runId: string, step: number, file: string): void {
  if (!pathExists(file)) throw new Error(`Preview ${file} does not exist; write it first.`);
  db.prepare('INSERT OR IGNORE INTO previews (run_id, step, path, created_at) VALUES (?, ?, ?, ?)').run(
    runId,
    step,
    toStoredPath(workspace.root, file),
    new Date().toISOString(),
  );
}

export function listPreviews(db: Db, workspace: Workspace, runId: string): RunDetail['previews'] {
  return db
    .prepare<[string], { step: number; path: string }>(
      'SELECT step, path FROM previews WHERE run_id = ? ORDER BY step, path',
    )
    .all(runId)
    .map((row) => {
      const absolute = fromStoredPath(workspace.root, row.path);
      return { step: row.step, path: absolute, exists: pathExists(absolute) };
    });
}

export interface NewConversion {
  runId: string;
  checkpointId: number;
  direction: Direction;
  inputPath: string;
  outputPath: string;
  total: number;
  /** Who answers for it until its engine is known (setConversionEngine): this process by default. */
  owner?: ProcessIdentity;
}

/**
 * A running conversion, owned by the process that records it (this host) until its engine says it
 * is ready: a conversion whose owner dies without saying how it ended is marked by
 * markInterruptedConversions.
 */
export function createConversion(db: Db, conversion: NewConversion): number {
  const step = db
    .prepare<[number, string], number>('SELECT step FROM checkpoints WHERE id = ? AND run_id = ?')
    .pluck()
    .get(conversion.checkpointId, conversion.runId);
  if (step === undefined) throw new Error(`Run ${conversion.runId} has no checkpoint ${conversion.checkpointId}.`);
  const result = db
    .prepare(
      `INSERT INTO conversions (run_id, checkpoint_id, checkpoint_step, direction, input_path, output_path, total, status, created_at,
         engine_pid, engine_started_ticks)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
    )
    .run(
      conversion.runId,
      conversion.checkpointId,
      step,
      conversion.direction,
      conversion.inputPath,
      conversion.outputPath,
      conversion.total,
      new Date().toISOString(),
      (conversion.owner ?? selfIdentity()).pid,
      (conversion.owner ?? selfIdentity()).startTicks,
    );
  return Number(result.lastInsertRowid);
}

/** Records the engine process that converts (pid, and its start time read now unless given). */
export function setConversionEngine(db: Db, id: number, pid: number, startTicks?: number | null): void {
  db.prepare(
    "UPDATE conversions SET engine_pid = ?, engine_started_ticks = ? WHERE id = ? AND status IN ('queued', 'running')",
  ).run(pid, startTicks !== undefined ? startTicks : startTicksOf(pid), id);
}

export interface InterruptedConversion {
  id: number;
  runId: string;
  converted: number;
  total: number;
}

export const CONVERSION_INTERRUPTED =
  "The conversion stopped without saying so (the app or its engine was killed); files already written are complete; run it again with 'skip existing' to finish.";

/**
 * A conversion still queued or running whose engine (or owner, before the engine started) is gone —
 * a zombie, or a pid given to another process since, counts as gone — becomes interrupted, with the
 * reason. Called at host start and before a listing; `followed` names conversions this host follows
 * itself (it records their end when their engine's exit arrives), which are left alone.
 */
export function markInterruptedConversions(
  db: Db,
  isAlive: IsAlive = isSameProcessAlive,
  followed: (conversionId: number) => boolean = () => false,
): InterruptedConversion[] {
  const active = db
    .prepare<
      [],
      {
        id: number;
        run_id: string;
        status: string;
        converted: number;
        total: number;
        engine_pid: number | null;
        engine_started_ticks: number | null;
      }
    >(
      `SELECT id, run_id, status, converted, total, engine_pid, engine_started_ticks FROM conversions
       WHERE status IN ('queued', 'running') ORDER BY created_at, id`,
    )
    .all();
  const gone = active.filter(
    (row) => !followed(row.id) && (row.engine_pid === null || !isAlive(row.engine_pid, row.engine_started_ticks)),
  );
  const marked: InterruptedConversion[] = [];
  const now = new Date().toISOString();
  db.transaction(() => {
    const update = db.prepare(
      `UPDATE conversions SET status = 'interrupted', finished_at = ?, error = ?
       WHERE id = ? AND status = ? AND engine_pid IS ? AND engine_started_ticks IS ?`,
    );
    for (const row of gone) {
      const changes = update.run(
        now,
        CONVERSION_INTERRUPTED,
        row.id,
        row.status,
        row.engine_pid,
        row.engine_started_ticks,
      ).changes;
      if (changes > 0) marked.push({ id: row.id, runId: row.run_id, converted: row.converted, total: row.total });
    }
  })();
  return marked;
}

export interface ConversionProgress {
  converted: number;
  failures?: { file: string; reason: string }[];
  status?: ConversionRecord['status'];
  error?: string;
}

/** Progress and per-file failures of a conversion, in one transaction. */
export function updateConversion(db: Db, id: number, progress: ConversionProgress): void {
  db.transaction(() => {
    const addFailure = db.prepare(
      'INSERT OR REPLACE INTO conversion_failures (conversion_id, file, reason) VALUES (?, ?, ?)',
    );
    for (const failure of progress.failures ?? []) addFailure.run(id, failure.file, failure.reason);
    const finished = progress.status && progress.status !== 'running' ? new Date().toISOString() : null;
    const result = db
      .prepare(
        `UPDATE conversions SET converted = @converted,
           failed = (SELECT count(*) FROM conversion_failures WHERE conversion_id = @id),
           status = coalesce(@status, status), error = coalesce(@error, error),
           finished_at = coalesce(@finished, finished_at)
         WHERE id = @id`,
      )
      .run({
        id,
        converted: progress.converted,
        status: progress.status ?? null,
        error: progress.error ?? null,
        finished,
      });
    if (result.changes === 0) throw new Error(`There is no conversion ${id}.`);
  })();
}

export function listConversions(db: Db, runId: string): ConversionRecord[] {
  const failures = db.prepare<[number], { file: string; reason: string }>(
    'SELECT file, reason FROM conversion_failures WHERE conversion_id = ? ORDER BY file',
  );
  return db
    .prepare<
      [string],
      {
        id: number;
        checkpoint_id: number | null;
        checkpoint_step: number;
        direction: ConversionRecord['direction'];
        input_path: string;
        output_path: string;
        total: number;
        converted: number;
        failed: number;
        status: ConversionRecord['status'];
        created_at: string;
        finished_at: string | null;
        error: string | null;
      }
    >('SELECT * FROM conversions WHERE run_id = ? ORDER BY created_at, id')
    .all(runId)
    .map((row) => ({
      id: row.id,
      checkpointId: row.checkpoint_id,
      checkpointStep: row.checkpoint_step,
      direction: row.direction,
      inputPath: row.input_path,
      outputPath: row.output_path,
      total: row.total,
      converted: row.converted,
      failed: row.failed,
      status: row.status,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      error: row.error,
      failures: failures.all(row.id),
    }));
}
