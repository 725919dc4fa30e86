// Messages between a host and an engine process (one job per process). The engine never
// writes the database: it reports, the host records.
import type { BackendInfo, BackendName } from './contract.ts';

export type HostToEngine = { type: 'probe'; backend?: BackendName | undefined } | { type: 'exit' };

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'backend'; info: BackendInfo }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'fatal'; message: string };
