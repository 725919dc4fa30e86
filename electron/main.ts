// The Electron main process: windows and IPC. Everything else lives in src/main, shared with
// the CLI and the web host.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, net, protocol } from 'electron';
import { createHost, forcedBackendFromEnv, type Host } from '../src/main/host.ts';
import { IPC_EVENT, IPC_INVOKE, MEDIA_SCHEME } from '../src/shared/transport.ts';
import { createUtilityProcessLauncher } from './engine-launcher.ts';
import { isTrustedSender, lockDown } from './security.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererUrl = devServerUrl ?? pathToFileURL(path.join(__dirname, '../renderer/index.html')).href;

let host: Host | null = null;

// Must be declared before the app is ready: images load through this scheme, never file://.
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

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
  const media = host.media;
  protocol.handle(MEDIA_SCHEME, (request) => {
    const file = media.resolve(new URL(request.url).searchParams.get('path') ?? '');
    if (!file) return new Response('Not an image this app shows.', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
  host.events.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT, event);
  });
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

// Training jobs stop cleanly (with a checkpoint) before the app quits.
let stopping = false;
app.on('before-quit', (event) => {
  if (stopping || !host) return;
  stopping = true;
  event.preventDefault();
  void host.jobs.stopAll().finally(() => app.quit());
});
