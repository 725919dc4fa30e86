// The desktop habits that need Electron itself: the menu, the remembered window, the taskbar
// progress, notifications, the native folder dialog and the theme. Each is a few lines over a
// plain module in src/main/desktop, where the decisions are made and tested.
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Menu,
  Notification,
  nativeTheme,
  screen,
  shell,
} from 'electron';
import { pickFolderTitle, themeChoice } from '../src/main/desktop/ipc-args.ts';
import { buildMenuTemplate } from '../src/main/desktop/menu-template.ts';
import { folderToOpen } from '../src/main/desktop/open-folder.ts';
import { createProgressTracker, type TaskbarProgress } from '../src/main/desktop/taskbar-progress.ts';
import {
  clampToDisplays,
  DEFAULT_WINDOW,
  loadWindowState,
  saveWindowState,
  type WindowState,
} from '../src/main/desktop/window-state.ts';
import type { Host } from '../src/main/host.ts';
import type { AppCommand } from '../src/shared/commands.ts';
import type { EngineToHost } from '../src/shared/engine-protocol.ts';
import { noticeFor } from '../src/shared/notice-text.ts';
import { IPC_MENU_COMMAND, IPC_OPEN_FOLDER, IPC_PICK_FOLDER, IPC_SET_THEME } from '../src/shared/transport.ts';
import { isTrustedSender } from './security.ts';

/** The README travels with the app (electron-builder.yml, files); it opens in the person's viewer. */
const openDocs = () => {
  void shell.openPath(path.join(app.getAppPath(), 'README.md')).then((error) => {
    if (error) console.warn(`[diptych] the documentation could not be opened: ${error}`);
  });
};

export function installMenu(getWindow: () => BrowserWindow | null, dev: boolean): void {
  const template = buildMenuTemplate({
    platform: process.platform,
    dev,
    appName: app.getName(),
    send: (command: AppCommand) => getWindow()?.webContents.send(IPC_MENU_COMMAND, command),
    openDocs,
    showAbout: () => app.showAboutPanel(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

const stateFile = () => path.join(app.getPath('userData'), 'window-state.json');

/** The last window's bounds made to fit today's screens, or the default centred. */
export async function restoredWindowState(): Promise<WindowState> {
  const saved = (await loadWindowState(stateFile())) ?? DEFAULT_WINDOW;
  return clampToDisplays(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
}

/** Saves the window's normal bounds (not the maximised ones) a moment after each change. */
export function rememberWindowState(window: BrowserWindow): void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    void saveWindowState(stateFile(), { ...bounds, maximized: window.isMaximized() }).catch((error: Error) =>
      console.warn(`[diptych] the window's place could not be saved: ${error.message}`),
    );
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', soon);
  window.on('move', soon);
  window.on('maximize', soon);
  window.on('unmaximize', soon);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}

/** Taskbar/dock progress and a notification when a run finishes or fails. */
export function followJobs(host: Host, windows: () => BrowserWindow[]): void {
  const progress = createProgressTracker();
  const showBar = (bar: TaskbarProgress | null) => {
    if (bar) for (const window of windows()) window.setProgressBar(bar.fraction, { mode: bar.mode });
  };
  host.events.subscribe((event) => {
    if (event.type === 'runs-changed') {
      // A job gone without a word (its engine was killed) leaves the taskbar too, and is told.
      const { bar, dropped } = progress.retain((runId) => host.jobs.get(runId) !== undefined);
      showBar(bar);
      for (const runId of dropped) notify(host, runId, windows, (error) => ({ type: 'fatal', message: error }));
      return;
    }
    showBar(progress.update(event));
    if (event.type !== 'job') return;
    const job = event.event;
    if (job.type === 'finished' || job.type === 'fatal') notify(host, event.runId, windows, () => job);
  });
}

/** A system notification, unless a window has focus (the page shows the same as a toast). */
function notify(
  host: Host,
  runId: string,
  windows: () => BrowserWindow[],
  event: (error: string) => EngineToHost,
): void {
  if (!Notification.isSupported() || BrowserWindow.getFocusedWindow()) return;
  void host.dispatch('runs:get', { id: runId }).then((result) => {
    const run = result.ok ? (result.value as { name: string; error: string | null }) : null;
    const text = noticeFor(event(run?.error ?? 'The training process ended unexpectedly.'), run?.name ?? 'The run');
    if (!text) return;
    const notice = new Notification({ title: text.title, body: text.body });
    notice.on('click', () => windows()[0]?.show());
    notice.show();
  });
}

/** The native folder dialog and the theme, for our own renderer only. */
export function handleDesktopIpc(rendererUrl: string): void {
  const trusted = (event: IpcMainInvokeEvent | Electron.IpcMainEvent) =>
    isTrustedSender(event.senderFrame, rendererUrl);
  ipcMain.handle(IPC_PICK_FOLDER, async (event, title: unknown) => {
    if (!trusted(event)) return null;
    const options = { title: pickFolderTitle(title), properties: ['openDirectory' as const] };
    const owner = BrowserWindow.fromWebContents(event.sender);
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  ipcMain.on(IPC_SET_THEME, (event, raw: unknown) => {
    const choice = themeChoice(raw);
    if (trusted(event) && choice) nativeTheme.themeSource = choice;
  });
}

/** "Open output folder": the file manager, for a conversion's output or a workspace folder only. */
export function handleOpenFolder(host: Host, rendererUrl: string): void {
  ipcMain.handle(IPC_OPEN_FOLDER, async (event, raw: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) return 'Refused: the request did not come from Diptych.';
    const outputs = host.db.prepare<[], string>('SELECT DISTINCT output_path FROM conversions').pluck().all();
    const folder = folderToOpen(raw, { exact: outputs, within: [host.workspace.root] });
    if (!folder)
      return 'Only the output folder of a conversion, or a folder in the workspace, can be opened from here.';
    const error = await shell.openPath(folder);
    return error === '' ? null : error;
  });
}
