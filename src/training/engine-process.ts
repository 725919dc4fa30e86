// Entry of an engine process: one job per process, started by a host with child_process.fork
// (CLI, web host, tests) or Electron's utilityProcess (the app, where no GPU trains in an engine
// window: docs/ENGINE-WINDOW.md). The engine is engine/run-engine.ts; this file is its Node transport.
import type { HostToEngine } from '../shared/engine-protocol.ts';
import { runEngine } from './engine/run-engine.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

// Electron's utilityProcess gives the child process.parentPort; child_process.fork gives process.send.
const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

// Ctrl-C in a terminal reaches the whole process group: the host decides how the job ends
// (it asks for a clean stop with a checkpoint), so the engine does not die on SIGINT itself.
process.on('SIGINT', () => {});

runEngine({
  pid: process.pid,
  send: (message) => {
    if (electronPort) {
      electronPort.postMessage(message);
      return;
    }
    // The host may be gone (killed) before its 'disconnect' reaches us: a send then fails with EPIPE,
    // which without a callback is an uncaught error with a stack. Nobody is listening: end quietly, as
    // on 'disconnect' (checkpoints are written atomically, so none is left half-done).
    if (!process.connected) return;
    process.send?.(message, undefined, {}, (error) => {
      if (error) process.exit(0);
    });
  },
  onMessage: (listener) => {
    if (electronPort) electronPort.on('message', (event) => listener(event.data as HostToEngine));
    else process.on('message', (message) => listener(message as HostToEngine));
  },
  exit: (code) => process.exit(code),
  onDisconnect: (listener) => {
    process.on('disconnect', listener);
  },
});
