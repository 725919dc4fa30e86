// The losses of the steps since the last checkpoint, kept in the next checkpoint (its manifest's
// `extra.recentMetrics`) and sent again when a run resumes from it.
//
// Why: the host writes the engine's metrics in batches, and flushes when told of a checkpoint; a host
// killed between the engine's checkpoint and that message loses the rows of the steps since the
// previous one, which training never sends twice. With them in the checkpoint, a resume restores
// every step up to the step it resumes from (the host's writes are upserts, so rows it did keep are
// simply written again with the same values).
import type { MetricsEvent } from '../../shared/engine-protocol.ts';

export type MetricsRow = Omit<MetricsEvent, 'runId'>;

export interface RecentMetrics {
  record(row: MetricsRow): void;
  /** The rows since the last checkpoint, for the one being written now. */
  rows(): MetricsRow[];
  /** After a checkpoint is written: its rows are in it. */
  clear(): void;
}

export function createRecentMetrics(): RecentMetrics {
  let kept: MetricsRow[] = [];
  return {
    record: (row) => {
      kept.push({ step: row.step, epoch: row.epoch, losses: { ...row.losses } });
    },
    rows: () => kept.slice(),
    clear: () => {
      kept = [];
    },
  };
}

/** The rows a checkpoint kept (none from checkpoints written before they were kept, or malformed). */
export function recentMetricsOf(extra: Record<string, unknown> | undefined): MetricsRow[] {
  const rows = extra?.recentMetrics;
  if (!Array.isArray(rows)) return [];
  return rows.filter(
    (row): row is MetricsRow =>
      typeof row === 'object' &&
      row !== null &&
      Number.isSafeInteger((row as MetricsRow).step) &&
      Number.isSafeInteger((row as MetricsRow).epoch) &&
      typeof (row as MetricsRow).losses === 'object' &&
      (row as MetricsRow).losses !== null,
  );
}
