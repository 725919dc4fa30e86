// The Electron main process: windows and IPC. Everything else lives in src/main, shared with
// the CLI and the web host.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { secureWebPreferences } from '../src/main/desktop/hardening.ts';
import { rateLimited } from '../src/main/event-rate.ts';
import { createHost, forcedBackendFromEnv, type Host } from '../src/main/host.ts';
import { IPC_EVENT, IPC_INVOKE, MEDIA_SCHEME } from '../src/shared/transport.ts';
import { chooseLauncher } from './choose-launcher.ts';
import {
  followJobs,
  handleDesktopIpc,
  handleOpenFolder,
  installMenu,
  rememberWindowState,
  restoredWindowState,
} from './desktop.ts';
import { appWindows } from './engine-window.ts';
import { hardenSession, isTrustedSender, lockDown } from './security.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererUrl = devServerUrl ?? pathToFileURL(path.join(__dirname, '../renderer/index.html')).href;

let host: Host | null = null;

// WebGPU in Chromium on Linux is still behind these: without them navigator.gpu is missing (or has no
// Vulkan adapter) and engines could not train on the GPU in an engine window (docs/ENGINE-WINDOW.md).
// Windows (D3D12) and macOS (Metal) have WebGPU on by default. Switches must be set before ready.
if (process.platform === 'linux') {
  app.commandLine.appendSwitch('enable-unsafe-webgpu');
  app.commandLine.appendSwitch('enable-features', 'Vulkan');
}

// Must be declared before the app is ready: images load through this scheme, never file://.
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

async function createWindow(): Promise<BrowserWindow> {
  const place = await restoredWindowState();
  const window = new BrowserWindow({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    minWidth: 900,
    minHeight: 600,
    title: 'Diptych',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.cjs')),
  });
  lockDown(window);
  rememberWindowState(window);
  window.once('ready-to-show', () => {
    if (place.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(rendererUrl);
  return window;
}

app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  installMenu(() => BrowserWindow.getFocusedWindow() ?? appWindows()[0] ?? null, !!devServerUrl);
  const backend = forcedBackendFromEnv();
  host = createHost({
    kind: 'electron',
    home: process.env.DIPTYCH_HOME ?? app.getPath('userData'),
    // Engine windows where Chromium's WebGPU has a GPU, utility processes otherwise (docs/ENGINE-WINDOW.md).
    launchEngine: chooseLauncher(__dirname, backend),
    backend,
  });
  const dispatch = host.dispatch;
  const media = host.media;
  protocol.handle(MEDIA_SCHEME, (request) => {
    const file = media.resolve(new URL(request.url).searchParams.get('path') ?? '');
    if (!file) return new Response('Not an image this app shows.', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
  // Per-step numbers reach the windows a few times a second (the store keeps them all).
  host.events.subscribe(
    rateLimited((event) => {
      for (const window of appWindows()) window.webContents.send(IPC_EVENT, event);
    }).listener,
  );
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, request: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) {
      return { ok: false, error: { code: 'bad-request', message: 'IPC from an untrusted frame was refused.' } };
    }
    return dispatch(channel, request);
  });
  handleDesktopIpc(rendererUrl);
  handleOpenFolder(host, rendererUrl);
  followJobs(host, appWindows);
  void createWindow();
  app.on('activate', () => {
    if (appWindows().length === 0) void createWindow();
  });
});

// Quit with the last of the app's windows (not on macOS): a hidden engine window running a job does not
// keep the app alive, so 'window-all-closed' (which counts it) is not enough. Quitting stops jobs cleanly.
app.on('browser-window-created', (_event, window) => {
  window.once('closed', () => {
    if (process.platform !== 'darwin' && appWindows().length === 0 && BrowserWindow.getAllWindows().length > 0)
      app.quit();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => host?.close());

// Training jobs stop cleanly (with a checkpoint), and conversions between files, before the app quits.
let stopping = false;
app.on('before-quit', (event) => {
  if (stopping || !host) return;
  stopping = true;
  event.preventDefault();
  void Promise.all([host.jobs.stopAll(), host.conversions.cancelAll()]).finally(() => app.quit());
});
