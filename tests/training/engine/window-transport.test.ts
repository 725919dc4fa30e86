// The engine window's side of the IPC (src/training/engine/window-transport.ts) with a fake
// ipcRenderer, driving the real engine (run-engine.ts) in this process, as the window's preload does.
// Electron main's side (electron/engine-window.ts) needs Electron and is not run here.
import { describe, expect, it } from 'vitest';
import type { EngineToHost, HostToEngine } from '../../../src/shared/engine-protocol.ts';
import { ENGINE_WINDOW_CHANNELS } from '../../../src/shared/engine-window.ts';
import { runEngine } from '../../../src/training/engine/run-engine.ts';
import { type IpcRendererLike, windowTransport } from '../../../src/training/engine/window-transport.ts';

function fakeIpcRenderer() {
  const sent: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const waiting: (() => void)[] = [];
  const ipc: IpcRendererLike = {
    send: (channel, ...args) => {
      sent.push({ channel, args });
      for (const wake of waiting.splice(0)) wake();
    },
    on: (channel, listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipc;
    },
  };
  /** What main would do: webContents.send(channel, message). */
  const fromMain = (message: HostToEngine) => {
    for (const listener of listeners.get(ENGINE_WINDOW_CHANNELS.toEngine) ?? []) listener({ sender: 'main' }, message);
  };
  /** Waits until `count` messages have been sent to main. */
  const until = async (count: number) => {
    while (sent.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    return sent;
  };
  return { ipc, sent, listeners, fromMain, until };
}

describe('engine window transport', () => {
  it('listens on the to-engine channel only and says ready with the window pid', () => {
    const fake = fakeIpcRenderer();
    runEngine(windowTransport(fake.ipc, 4242));
    expect([...fake.listeners.keys()]).toEqual([ENGINE_WINDOW_CHANNELS.toEngine]);
    expect(fake.sent).toEqual([{ channel: ENGINE_WINDOW_CHANNELS.toHost, args: [{ type: 'ready', pid: 4242 }] }]);
  });

  it('answers a probe, reports a forced backend that cannot load as fatal, and asks main to close on exit', async () => {
    const fake = fakeIpcRenderer();
    runEngine(windowTransport(fake.ipc, 1));
    fake.fromMain({ type: 'probe', backend: 'cpu' });
    const [, backend] = await fake.until(2);
    expect(backend?.channel).toBe(ENGINE_WINDOW_CHANNELS.toHost);
    const info = backend?.args[0] as EngineToHost;
    expect(info.type === 'backend' && info.info.name).toBe('cpu');

    fake.fromMain({ type: 'probe', backend: 'tensorflow' });
    const [, , fatal] = await fake.until(3);
    expect(fatal?.args[0]).toMatchObject({ type: 'fatal', message: expect.stringContaining('tensorflow backend') });

    fake.fromMain({ type: 'exit' });
    expect(fake.sent.at(-1)).toEqual({ channel: ENGINE_WINDOW_CHANNELS.exit, args: [0] });
  });

  it('sends nothing after exit, and asks for exit once', () => {
    const fake = fakeIpcRenderer();
    const transport = windowTransport(fake.ipc, 1);
    transport.exit(1);
    transport.exit(0);
    transport.send({ type: 'log', level: 'info', message: 'late' });
    expect(fake.sent).toEqual([{ channel: ENGINE_WINDOW_CHANNELS.exit, args: [1] }]);
  });
});
