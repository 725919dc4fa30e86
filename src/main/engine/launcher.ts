// How a host starts an engine process. src/main stays free of Electron: the CLI, the web host
// and tests fork the TypeScript entry with Node; the Electron app injects a launcher built on
// utilityProcess (electron/engine-launcher.ts). Both look the same from here.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineToHost, HostToEngine } from '../../shared/engine-protocol.ts';

export interface EngineHandle {
  readonly pid: number | undefined;
  send(message: HostToEngine): void;
  onMessage(listener: (message: EngineToHost) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type EngineLauncher = (options?: { env?: Record<string, string> }) => EngineHandle;

const engineEntry = fileURLToPath(new URL('../../training/engine-process.ts', import.meta.url));

/** Forks the engine entry with this same Node (24: it runs the .ts entry as is). */
export const forkEngine: EngineLauncher = (options) => {
  const child = fork(engineEntry, [], {
    env: { ...process.env, ...options?.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as EngineToHost)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
};
