// Entry of an engine process: one job per process, started by a host with
// child_process.fork (CLI, web host, tests) or Electron's utilityProcess (the app).
// A crash here ends the job, never the host.
import type { EngineToHost, HostToEngine } from '../shared/engine-protocol.ts';
import { selectBackend } from './backend/ladder.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

// Electron's utilityProcess gives the child process.parentPort; child_process.fork gives process.send.
const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: EngineToHost): void {
  if (electronPort) electronPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: HostToEngine) => void): void {
  if (electronPort) electronPort.on('message', (event) => listener(event.data as HostToEngine));
  else process.on('message', (message) => listener(message as HostToEngine));
}

async function handle(message: HostToEngine): Promise<void> {
  switch (message.type) {
    case 'probe':
      send({ type: 'backend', info: await selectBackend(message.backend) });
      return;
    case 'exit':
      process.exit(0);
  }
}

onMessage((message) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
