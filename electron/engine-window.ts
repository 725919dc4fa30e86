// Engines in hidden "engine windows" (docs/ENGINE-WINDOW.md): where Chromium's WebGPU has a GPU, an
// engine runs in the preload of a hidden BrowserWindow (src/training/engine-window.ts), because Dawn's
// Node binding does not run inside Electron and a utilityProcess has no navigator.gpu. Same interface
// as the utilityProcess launcher (engine-launcher.ts); one window per job, like one process per job.
//
// Electron-only glue, kept thin: the engine (run-engine.ts), the window's transport and the WebGPU
// training step in a Chromium page are tested outside Electron; this file is not run by any test here.
import path from 'node:path';
import { BrowserWindow, type IpcMainEvent, ipcMain, type WebPreferences } from 'electron';
import type { EngineHandle, EngineLauncher } from '../src/main/engine/launcher.ts';
import type { EngineToHost, HostToEngine } from '../src/shared/engine-protocol.ts';
import { ENGINE_WINDOW_CHANNELS } from '../src/shared/engine-window.ts';

// Engine windows and the start-up probe window: hidden, never the app's windows (events, menus,
// "quit when the last window closes" count only the others: appWindows()).
const hiddenWindows = new WeakSet<BrowserWindow>();

/** The app's own windows: every BrowserWindow but the hidden engine and probe windows. */
export function appWindows(): BrowserWindow[] {
  return BrowserWindow.getAllWindows().filter((window) => !hiddenWindows.has(window));
}

export function markHidden(window: BrowserWindow): BrowserWindow {
  hiddenWindows.add(window);
  return window;
}

/** The blank page engine windows (and the start-up WebGPU probe) load: file:// is a secure context, as WebGPU needs; about:blank is not. */
export function engineWindowPage(mainDir: string): string {
  return path.join(mainDir, '../preload/engine-window.html');
}

function engineWindowPreferences(mainDir: string): WebPreferences {
  return {
    preload: path.join(mainDir, '../preload/engine-window.cjs'),
    // The preload needs Node's require (fs, sharp, the job's files) and the page's navigator.gpu; the
    // page itself is a blank local file that gets neither Node nor the engine (context isolation).
    sandbox: false,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
    // A hidden window is throttled like a background tab; training must not slow down for that.
    backgroundThrottling: false,
  };
}

export function createEngineWindowLauncher(mainDir: string): EngineLauncher {
  // Engine windows share the main process's environment (a renderer cannot get its own): options.env
  // is not applied; the hosts pass none.
  return () => {
    const window = markHidden(
      new BrowserWindow({
        show: false,
        width: 320,
        height: 240,
        title: 'Diptych engine',
        webPreferences: engineWindowPreferences(mainDir),
      }),
    );
    const contents = window.webContents;
    const messageListeners: ((message: EngineToHost) => void)[] = [];
    const exitListeners: ((code: number | null) => void)[] = [];
    // Until the engine says ready its listener may not exist yet: keep what the host sends.
    let ready = false;
    const outbox: HostToEngine[] = [];
    let ended = false;
    let readyPid: number | undefined;

    const toHost = (event: IpcMainEvent, message: unknown) => {
      if (event.sender !== contents) return;
      const engineMessage = message as EngineToHost;
      if (engineMessage.type === 'ready') {
        readyPid = engineMessage.pid;
        ready = true;
        for (const queued of outbox.splice(0)) contents.send(ENGINE_WINDOW_CHANNELS.toEngine, queued);
      }
      for (const listener of messageListeners) listener(engineMessage);
    };
    const exit = (event: IpcMainEvent, code: unknown) => {
      if (event.sender !== contents) return;
      end(typeof code === 'number' ? code : 1);
    };
    function end(code: number | null): void {
      if (ended) return;
      ended = true;
      ipcMain.removeListener(ENGINE_WINDOW_CHANNELS.toHost, toHost);
      ipcMain.removeListener(ENGINE_WINDOW_CHANNELS.exit, exit);
      if (!window.isDestroyed()) window.destroy();
      for (const listener of exitListeners) listener(code);
    }
    ipcMain.on(ENGINE_WINDOW_CHANNELS.toHost, toHost);
    ipcMain.on(ENGINE_WINDOW_CHANNELS.exit, exit);
    contents.on('render-process-gone', (_event, details) =>
      end(details.reason === 'clean-exit' ? 0 : details.exitCode || 1),
    );
    window.on('closed', () => end(null));
    // The page never navigates and opens nothing.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    void window.loadFile(engineWindowPage(mainDir));

    const handle: EngineHandle = {
      get pid() {
        if (!window.isDestroyed()) return contents.getOSProcessId() || readyPid;
        return readyPid;
      },
      send: (message) => {
        if (ended) return;
        if (ready) contents.send(ENGINE_WINDOW_CHANNELS.toEngine, message);
        else outbox.push(message);
      },
      onMessage: (listener) => {
        messageListeners.push(listener);
      },
      onExit: (listener) => {
        exitListeners.push(listener);
      },
      kill: () => {
        if (!window.isDestroyed()) window.destroy();
      },
    };
    return handle;
  };
}
