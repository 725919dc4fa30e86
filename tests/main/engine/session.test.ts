// The one engine session every host-side job is built on: the job goes out on `ready`, a fatal
// message is the failure's reason, an exit before the job's end is a failure naming the exit code.
import { describe, expect, it } from 'vitest';
import { startEngineSession } from '../../../src/main/engine/session.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { fakeLauncher } from './fake-engine.ts';

const job = { type: 'export', job: { checkpointDir: '/c', direction: 'AtoB', folder: '/o', runId: 'r' } } as const;
const end: EngineToHost = { type: 'export-finished', written: { folder: '/o', files: [], bytes: 0, sizeMultiple: 4 } };

function start() {
  const { engine, launch } = fakeLauncher();
  const seen: EngineToHost[] = [];
  const ready: number[] = [];
  const session = startEngineSession(launch, {
    job,
    isEnd: (event) => event.type === 'export-finished',
    onReady: (pid) => ready.push(pid),
    onEvent: (event) => seen.push(event),
  });
  return { engine, session, seen, ready };
}

describe('startEngineSession', () => {
  it('sends the job only once the engine is ready, after onReady, and passes every event on in order', () => {
    const { engine, seen, ready } = start();
    expect(engine.sent).toEqual([]);
    engine.say({ type: 'ready', pid: 1 });
    expect(ready).toEqual([4242]);
    expect(engine.sent).toEqual([job]);
    engine.say({ type: 'log', level: 'info', message: 'hello' });
    engine.say(end);
    expect(seen.map((e) => e.type)).toEqual(['ready', 'log', 'export-finished']);
  });

  it('an exit after the job ended is no failure', async () => {
    const { engine, session } = start();
    engine.say({ type: 'ready', pid: 1 });
    engine.say(end);
    engine.die(0);
    await expect(session.exited).resolves.toEqual({ ended: true, error: null, code: 0 });
  });

  it("an exit before the job's end is a failure that names the exit code", async () => {
    const { engine, session } = start();
    engine.say({ type: 'ready', pid: 1 });
    engine.die(137);
    await expect(session.exited).resolves.toEqual({
      ended: false,
      code: 137,
      error: 'The engine process ended unexpectedly (exit code 137).',
    });
  });

  it("the engine's own fatal message is the reason, not the exit code", async () => {
    const { engine, session } = start();
    engine.say({ type: 'ready', pid: 1 });
    engine.say({ type: 'fatal', message: 'out of memory' });
    engine.die(1);
    await expect(session.exited).resolves.toMatchObject({ ended: false, error: 'out of memory' });
  });

  it('control messages reach the engine and kill kills it', () => {
    const { engine, session } = start();
    session.send({ type: 'stop' });
    session.kill();
    expect(engine.sent).toEqual([{ type: 'stop' }]);
    expect(engine.killed).toBe(1);
    expect(session.pid).toBe(4242);
  });
});
