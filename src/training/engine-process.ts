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
    if (electronPort) electronPort.postMessage(message);
    else process.send?.(message);
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
