// Starts engine processes with Electron's utilityProcess (the process model Electron
// recommends for CPU-heavy work; tfjs-node crashes in worker_threads, tensorflow/tfjs#8388).
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { EngineLauncher } from '../src/main/engine/launcher.ts';
import type { EngineToHost } from '../src/shared/engine-protocol.ts';

export function createUtilityProcessLauncher(mainDir: string): EngineLauncher {
  const entry = path.join(mainDir, 'engine.js');
  return (options) => {
    const child = utilityProcess.fork(entry, [], {
      env: { ...process.env, ...options?.env },
      serviceName: 'Diptych engine',
      stdio: 'inherit',
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: EngineToHost) => listener(message)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    };
  };
}
