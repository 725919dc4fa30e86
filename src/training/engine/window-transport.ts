// The engine window's transport (docs/ENGINE-WINDOW.md): the engine runs in the preload of a hidden
// BrowserWindow and talks to Electron main over ipcRenderer. Kept apart from the preload entry
// (engine-window.ts) so that tests drive it with a fake ipcRenderer; nothing here imports Electron.

import type { EngineToHost, HostToEngine } from '../../shared/engine-protocol.ts';
import { ENGINE_WINDOW_CHANNELS } from '../../shared/engine-window.ts';
import type { EngineTransport } from './run-engine.ts';

/** The part of Electron's ipcRenderer the engine window uses. */
export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function windowTransport(ipc: IpcRendererLike, pid: number): EngineTransport {
  let exited = false;
  return {
    pid,
    send: (message: EngineToHost) => {
      if (!exited) ipc.send(ENGINE_WINDOW_CHANNELS.toHost, message);
    },
    onMessage: (listener: (message: HostToEngine) => void) => {
      ipc.on(ENGINE_WINDOW_CHANNELS.toEngine, (_event, message) => listener(message as HostToEngine));
    },
    // process.exit in a renderer would crash it (main would see render-process-gone): ask main to
    // close the window instead. Once asked, the engine says nothing more.
    exit: (code: number) => {
      if (exited) return;
      exited = true;
      ipc.send(ENGINE_WINDOW_CHANNELS.exit, code);
    },
  };
}
