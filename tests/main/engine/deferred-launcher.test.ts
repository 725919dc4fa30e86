import { describe, expect, it } from 'vitest';
import { deferredLauncher } from '../../../src/main/engine/deferred-launcher.ts';
import type { EngineHandle, EngineLauncher } from '../../../src/main/engine/launcher.ts';
import type { EngineToHost, HostToEngine } from '../../../src/shared/engine-protocol.ts';

function fakeLauncher() {
  const started: {
    handle: EngineHandle;
    sent: HostToEngine[];
    emit(m: EngineToHost): void;
    exit(c: number | null): void;
    killed: boolean;
  }[] = [];
  const launch: EngineLauncher = () => {
    const messageListeners: ((m: EngineToHost) => void)[] = [];
    const exitListeners: ((c: number | null) => void)[] = [];
    const record = {
      sent: [] as HostToEngine[],
      killed: false,
      emit: (m: EngineToHost) => {
        for (const l of messageListeners) l(m);
      },
      exit: (c: number | null) => {
        for (const l of exitListeners) l(c);
      },
      handle: {
        pid: 100 + started.length,
        send: (m: HostToEngine) => record.sent.push(m),
        onMessage: (l: (m: EngineToHost) => void) => messageListeners.push(l),
        onExit: (l: (c: number | null) => void) => exitListeners.push(l),
        kill: () => {
          record.killed = true;
        },
      } as EngineHandle,
    };
    started.push(record);
    return record.handle;
  };
  return { launch, started };
}

describe('deferredLauncher', () => {
  it('starts the engine once the choice is known, with what was sent and listened to before', async () => {
    const fake = fakeLauncher();
    let choose: (launcher: EngineLauncher) => void = () => {};
    const launch = deferredLauncher(new Promise((resolve) => (choose = resolve)));
    const engine = launch();
    const got: EngineToHost[] = [];
    engine.onMessage((m) => got.push(m));
    engine.send({ type: 'probe' });
    expect(engine.pid).toBeUndefined();
    expect(fake.started).toHaveLength(0);

    choose(fake.launch);
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.started).toHaveLength(1);
    expect(fake.started[0]?.sent).toEqual([{ type: 'probe' }]);
    expect(engine.pid).toBe(100);
    fake.started[0]?.emit({ type: 'ready', pid: 100 });
    expect(got).toEqual([{ type: 'ready', pid: 100 }]);
    engine.send({ type: 'exit' });
    expect(fake.started[0]?.sent.at(-1)).toEqual({ type: 'exit' });

    // Later engines go straight to the chosen launcher.
    const second = launch();
    expect(second).toBe(fake.started[1]?.handle);
  });

  it('never starts an engine killed before the choice, and reports its exit', async () => {
    const fake = fakeLauncher();
    let choose: (launcher: EngineLauncher) => void = () => {};
    const engine = deferredLauncher(new Promise((resolve) => (choose = resolve)))();
    const exits: (number | null)[] = [];
    engine.onExit((code) => exits.push(code));
    engine.kill();
    choose(fake.launch);
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.started).toHaveLength(0);
    expect(exits).toEqual([null]);
  });
});
