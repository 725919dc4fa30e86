// The engine entry as a real child process, spoken to over the fork IPC channel exactly as
// the CLI and the web host do (Electron's utilityProcess path is covered where Electron runs).
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineToHost, HostToEngine } from '../../src/shared/engine-protocol.ts';

const entry = fileURLToPath(new URL('../../src/training/engine-process.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start() {
  const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
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

  it('exits when its host goes away (IPC channel closed)', async () => {
    const engine = start();
    await engine.next();
    engine.child.disconnect();
    expect(await engine.exited).toBe(0);
  });
});
