import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrate } from '../../../src/main/store/database.ts';
import { migrations } from '../../../src/main/store/migrations.ts';
import { listRuns } from '../../../src/main/store/runs.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, migrations);
});
afterEach(() => db.close());

function insert(
  id: string,
  createdAt: string,
  extra: Partial<{ name: string; model: string; status: string; backend: string | null }> = {},
) {
  db.prepare(
    'INSERT INTO runs (id, name, model, status, config_json, backend, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    extra.name ?? `run ${id}`,
    extra.model ?? 'cyclegan',
    extra.status ?? 'queued',
    '{"x":1}',
    extra.backend ?? null,
    createdAt,
    createdAt,
  );
}

describe('listRuns', () => {
  it('is empty for a new database', () => {
    expect(listRuns(db)).toEqual([]);
  });

  it('lists the newest run first, whatever the insertion order', () => {
    insert('b', '2025-03-02T10:00:00.000Z');
    insert('c', '2025-03-03T09:00:00.000Z');
    insert('a', '2025-03-01T23:59:59.999Z');
    insert('d', '2024-12-31T00:00:00.000Z');
    expect(listRuns(db).map((run) => run.id)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('maps every column to the contract shape', () => {
    insert('r1', '2025-01-01T00:00:00.000Z', {
      name: 'horse → zebra',
      model: 'cogan',
      status: 'completed',
      backend: 'wasm',
    });
    expect(listRuns(db)).toEqual([
      {
        id: 'r1',
        name: 'horse → zebra',
        model: 'cogan',
        status: 'completed',
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        backend: 'wasm',
        lastStep: null,
        lastLosses: {},
        epoch: null,
        thumbnails: { A: [], B: [] },
      },
    ]);
  });
});
