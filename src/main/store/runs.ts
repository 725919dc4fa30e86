// Queries over the runs table.
import type { RunSummary } from '../../shared/contract.ts';
import type { Db } from './database.ts';

interface RunRow {
  id: string;
  name: string;
  model: RunSummary['model'];
  status: RunSummary['status'];
  created_at: string;
  backend: string | null;
}

export function listRuns(db: Db): RunSummary[] {
  const rows = db
    .prepare<[], RunRow>('SELECT id, name, model, status, created_at, backend FROM runs ORDER BY created_at DESC, id DESC')
    .all();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    model: row.model,
    status: row.status,
    createdAt: row.created_at,
    backend: row.backend,
  }));
}
