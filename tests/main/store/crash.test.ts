// SIGKILL in the middle of heavy batched metric writes: the database must reopen intact with
// every batch the killed process reported as committed (and no half batch).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/database.ts';

const child = fileURLToPath(new URL('./fixtures/metrics-writer-child.ts', import.meta.url));
const BATCH = 2000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-crash-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function killMidway(file: string, killAfterBatches: number): Promise<{ runId: string; committed: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last: { runId: string; committed: number } | null = null;
    let seen = 0;
    let buffered = '';
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        last = JSON.parse(line) as { runId: string; committed: number };
        seen++;
      }
      if (seen >= killAfterBatches && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
      else if (!last) reject(new Error('the writer was killed before it committed anything'));
      else resolve(last);
    });
  });
}

describe('a host killed while writing metrics', () => {
  it('leaves a database that passes integrity_check and holds every committed batch', async () => {
    const file = path.join(dir, 'diptych.db');
    for (const round of [1, 2]) {
      const reported = await killMidway(file, 15 * round);
      const db = openDatabase(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const rows = db.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck().get(reported.runId) as number;
        // Every batch it reported is there; a batch it had not reported yet may be too, but whole.
        expect(rows).toBeGreaterThanOrEqual(reported.committed);
        expect(rows % BATCH).toBe(0);
        expect(rows - reported.committed).toBeLessThanOrEqual(BATCH);
        // Rows of one step are all there or not at all.
        const steps = db
          .prepare('SELECT count(DISTINCT step) FROM metrics WHERE run_id = ?')
          .pluck()
          .get(reported.runId);
        expect(steps).toBe(rows / 8);
      } finally {
        db.close();
      }
    }
  });
});
