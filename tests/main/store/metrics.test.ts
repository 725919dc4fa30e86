import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Db, migrate } from '../../../src/main/store/database.ts';
import {
  createMetricsWriter,
  lastLosses,
  readSeries,
  runLossNames,
  truncateMetrics,
} from '../../../src/main/store/metrics.ts';
import { migrations } from '../../../src/main/store/migrations.ts';
import { createRun } from '../../../src/main/store/runs.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
});

const count = () => db.prepare('SELECT count(*) FROM metrics').pluck().get();

describe('createMetricsWriter', () => {
  it('buffers rows and commits them in one transaction every maxRows rows, not per step', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const flushes: number[] = [];
    const writer = createMetricsWriter(db, { maxRows: 100, maxDelayMs: 60_000, onFlush: (n) => flushes.push(n) });
    for (let step = 0; step < 120; step++) writer.write({ runId: run, step, epoch: 0, losses: { G_A: 1, D_A: 2 } });
    // Two rows per step: the 50th and the 100th step each filled a batch.
    expect(flushes).toEqual([100, 100]);
    expect(count()).toBe(200);
    expect(writer.pending).toBe(40);
    writer.close();
    expect(flushes).toEqual([100, 100, 40]);
    expect(count()).toBe(240);
    expect(() => writer.write({ runId: run, step: 1, epoch: 0, losses: {} })).toThrow(/closed/);
  });

  it('flushes a partial batch after maxDelayMs', () => {
    vi.useFakeTimers();
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db, { maxRows: 1000, maxDelayMs: 250 });
    writer.write({ runId: run, step: 1, epoch: 0, losses: { G_A: 0.5 } });
    writer.write({ runId: run, step: 2, epoch: 0, losses: { G_A: 0.4 } });
    expect(count()).toBe(0);
    vi.advanceTimersByTime(249);
    expect(count()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count()).toBe(2);
    writer.close();
  });

  it('stores NaN and Infinity as null, replaces a step written twice, and drops bad events with a reason', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const errors: string[] = [];
    const writer = createMetricsWriter(db, { onError: (e) => errors.push(e.message) });
    writer.write({ runId: run, step: 5, epoch: 0, losses: { G_A: Number.NaN, D_A: Number.POSITIVE_INFINITY } });
    writer.write({ runId: run, step: 6, epoch: 1, losses: { G_A: 1 } });
    writer.write({ runId: run, step: 6, epoch: 1, losses: { G_A: 2 } });
    writer.write({ runId: run, step: -1, epoch: 0, losses: { G_A: 1 } });
    writer.write({ runId: run, step: 7, epoch: 0, losses: { 'bad name!': 1 } });
    writer.write({ runId: 'ghost', step: 1, epoch: 0, losses: { G_A: 1 } });
    writer.flush();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/bad step -1/);
    expect(errors[1]).toMatch(/bad loss name/);
    expect(errors[2]).toMatch(/run ghost, which is not in the database/);
    expect(lastLosses(db, run)).toEqual({ lastStep: 6, lastLosses: { D_A: null, G_A: 2 } });
    expect(runLossNames(db, run)).toEqual(['D_A', 'G_A']);
    writer.close();
  });

  it('keeps writing for other runs when one run is unknown', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db, { onError: () => {} });
    writer.write({ runId: 'ghost', step: 1, epoch: 0, losses: { G_A: 1 } });
    writer.write({ runId: run, step: 1, epoch: 0, losses: { G_A: 1 } });
    expect(writer.flush()).toBe(1);
    writer.close();
  });
});

describe('reads', () => {
  it('lastLosses takes each loss at its own last step', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const other = createRun(db, { name: 'o', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db);
    writer.write({ runId: run, step: 10, epoch: 0, losses: { G_A: 1, D_A: 3 } });
    writer.write({ runId: run, step: 20, epoch: 1, losses: { G_A: 2 } });
    writer.write({ runId: other, step: 99, epoch: 9, losses: { cycle_A: 7 } });
    writer.close();
    expect(lastLosses(db, run)).toEqual({ lastStep: 20, lastLosses: { D_A: 3, G_A: 2 } });
    expect(lastLosses(db, other)).toEqual({ lastStep: 99, lastLosses: { cycle_A: 7 } });
    expect(lastLosses(db, 'nobody')).toEqual({ lastStep: null, lastLosses: {} });
  });

  it('readSeries returns at most 2,000 points of a long run, keeping its peak', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db, { maxRows: 10_000 });
    for (let step = 0; step < 50_000; step++)
      writer.write({ runId: run, step, epoch: 0, losses: { G_A: step === 31_337 ? 1000 : 1 / (1 + step), D_A: 0.5 } });
    writer.close();
    const [g, d] = readSeries(db, run, { losses: ['G_A', 'D_A'] });
    expect(g?.total).toBe(50_000);
    expect(g?.downsampled).toBe(true);
    expect(g?.steps.length).toBeLessThanOrEqual(2000);
    expect(g?.values[g.steps.indexOf(31_337)]).toBe(1000);
    expect(d?.steps.length).toBeLessThanOrEqual(2000);
    // A zoomed range is downsampled on its own.
    const [zoom] = readSeries(db, run, { losses: ['G_A'], fromStep: 31_000, toStep: 31_999, points: 2000 });
    expect(zoom?.total).toBe(1000);
    expect(zoom?.downsampled).toBe(false);
    expect(zoom?.steps[0]).toBe(31_000);
    // Unknown loss: an empty series, not an error.
    expect(readSeries(db, run, { losses: ['nope'] })).toEqual([
      { loss: 'nope', steps: [], values: [], total: 0, downsampled: false },
    ]);
    expect(readSeries(db, run, { points: 100 }).map((s) => [s.loss, s.steps.length <= 100])).toEqual([
      ['D_A', true],
      ['G_A', true],
    ]);
  });

  it('truncateMetrics drops what came after a resume point', () => {
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db);
    for (let step = 0; step < 10; step++) writer.write({ runId: run, step, epoch: 0, losses: { G_A: step } });
    writer.close();
    expect(truncateMetrics(db, run, 4)).toBe(5);
    expect(lastLosses(db, run).lastStep).toBe(4);
  });
});

describe('readSeries and minMaxBuckets', () => {
  it('agree: the SQL buckets are the in-memory algorithm', async () => {
    const { minMaxBuckets } = await import('../../../src/main/store/downsample.ts');
    const run = createRun(db, { name: 'r', model: 'cyclegan', config: {} });
    const writer = createMetricsWriter(db, { maxRows: 10_000 });
    const steps: number[] = [];
    const values: (number | null)[] = [];
    let seed = 7;
    for (let step = 3; step < 60_000; step += 1 + (step % 3)) {
      seed = (seed * 48_271) % 2_147_483_647;
      const value = step > 40_000 && step < 40_200 ? Number.NaN : seed / 2_147_483_647;
      steps.push(step);
      values.push(Number.isNaN(value) ? null : value);
      writer.write({ runId: run, step, epoch: 0, losses: { G_A: value } });
    }
    writer.close();
    for (const points of [2000, 501, 2]) {
      const [fromDb] = readSeries(db, run, { losses: ['G_A'], points });
      expect(fromDb?.steps.length).toBeLessThanOrEqual(points);
      const inMemory = minMaxBuckets(steps, values, points);
      expect({ steps: fromDb?.steps, values: fromDb?.values }, `points ${points}`).toEqual(inMemory);
    }
  });
});
