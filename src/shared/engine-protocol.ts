// Messages between a host and an engine process (one job per process). The engine never
// writes the database: it reports, the host records.
import type { BackendInfo, BackendName } from './contract.ts';

export type HostToEngine = { type: 'probe'; backend?: BackendName | undefined } | { type: 'exit' };

/** One training step's losses; the host batches these into the metrics table (src/main/store/metrics.ts). */
export interface MetricsEvent {
  runId: string;
  step: number;
  epoch: number;
  losses: Record<string, number>;
}

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'backend'; info: BackendInfo }
  | ({ type: 'metrics' } & MetricsEvent)
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'fatal'; message: string };
