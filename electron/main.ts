// The Electron main process: windows and IPC. Everything else lives in src/main, shared with
// the CLI and the web host.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain } from 'electron';
import { createHost, forcedBackendFromEnv, type Host } from '../src/main/host.ts';
import { IPC_INVOKE } from '../src/shared/transport.ts';
import { createUtilityProcessLauncher } from './engine-launcher.ts';
import { isTrustedSender, lockDown } from './security.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererUrl = devServerUrl ?? pathToFileURL(path.join(__dirname, '../renderer/index.html')).href;

let host: Host | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    title: 'Diptych',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  lockDown(window);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl);
  return window;
}

app.whenReady().then(() => {
  host = createHost({
    kind: 'electron',
    home: process.env.DIPTYCH_HOME ?? app.getPath('userData'),
    launchEngine: createUtilityProcessLauncher(__dirname),
    backend: forcedBackendFromEnv(),
  });
  const dispatch = host.dispatch;
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, request: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) {
      return { ok: false, error: { code: 'bad-request', message: 'IPC from an untrusted frame was refused.' } };
    }
    return dispatch(channel, request);
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => host?.close());
