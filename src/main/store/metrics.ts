// Loss metrics: the batched writer the host feeds with the engine's per-step events, and the
// reads the UI needs (a run's last losses, a downsampled series for a chart).
//
// One writer: only the host writes. Rows are buffered and written in one transaction per batch
// (every `maxRows` rows or `maxDelayMs` after the first buffered row, whichever comes first),
// never one commit per step: with WAL and synchronous=NORMAL a commit is an append to the WAL,
// and a crash loses at most the batch that had not been committed yet, never the database.
import { type LossValues, MAX_SERIES_POINTS, type MetricSeries } from '../../shared/contract.ts';
import type { MetricsEvent } from '../../shared/engine-protocol.ts';
import type { Db } from './database.ts';
import type { Series } from './downsample.ts';

export type { MetricsEvent };

export interface MetricsWriterOptions {
  /** Flush when this many rows (one per loss per step) are buffered. */
  maxRows?: number;
  /** Flush this long after the first buffered row at the latest. */
  maxDelayMs?: number;
  /**
   * Rows that could not be written (a run that does not exist, a failed transaction); `runIds`: the
   * runs whose rows a failed batch held.
   */
  onError?: (error: Error, runIds?: readonly string[]) => void;
  /** After each committed batch, with its row count. */
  onFlush?: (rows: number) => void;
}

export interface MetricsWriter {
  write(event: MetricsEvent): void;
  /** Writes what is buffered now, in one transaction; returns the rows committed. */
  flush(): number;
  /** Flushes and stops the timer; later writes throw. */
  close(): void;
  readonly pending: number;
}

const LOSS_NAME = /^[A-Za-z0-9_./:-]{1,64}$/;

function validate(event: MetricsEvent): string | null {
  if (typeof event !== 'object' || event === null) return 'not an object';
  if (typeof event.runId !== 'string' || event.runId.length === 0) return 'no runId';
  if (!Number.isSafeInteger(event.step) || event.step < 0) return `bad step ${String(event.step)}`;
  if (!Number.isSafeInteger(event.epoch) || event.epoch < 0) return `bad epoch ${String(event.epoch)}`;
  if (typeof event.losses !== 'object' || event.losses === null) return 'no losses';
  for (const [name, value] of Object.entries(event.losses)) {
    if (!LOSS_NAME.test(name)) return `bad loss name ${JSON.stringify(name)}`;
    if (typeof value !== 'number') return `loss ${name} is not a number`;
  }
  return null;
}

export function createMetricsWriter(db: Db, options: MetricsWriterOptions = {}): MetricsWriter {
  const maxRows = options.maxRows ?? 4096;
  const maxDelayMs = options.maxDelayMs ?? 500;
  const onError = options.onError ?? ((error) => console.error('[diptych] metrics:', error.message));
  const lossIds = new Map<string, number>();
  const insertName = db.prepare('INSERT INTO loss_names (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const selectName = db.prepare<[string], number>('SELECT id FROM loss_names WHERE name = ?').pluck();
  const runExists = db.prepare<[string], number>('SELECT 1 FROM runs WHERE id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO metrics (run_id, loss_id, step, epoch, value) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, loss_id, step) DO UPDATE SET epoch = excluded.epoch, value = excluded.value`,
  );
  const touch = db.prepare('UPDATE runs SET updated_at = ? WHERE id = ?');

  let buffer: MetricsEvent[] = [];
  let rows = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const lossId = (name: string): number => {
    let id = lossIds.get(name);
    if (id === undefined) {
      insertName.run(name);
      id = selectName.get(name) as number;
      lossIds.set(name, id);
    }
    return id;
  };

  const commit = db.transaction((events: MetricsEvent[]): number => {
    const known = new Map<string, boolean>();
    let written = 0;
    for (const event of events) {
      let exists = known.get(event.runId);
      if (exists === undefined) {
        exists = runExists.get(event.runId) !== undefined;
        known.set(event.runId, exists);
        if (!exists) onError(new Error(`metrics for run ${event.runId}, which is not in the database, were dropped`));
      }
      if (!exists) continue;
      for (const name in event.losses) {
        const value = event.losses[name] as number;
        insert.run(event.runId, lossId(name), event.step, event.epoch, Number.isFinite(value) ? value : null);
        written++;
      }
    }
    const now = new Date().toISOString();
    for (const [runId, exists] of known) if (exists) touch.run(now, runId);
    return written;
  });

  const flush = (): number => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (buffer.length === 0) return 0;
    const events = buffer;
    buffer = [];
    rows = 0;
    try {
      const written = commit(events);
      options.onFlush?.(written);
      return written;
    } catch (error) {
      // The transaction rolled back: loss names it created are gone too.
      lossIds.clear();
      onError(error instanceof Error ? error : new Error(String(error)), [...new Set(events.map((e) => e.runId))]);
      return 0;
    }
  };

  return {
    write(event) {
      if (closed) throw new Error('the metrics writer is closed');
      const problem = validate(event);
      if (problem) {
        onError(new Error(`a metrics event was dropped: ${problem}`));
        return;
      }
      buffer.push(event);
      rows += Object.keys(event.losses).length;
      if (rows >= maxRows) flush();
      else if (!timer) {
        timer = setTimeout(flush, maxDelayMs);
        timer.unref();
      }
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closed = true;
    },
    get pending() {
      return rows;
    },
  };
}

/** The loss names a run has values for, in name order (one index seek per known loss name). */
export function runLossNames(db: Db, runId: string): string[] {
  return db
    .prepare<[string], string>(
      `SELECT name FROM loss_names AS l
       WHERE EXISTS (SELECT 1 FROM metrics AS m WHERE m.run_id = ? AND m.loss_id = l.id)
       ORDER BY name`,
    )
    .pluck()
    .all(runId);
}

/** Each loss's value at its own last step, and the last step of all. */
export function lastLosses(db: Db, runId: string): { lastStep: number | null; lastLosses: LossValues } {
  const rows = db
    .prepare<[{ run: string }], { name: string; step: number; value: number | null }>(
      `SELECT l.name, last.step, m.value
       FROM (SELECT l.id, (SELECT max(step) FROM metrics WHERE run_id = @run AND loss_id = l.id) AS step
             FROM loss_names AS l) AS last
       JOIN loss_names AS l ON l.id = last.id
       JOIN metrics AS m ON m.run_id = @run AND m.loss_id = last.id AND m.step = last.step
       ORDER BY l.name`,
    )
    .all({ run: runId });
  const result: LossValues = {};
  let lastStep: number | null = null;
  for (const row of rows) {
    result[row.name] = row.value;
    if (lastStep === null || row.step > lastStep) lastStep = row.step;
  }
  return { lastStep, lastLosses: result };
}

/** Deletes a run's metrics after a step (a resume from an earlier checkpoint rewrites them). */
export function truncateMetrics(db: Db, runId: string, afterStep: number): number {
  return db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, afterStep).changes;
}

export interface SeriesQuery {
  losses?: string[] | undefined;
  fromStep?: number | undefined;
  toStep?: number | undefined;
  points?: number | undefined;
}

/**
 * One series per loss, at most `points` (≤ 2,000) points each whatever the run's length.
 * A range that fits is returned whole. A longer one is cut into points/2 step buckets (the
 * buckets of minMaxBuckets in downsample.ts, which says why min/max) and SQLite finds each
 * bucket's lowest and highest row itself, one index range per bucket: the rows never cross into
 * JavaScript, which makes a 1,000,000-step series several times faster than reading it out.
 */
export function readSeries(db: Db, runId: string, query: SeriesQuery = {}): MetricSeries[] {
  const points = Math.max(2, Math.min(query.points ?? MAX_SERIES_POINTS, MAX_SERIES_POINTS));
  const from = query.fromStep ?? 0;
  const to = query.toStep ?? Number.MAX_SAFE_INTEGER;
  const names = query.losses ?? runLossNames(db, runId);
  const idOf = db.prepare<[string], number>('SELECT id FROM loss_names WHERE name = ?').pluck();
  const where = 'WHERE run_id = ? AND loss_id = ? AND step BETWEEN ? AND ?';
  const range = db.prepare<[string, number, number, number], { lo: number | null; hi: number | null; n: number }>(
    `SELECT min(step) AS lo, max(step) AS hi, count(*) AS n FROM metrics ${where}`,
  );
  const all = db
    .prepare<[string, number, number, number], [number, number | null]>(
      `SELECT step, value FROM metrics ${where} ORDER BY step`,
    )
    .raw();
  // With one min() or max() in a query, SQLite takes the bare `step` from the row it chose.
  const lowest = db
    .prepare<[string, number, number, number], [number | null, number | null]>(
      `SELECT step, min(value) FROM metrics ${where}`,
    )
    .raw();
  const highest = db
    .prepare<[string, number, number, number], [number | null, number | null]>(
      `SELECT step, max(value) FROM metrics ${where}`,
    )
    .raw();
  const firstStep = db
    .prepare<[string, number, number, number], number>(`SELECT min(step) FROM metrics ${where}`)
    .pluck();
  return names.map((loss) => {
    const id = idOf.get(loss);
    const empty = { loss, steps: [], values: [], total: 0, downsampled: false };
    if (id === undefined) return empty;
    const { lo, hi, n } = range.get(runId, id, from, to) as { lo: number | null; hi: number | null; n: number };
    if (lo === null || hi === null || n === 0) return empty;
    if (n <= points) {
      const rows = all.all(runId, id, lo, hi);
      return { loss, steps: rows.map((r) => r[0]), values: rows.map((r) => r[1]), total: n, downsampled: false };
    }
    const buckets = Math.floor(points / 2);
    const span = hi - lo + 1;
    const series: Series = { steps: [], values: [] };
    for (let b = 0; b < buckets; b++) {
      const start = lo + Math.ceil((b * span) / buckets);
      const end = lo + Math.ceil(((b + 1) * span) / buckets) - 1;
      if (end < start) continue;
      const [minStep, minValue] = lowest.get(runId, id, start, end) as [number | null, number | null];
      if (minStep === null) continue; // no rows in this bucket
      if (minValue === null) {
        series.steps.push(firstStep.get(runId, id, start, end) as number); // only non-finite values: a gap
        series.values.push(null);
        continue;
      }
      const [maxStep, maxValue] = highest.get(runId, id, start, end) as [number, number];
      if (minStep === maxStep) {
        series.steps.push(minStep);
        series.values.push(minValue);
      } else if (minStep < maxStep) {
        series.steps.push(minStep, maxStep);
        series.values.push(minValue, maxValue);
      } else {
        series.steps.push(maxStep, minStep);
        series.values.push(maxValue, minValue);
      }
    }
    return { loss, ...series, total: n, downsampled: true };
  });
}
