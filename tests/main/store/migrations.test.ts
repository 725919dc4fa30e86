import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../src/main/store/migrations.ts';

describe('migrations', () => {
  it('each applies cleanly on top of the ones before it', () => {
    const db = new Database(':memory:');
    try {
      for (const [index, step] of migrations.entries()) {
        expect(() => db.exec(step), `migration ${index + 1}`).not.toThrow();
      }
      expect(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'runs_created_at'").pluck().get(),
      ).toBe('runs_created_at');
    } finally {
      db.close();
    }
  });

  it('makes run ids unique', () => {
    const db = new Database(':memory:');
    try {
      for (const step of migrations) db.exec(step);
      const insert = db.prepare(
        "INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES ('same', 'n', 'cyclegan', 'queued', '{}', 't', 't')",
      );
      insert.run();
      expect(() => insert.run()).toThrow(/UNIQUE constraint failed: runs.id/);
    } finally {
      db.close();
    }
  });
});
