// The engine entry as a real child process, spoken to over the fork IPC channel exactly as
// the CLI and the web host do (Electron's utilityProcess path is covered where Electron runs).
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineToHost, HostToEngine } from '../../src/shared/engine-protocol.ts';
import { buildCycleGanConfig, type PresetName } from '../../src/shared/run-config.ts';

const entry = fileURLToPath(new URL('../../src/training/engine-process.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start(env: NodeJS.ProcessEnv = process.env) {
  const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', env });
  children.push(child);
  const inbox: EngineToHost[] = [];
  const waiting: ((message: EngineToHost) => void)[] = [];
  child.on('message', (message) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message as EngineToHost);
    else inbox.push(message as EngineToHost);
  });
  const next = () => {
    const queued = inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise<EngineToHost>((resolve) => waiting.push(resolve));
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const send = (message: HostToEngine) => child.send(message);
  return { child, next, send, exited };
}

describe('engine process', () => {
  it('says ready, answers a probe, then another, and exits 0 when told', async () => {
    const engine = start();
    expect(await engine.next()).toEqual({ type: 'ready', pid: engine.child.pid });
    engine.send({ type: 'probe' });
    const first = await engine.next();
    expect(first.type === 'backend' && first.info.name).toBe('wasm');
    engine.send({ type: 'probe', backend: 'cpu' });
    const second = await engine.next();
    expect(second.type === 'backend' && second.info.name).toBe('cpu');
    engine.send({ type: 'exit' });
    expect(await engine.exited).toBe(0);
  });

  it('reports a forced backend that cannot load as fatal and stays alive', async () => {
    const engine = start();
    await engine.next();
    engine.send({ type: 'probe', backend: 'tensorflow' });
    expect(await engine.next()).toEqual({
      type: 'fatal',
      message:
        'The tensorflow backend was asked for but did not load: not installed (its libtensorflow download is optional and did not happen on this machine)',
    });
    engine.send({ type: 'probe', backend: 'cpu' });
    expect((await engine.next()).type).toBe('backend');
    engine.send({ type: 'exit' });
    expect(await engine.exited).toBe(0);
  });

  // The pool's size is fixed when wasm starts; a train job's networks are known before that
  // (backend/wasm-threads.ts). The job has no images, so it fails right after its backend log line.
  it.each<[PresetName, RegExp]>([
    ['tiny', /, 1 thread \(small networks\), /],
    ['quick', /, \d+ threads? \(one per core\), /],
  ])('sizes the wasm thread pool of a %s train job by its networks', async (preset, expected) => {
    const { DIPTYCH_WASM_THREADS: _pinned, ...env } = process.env;
    const engine = start(env);
    await engine.next();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-engine-threads-'));
    engine.send({
      type: 'train',
      job: {
        runId: 'threads',
        runDir,
        config: buildCycleGanConfig(preset, { dataA: runDir, dataB: runDir }),
        filesA: [],
        filesB: [],
        backend: 'wasm',
      },
    });
    let message = await engine.next();
    while (!(message.type === 'log' && message.message.startsWith('backend '))) {
      if (message.type === 'fatal') throw new Error(message.message);
      message = await engine.next();
    }
    expect(message.message).toMatch(expected);
    engine.child.kill('SIGKILL');
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('exits when its host goes away (IPC channel closed)', async () => {
    const engine = start();
    await engine.next();
    engine.child.disconnect();
    expect(await engine.exited).toBe(0);
  });
});
