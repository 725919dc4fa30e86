// One engine process running one job, as every host-side job sees it: the job goes out when the
// engine says it is ready, a `fatal` message is kept as the reason it failed, and an exit before the
// job's own end becomes a failure that names the exit code. Training, conversion, comparison, export
// and the backend probe are built on it, so each of them only says what its own events mean.
import type { EngineToHost, HostToEngine } from '../../shared/engine-protocol.ts';
import type { EngineHandle, EngineLauncher } from './launcher.ts';

export interface EngineSessionOptions {
  /** The job, sent once the engine reports `ready`. */
  job: HostToEngine;
  /** Whether an event is the job's own end: after it an exit is expected, before it a failure. */
  isEnd(event: EngineToHost): boolean;
  /** The engine is ready (its pid known); runs before the job is sent. */
  onReady?(pid: number): void;
  /** Every event the engine sends, `ready` and `fatal` included, in order. */
  onEvent?(event: EngineToHost): void;
}

export interface EngineExit {
  /** Whether the engine reported the job's end before it exited. */
  ended: boolean;
  /** The engine's own `fatal` message, or the unexpected exit; null when it ended and said nothing wrong. */
  error: string | null;
  code: number | null;
}

export interface EngineSession {
  readonly pid: number | undefined;
  /** Control messages while the job runs (pause, resume, stop). */
  send(message: HostToEngine): void;
  kill(): void;
  /** Settles once the engine process has exited. */
  exited: Promise<EngineExit>;
}

export function unexpectedExit(code: number | null): string {
  return `The engine process ended unexpectedly (exit code ${code}).`;
}

export function startEngineSession(launch: EngineLauncher, options: EngineSessionOptions): EngineSession {
  const engine: EngineHandle = launch();
  let ended = false;
  let fatal: string | null = null;
  engine.onMessage((event) => {
    if (event.type === 'ready') {
      options.onReady?.(engine.pid ?? event.pid);
      engine.send(options.job);
    } else if (event.type === 'fatal') fatal ??= event.message;
    else if (options.isEnd(event)) ended = true;
    options.onEvent?.(event);
  });
  const exited = new Promise<EngineExit>((resolve) => {
    engine.onExit((code) => resolve({ ended, code, error: fatal ?? (ended ? null : unexpectedExit(code)) }));
  });
  return {
    get pid() {
      return engine.pid;
    },
    send: (message) => engine.send(message),
    kill: () => engine.kill(),
    exited,
  };
}
