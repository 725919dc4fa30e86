// The engine itself, whatever process or window it runs in: one job per engine, the busy flag, pause /
// resume / stop, the backend probe. The entries only supply a transport:
//   - src/training/engine-process.ts: a Node process (child_process.fork, Electron's utilityProcess);
//   - src/training/engine-window.ts: the preload of Electron's hidden engine window, where Chromium's
//     own WebGPU (navigator.gpu) trains (docs/ENGINE-WINDOW.md).
// A crash here ends the job, never the host.
import type { CompareJob } from '../../shared/compare.ts';
import type { ConvertJob } from '../../shared/convert.ts';
import type { EngineToHost, ExportJob, HostToEngine, TrainJob } from '../../shared/engine-protocol.ts';
import { selectBackend } from '../backend/ladder.ts';
import { trainingShapes } from '../backend/wasm-threads.ts';
import { runCompareJob } from '../compare/engine-job.ts';
import { createJobControl } from '../control.ts';
import { runConvertJob } from '../convert/engine-job.ts';
import { exportCheckpoint } from '../export/write-export.ts';
import { modelDefinition } from '../models/registry.ts';
import { runTraining } from '../trainer/run-training.ts';

/** How an engine talks to its host, and how it ends. */
export interface EngineTransport {
  /** The id the host sees in `ready` (the OS process id of the process or the window's renderer). */
  readonly pid: number;
  send(message: EngineToHost): void;
  onMessage(listener: (message: HostToEngine) => void): void;
  /** Ends the engine: process.exit in a process; in the engine window, a request that main closes it. */
  exit(code: number): void;
  /** The host went away (an IPC channel closed): the engine ends with it. */
  onDisconnect?(listener: () => void): void;
}

const BUSY = 'This engine already runs a job; each job gets its own engine process.';

/** Lets the last messages reach the host before the engine ends. */
const EXIT_GRACE_MS = 100;

export function runEngine(transport: EngineTransport): void {
  const send = (message: EngineToHost) => transport.send(message);
  const exitSoon = (code: number) => setTimeout(() => transport.exit(code), EXIT_GRACE_MS);
  const control = createJobControl();
  // A convert job is cancelled by `stop` too; it checks this signal between tiles.
  const convertCancel = new AbortController();
  let busy = false;

  function claim(): void {
    if (busy) throw new Error(BUSY);
    busy = true;
  }

  async function train(job: TrainJob): Promise<void> {
    claim();
    // Before the backend starts: a config of a model this version lacks fails at once, by name.
    const model = modelDefinition(job.config.model);
    // The job is known before the backend starts, so its networks' shapes size the wasm thread pool
    // (backend/wasm-threads.ts: one thread for small networks).
    const backend = await selectBackend(job.backend, { shapes: trainingShapes(job.config) });
    send({ type: 'log', level: 'info', message: `backend ${backend.name} ${backend.version} on ${backend.device}` });
    const context = { emit: send, control, backend };
    await runTraining(model, job, context);
    exitSoon(0);
  }

  async function compare(job: CompareJob): Promise<void> {
    claim();
    await selectBackend(job.backend);
    await runCompareJob(job, send);
    exitSoon(0);
  }

  async function convert(job: ConvertJob): Promise<void> {
    claim();
    const backend = await selectBackend(job.backend);
    await runConvertJob(job, send, { signal: convertCancel.signal, backend: backend.name });
    exitSoon(0);
  }

  async function exportGenerator(job: ExportJob): Promise<void> {
    claim();
    // Reading and writing the weights once needs no fast backend: the plain cpu one starts at once.
    await selectBackend('cpu');
    const written = await exportCheckpoint(
      job.checkpointDir,
      job.direction,
      job.folder,
      job.runId,
      job.format ?? 'tfjs',
    );
    send({ type: 'export-finished', written });
    exitSoon(0);
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
      case 'export':
        await exportGenerator(message.job);
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
        transport.exit(0);
    }
  }

  transport.onMessage((message) => {
    handle(message).catch((error: unknown) => {
      send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      if (busy) exitSoon(1);
    });
  });
  transport.onDisconnect?.(() => transport.exit(0));
  send({ type: 'ready', pid: transport.pid });
}
