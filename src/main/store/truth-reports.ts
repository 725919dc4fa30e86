// A run's ground-truth reports (src/shared/truth.ts), one per step. Rows are parsed on the way
// out, so a report written by another version that no longer fits is dropped, not shown wrong.
import { TruthReport } from '../../shared/truth.ts';
import type { Db } from './database.ts';

export function recordTruthReport(db: Db, runId: string, report: TruthReport): void {
  db.prepare('INSERT OR REPLACE INTO truth_reports (run_id, step, report_json) VALUES (?, ?, ?)').run(
    runId,
    report.step,
    JSON.stringify(report),
  );
}

export function listTruthReports(db: Db, runId: string): TruthReport[] {
  const rows = db
    .prepare<[string], { report_json: string }>('SELECT report_json FROM truth_reports WHERE run_id = ? ORDER BY step')
    .all(runId);
  return rows.flatMap((row) => {
    try {
      const parsed = TruthReport.safeParse(JSON.parse(row.report_json));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** A resume from `step` trains the steps after it again: their reports are stale. */
export function truncateTruthReports(db: Db, runId: string, step: number): void {
  db.prepare('DELETE FROM truth_reports WHERE run_id = ? AND step > ?').run(runId, step);
}
