// Every schema version upgrades to the latest with its data intact: a database is built at
// version k with the first k migrations, filled with rows that version can hold, migrated, and
// checked. Add a seeder (and its checks) here with every new migration.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Db, migrate } from '../../../src/main/store/database.ts';
import { lastLosses, readSeries } from '../../../src/main/store/metrics.ts';
import { migrations } from '../../../src/main/store/migrations.ts';

/** seeders[v] fills a database that is at schema version v + 1. */
const seeders: ((db: Db) => void)[] = [
  (db) => {
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, backend, created_at, updated_at) VALUES ('v1run', 'from v1', 'cogan', 'completed', '{\"lr\":0.0002}', 'wasm', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')",
    ).run();
  },
  (db) => {
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at, engine_pid) VALUES ('v2run', 'from v2', 'cyclegan', 'running', '{}', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z', 4242)",
    ).run();
    db.prepare("INSERT INTO loss_names (id, name) VALUES (1, 'G_A')").run();
    db.prepare("INSERT INTO metrics VALUES ('v2run', 1, 10, 0, 0.5), ('v2run', 1, 20, 0, 0.25)").run();
    db.prepare(
      "INSERT INTO checkpoints (run_id, step, epoch, path, size_bytes, created_at) VALUES ('v2run', 20, 0, 'runs/v2run/checkpoints/20', 1, 't')",
    ).run();
  },
  (db) => {
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, backend, created_at, updated_at, gpu_adapter_json) VALUES ('v3run', 'from v3', 'cyclegan', 'completed', '{}', 'webgpu', 't', 't', '{\"vendor\":\"nvidia\"}')",
    ).run();
    // A conversion from before owners were recorded, still 'running'.
    db.prepare(
      "INSERT INTO conversions (run_id, checkpoint_step, direction, input_path, output_path, total, status, created_at) VALUES ('v3run', 20, 'AtoB', 'in', 'out', 5, 'running', 't')",
    ).run();
  },
  (db) => {
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at, engine_pid, engine_started_ticks) VALUES ('v4run', 'from v4', 'cyclegan', 'running', '{}', 't', 't', 777, 123456)",
    ).run();
    db.prepare(
      "INSERT INTO conversions (run_id, checkpoint_step, direction, input_path, output_path, total, status, created_at, engine_pid, engine_started_ticks) VALUES ('v4run', 1, 'BtoA', 'in4', 'out4', 2, 'running', 't', 778, 654321)",
    ).run();
  },
  (db) => {
    db.prepare(
      "INSERT INTO truth_reports (run_id, step, report_json) VALUES ('v4run', 0, '{\"step\":0}'), ('v4run', 256, '{\"step\":256}')",
    ).run();
  },
  (db) => {
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES ('v6run', 'from v6', 'cut', 'completed', '{}', 't', 't')",
    ).run();
    db.prepare(
      "INSERT INTO checkpoints (run_id, step, epoch, path, size_bytes, created_at) VALUES ('v6run', 8, 1, 'runs/v6run/checkpoints/8', 1, 't')",
    ).run();
  },
];

function checks(db: Db, version: number): void {
  if (version >= 1) {
    expect(db.prepare("SELECT name, model, status, config_json, backend FROM runs WHERE id = 'v1run'").get()).toEqual({
      name: 'from v1',
      model: 'cogan',
      status: 'completed',
      config_json: '{"lr":0.0002}',
      backend: 'wasm',
    });
    // Columns added later start empty for old rows.
    expect(db.prepare("SELECT engine_pid, resume_step FROM runs WHERE id = 'v1run'").get()).toEqual({
      engine_pid: null,
      resume_step: null,
    });
  }
  if (version >= 2) {
    expect(lastLosses(db, 'v2run')).toEqual({ lastStep: 20, lastLosses: { G_A: 0.25 } });
    expect(readSeries(db, 'v2run')[0]?.steps).toEqual([10, 20]);
  }
  if (version >= 3) {
    // Runs from before the GPU engine have no adapter; a webgpu run keeps its own.
    expect(db.prepare("SELECT gpu_adapter_json FROM runs WHERE id = 'v1run'").pluck().get()).toBeNull();
    expect(db.prepare("SELECT gpu_adapter_json FROM runs WHERE id = 'v3run'").pluck().get()).toBe(
      '{"vendor":"nvidia"}',
    );
  }
  if (version >= 4) {
    // Older runs and conversions have no recorded start time (or owner); newer ones keep theirs.
    expect(db.prepare("SELECT engine_pid, engine_started_ticks FROM runs WHERE id = 'v2run'").get()).toEqual({
      engine_pid: 4242,
      engine_started_ticks: null,
    });
    expect(
      db.prepare("SELECT engine_pid, engine_started_ticks, status FROM conversions WHERE input_path = 'in'").get(),
    ).toEqual({ engine_pid: null, engine_started_ticks: null, status: 'running' });
    expect(db.prepare("SELECT engine_pid, engine_started_ticks FROM runs WHERE id = 'v4run'").get()).toEqual({
      engine_pid: 777,
      engine_started_ticks: 123456,
    });
    expect(
      db.prepare("SELECT engine_pid, engine_started_ticks FROM conversions WHERE input_path = 'in4'").get(),
    ).toEqual({ engine_pid: 778, engine_started_ticks: 654321 });
  }
  if (version >= 5) {
    // Ground-truth reports are kept per run and step, and go with their run.
    expect(db.prepare("SELECT step FROM truth_reports WHERE run_id = 'v4run' ORDER BY step").pluck().all()).toEqual([
      0, 256,
    ]);
    // (on a run of its own: the checks run again after later seeders, and v4run must stay)
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES ('gone', 'x', 'cyclegan', 'completed', '{}', 't', 't')",
    ).run();
    db.prepare("INSERT INTO truth_reports (run_id, step, report_json) VALUES ('gone', 0, '{}')").run();
    db.prepare("DELETE FROM runs WHERE id = 'gone'").run();
    expect(db.prepare("SELECT COUNT(*) FROM truth_reports WHERE run_id = 'gone'").pluck().get()).toBe(0);
  }
  if (version >= 6) {
    // CUT runs are stored; the rebuilt table still refuses an unknown model, keeps its indexes, and a
    // run's rows still go with it (the children point at the new table, not at the one dropped).
    expect(db.prepare("SELECT model FROM runs WHERE id = 'v6run'").pluck().get()).toBe('cut');
    expect(() =>
      db
        .prepare(
          "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES ('bad', 'x', 'pix2pix', 'completed', '{}', 't', 't')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(
      db
        .prepare('PRAGMA index_list(runs)')
        .all()
        .map((i) => (i as { name: string }).name),
    ).toEqual(expect.arrayContaining(['runs_created_at', 'runs_active']));
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%runs_with_cut%'").pluck().get()).toBe(0);
    // A run's rows go with it through the rebuilt table (checked on v2run, whose metrics came from before).
    db.prepare(
      "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES ('gone6', 'x', 'cut', 'completed', '{}', 't', 't')",
    ).run();
    db.prepare(
      "INSERT INTO checkpoints (run_id, step, epoch, path, size_bytes, created_at) VALUES ('gone6', 1, 0, 'p', 1, 't')",
    ).run();
    db.prepare("DELETE FROM runs WHERE id = 'gone6'").run();
    expect(db.prepare("SELECT COUNT(*) FROM checkpoints WHERE run_id = 'gone6'").pluck().get()).toBe(0);
  }
}

describe('upgrading from every earlier schema version', () => {
  expect(seeders).toHaveLength(migrations.length);

  for (let from = 0; from < migrations.length; from++) {
    it(`from version ${from} to ${migrations.length}, rows intact`, () => {
      const db = new Database(':memory:');
      try {
        db.pragma('foreign_keys = ON');
        migrate(db, migrations.slice(0, from));
        expect(db.pragma('user_version', { simple: true })).toBe(from);
        for (let v = 0; v < from; v++) seeders[v]?.(db);
        migrate(db, migrations);
        expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        checks(db, from);
        // And the upgraded database takes new rows of the latest schema.
        for (let v = from; v < migrations.length; v++) seeders[v]?.(db);
        checks(db, migrations.length);
      } finally {
        db.close();
      }
    });
  }
});
