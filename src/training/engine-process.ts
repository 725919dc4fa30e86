// Entry of an engine process: one job per process, started by a host with
// child_process.fork (CLI, web host, tests) or Electron's utilityProcess (the app).
// A crash here ends the job, never the host.
import type { CompareJob } from '../shared/compare.ts';
import type { ConvertJob } from '../shared/convert.ts';
import type { EngineToHost, HostToEngine, TrainJob } from '../shared/engine-protocol.ts';
import { selectBackend } from './backend/ladder.ts';
import { trainCoGan } from './cogan/trainer.ts';
import { runCompareJob } from './compare/engine-job.ts';
import { createJobControl } from './control.ts';
import { runConvertJob } from './convert/engine-job.ts';
import { trainCycleGan } from './cyclegan/trainer.ts';

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

const control = createJobControl();
let busy = false;

async function train(job: TrainJob): Promise<void> {
  if (busy) throw new Error('This engine already runs a job; each job gets its own engine process.');
  busy = true;
  const backend = await selectBackend(job.backend);
  send({ type: 'log', level: 'info', message: `backend ${backend.name} ${backend.version} on ${backend.device}` });
  const context = { emit: send, control, backend };
  if (job.config.model === 'cogan') await trainCoGan(job, context);
  else await trainCycleGan(job, context);
  // Let the last messages reach the host before the process ends.
  setTimeout(() => process.exit(0), 100);
}

async function compare(job: CompareJob): Promise<void> {
  if (busy) throw new Error('This engine already runs a job; each job gets its own engine process.');
  busy = true;
  await selectBackend(job.backend);
  await runCompareJob(job, send);
  setTimeout(() => process.exit(0), 100);
}

// A convert job is cancelled by `stop` too; it checks this signal between tiles.
const convertCancel = new AbortController();

async function convert(job: ConvertJob): Promise<void> {
  if (busy) throw new Error('This engine already runs a job; each job gets its own engine process.');
  busy = true;
  const backend = await selectBackend(job.backend);
  await runConvertJob(job, send, { signal: convertCancel.signal, backend: backend.name });
  setTimeout(() => process.exit(0), 100);
}

async function handle(message: HostToEngine): Promise<void> {
  switch (message.type) {
    case 'probe':
      send({ type: 'backend', info: await selectBackend(message.backend) });
      return;
    case 'train':
      await train(message.job);
      return;
    case 'compare':
      await compare(message.job);
      return;
    case 'convert':
      await convert(message.job);
      return;
    case 'pause':
      control.pause();
      return;
    case 'resume':
      control.resume();
      return;
    case 'stop':
      control.stop();
      convertCancel.abort(new Error('cancelled'));
      return;
    case 'exit':
      process.exit(0);
  }
}

onMessage((message) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    if (busy) setTimeout(() => process.exit(1), 100);
  });
});
// Ctrl-C in a terminal reaches the whole process group: the host decides how the job ends
// (it asks for a clean stop with a checkpoint), so the engine does not die on SIGINT itself.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
