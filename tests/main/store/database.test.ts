import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrate, openDatabase } from '../../../src/main/store/database.ts';
import { migrations } from '../../../src/main/store/migrations.ts';

let dir: string;
const open: Db[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-db-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function track(db: Db): Db {
  open.push(db);
  return db;
}

describe('openDatabase', () => {
  it('opens in WAL mode with foreign keys and a busy timeout', () => {
    const db = track(openDatabase(path.join(dir, 'diptych.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });

  it('brings a new database to the latest schema', () => {
    const db = track(openDatabase(path.join(dir, 'diptych.db')));
    expect(migrations.length).toBeGreaterThan(0);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const columns = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('runs')")
      .all()
      .map((c) => c.name);
    expect(columns).toEqual([
      'id',
      'name',
      'model',
      'status',
      'config_json',
      'backend',
      'created_at',
      'updated_at',
      'error',
      // migration 2
      'device',
      'engine_pid',
      'started_at',
      'finished_at',
      'resume_step',
      'dataset_a_id',
      'dataset_b_id',
      // migration 3
      'gpu_adapter_json',
      // migration 4
      'engine_started_ticks',
    ]);
    const conversionColumns = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('conversions')")
      .all()
      .map((c) => c.name);
    expect(conversionColumns.slice(-2)).toEqual(['engine_pid', 'engine_started_ticks']);
  });

  it('reopens an up-to-date database without re-running migrations, keeping its rows', () => {
    const file = path.join(dir, 'diptych.db');
    const first = openDatabase(file);
    first
      .prepare(
        'INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('r1', 'kept', 'cyclegan', 'queued', '{}', '2025-01-01', '2025-01-01');
    first.close();
    const second = track(openDatabase(file));
    expect(second.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(second.prepare('SELECT name FROM runs').pluck().all()).toEqual(['kept']);
  });

  it('enforces the schema constraints', () => {
    const db = track(openDatabase(path.join(dir, 'diptych.db')));
    const insert = db.prepare(
      'INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    expect(() => insert.run('x', 'n', 'pix2pix', 'queued', '{}', 't', 't')).toThrow(/CHECK constraint/);
    expect(() => insert.run('y', 'n', 'cyclegan', 'exploded', '{}', 't', 't')).toThrow(/CHECK constraint/);
  });

  it('refuses a database from a newer Diptych with a clear message and leaves it untouched', () => {
    const file = path.join(dir, 'future.db');
    const future = new Database(file);
    future.exec('CREATE TABLE from_the_future (x)');
    future.pragma(`user_version = ${migrations.length + 3}`);
    future.close();
    expect(() => track(openDatabase(file))).toThrow(
      `This run database was written by a newer Diptych (schema ${migrations.length + 3}, this version knows ${migrations.length}). Update Diptych to open it.`,
    );
    // The refused connection was closed: SQLite removes its -wal and -shm files on the last close.
    expect(fs.readdirSync(dir).sort()).toEqual(['future.db']);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(migrations.length + 3);
      expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'runs'").pluck().get()).toBe(0);
    } finally {
      after.close();
    }
  });
});

describe('migrate', () => {
  it('applies only the migrations after the current user_version, in order', () => {
    const db = track(new Database(':memory:'));
    const schema = ['CREATE TABLE one (a)', 'CREATE TABLE two (b)', 'CREATE TABLE three (c)'];
    migrate(db, schema.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    migrate(db, schema); // would fail on "table one already exists" if it re-ran the first
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['one', 'three', 'two']);
  });

  it('rolls back every step of a failing upgrade', () => {
    const db = track(new Database(':memory:'));
    expect(() => migrate(db, ['CREATE TABLE one (a)', 'THIS IS NOT SQL'])).toThrow(/syntax error/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'one'").pluck().get()).toBe(0);
  });
});
