// A run's ground-truth reports: one per step, read back in step order and validated, replaced when
// a resume scores a step again, cut after the step a resume starts from.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Db, migrate } from '../../../src/main/store/database.ts';
import { migrations } from '../../../src/main/store/migrations.ts';
import { createRun } from '../../../src/main/store/runs.ts';
import { listTruthReports, recordTruthReport, truncateTruthReports } from '../../../src/main/store/truth-reports.ts';
import type { TruthReport } from '../../../src/shared/truth.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
});
afterEach(() => db.close());

function report(step: number, psnr: number): TruthReport {
  const scores = { l1: 0.1, psnr: 20, ssim: 0.8 };
  return {
    step,
    images: 32,
    size: 32,
    model: { l1: 0.05, psnr, ssim: 0.85 },
    baselines: { input: scores, targetMean: { ...scores, psnr: 13 }, colourTransfer: { ...scores, psnr: 19 } },
    best: 'input',
    gainDb: psnr - 20,
  };
}

it('keeps one report per step, in step order; a step scored again replaces its report', () => {
  const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
  recordTruthReport(db, run, report(256, 21));
  recordTruthReport(db, run, report(0, 8));
  recordTruthReport(db, run, report(256, 22.5));
  expect(listTruthReports(db, run).map((r) => [r.step, r.model.psnr])).toEqual([
    [0, 8],
    [256, 22.5],
  ]);
});

it('cuts the reports after the step a resume starts from', () => {
  const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
  for (const step of [0, 128, 256, 384]) recordTruthReport(db, run, report(step, 20 + step / 100));
  truncateTruthReports(db, run, 256);
  expect(listTruthReports(db, run).map((r) => r.step)).toEqual([0, 128, 256]);
});

it('drops a stored row that is not a report instead of showing it', () => {
  const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
  recordTruthReport(db, run, report(0, 8));
  db.prepare(
    "INSERT INTO truth_reports (run_id, step, report_json) VALUES (?, 5, '{\"step\":5}'), (?, 6, 'not json')",
  ).run(run, run);
  expect(listTruthReports(db, run).map((r) => r.step)).toEqual([0]);
});
