// Run-store benchmarks (no TensorFlow, no engine): how fast the host records metrics and how
// fast a chart's series comes back from a long run. Each case works in a fresh temporary
// workspace database with the production settings (WAL, synchronous=NORMAL, foreign keys).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Db, openDatabase } from '../src/main/store/database.ts';
import { createMetricsWriter, readSeries } from '../src/main/store/metrics.ts';
import { createRun } from '../src/main/store/runs.ts';
import type { CaseTiming } from './timing.ts';

const LOSSES = ['G_A', 'G_B', 'D_A', 'D_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'];

function withDatabase<T>(body: (db: Db) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-bench-store-'));
  const db = openDatabase(path.join(dir, 'diptych.db'));
  try {
    return body(db);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `steps` steps of `losses` losses each through the batched writer, as the host does. */
function writeRun(db: Db, steps: number, losses: readonly string[]): string {
  const runId = createRun(db, { name: 'bench', model: 'cyclegan', config: {} });
  const writer = createMetricsWriter(db);
  for (let step = 0; step < steps; step++) {
    const values: Record<string, number> = {};
    for (const [i, name] of losses.entries()) values[name] = Math.sin(step / 500 + i) + (step % 97 === 0 ? 3 : 0);
    writer.write({ runId, step, epoch: Math.floor(step / 1000), losses: values });
  }
  writer.close();
  return runId;
}

function timing(times: number[], throughput: CaseTiming['throughput']): CaseTiming {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return {
    median_ms: Math.round(median * 10) / 10,
    min_ms: Math.round((sorted[0] as number) * 10) / 10,
    iterations: times.length,
    images_per_s: 0,
    tensors_before: 0,
    tensors_after: 0,
    ...(throughput ? { throughput } : {}),
  };
}

/** 1,000,000 metric rows (125,000 steps × 8 losses) into a fresh database. */
export async function insertMetrics(rows = 1_000_000, iterations = 3): Promise<CaseTiming> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    times.push(
      withDatabase((db) => {
        const started = performance.now();
        writeRun(db, rows / LOSSES.length, LOSSES);
        return performance.now() - started;
      }),
    );
  }
  const result = timing(times, { value: 0, unit: 'rows/s' });
  result.throughput = { value: Math.round(rows / (result.median_ms / 1000)), unit: 'rows/s' };
  return result;
}

/** A 2,000-point series of one loss of a 1,000,000-step run. */
export async function downsampledSeries(steps = 1_000_000, iterations = 7): Promise<CaseTiming> {
  return withDatabase((db) => {
    const runId = writeRun(db, steps, ['G_A']);
    readSeries(db, runId, { losses: ['G_A'] }); // warm the page cache
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      const [series] = readSeries(db, runId, { losses: ['G_A'], points: 2000 });
      times.push(performance.now() - started);
      if (!series || series.total !== steps || series.steps.length > 2000)
        throw new Error('the downsampled series is wrong');
    }
    const result = timing(times, undefined);
    result.throughput = { value: Math.round(1000 / result.median_ms), unit: 'series/s' };
    return result;
  });
}
