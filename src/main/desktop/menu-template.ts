// The application menu as plain data (Electron's MenuItemConstructorOptions shape), built
// without Electron so that tests can read it. electron/main.ts passes it to
// Menu.buildFromTemplate; app-level commands go to the renderer, which knows the shown run.
import type { MenuItemConstructorOptions } from 'electron';
import { type AppCommand, commandInfo } from '../../shared/commands.ts';

export interface MenuOptions {
  /** process.platform: a Mac gets the app menu first and Quit there. */
  platform: NodeJS.Platform;
  /** Reload and developer tools only while developing. */
  dev: boolean;
  appName: string;
  /** Sends a command to the focused window's renderer. */
  send: (command: AppCommand) => void;
  /** Opens the documentation in the person's browser. */
  openDocs: () => void;
  showAbout: () => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const item = (command: AppCommand, label?: string): MenuItemConstructorOptions => {
    const info = commandInfo(command);
    return { label: label ?? info.label, accelerator: info.accelerator, click: () => options.send(command) };
  };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { label: `About ${options.appName}`, click: options.showAbout },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      item('new-run', 'New Run…'),
      item('open-runs', 'Open Runs'),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    ],
  };

  const edit: MenuItemConstructorOptions = { role: 'editMenu' };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.dev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      item('toggle-theme', 'Switch Light / Dark'),
    ],
  };

  const run: MenuItemConstructorOptions = {
    label: '&Run',
    submenu: [item('toggle-pause', 'Pause / Resume Training'), item('stop-run', 'Stop Training')],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      item('show-shortcuts', 'Keyboard Shortcuts'),
      { label: 'Documentation', click: options.openDocs },
      ...(mac
        ? []
        : ([{ type: 'separator' }, { label: `About ${options.appName}`, click: options.showAbout }] as const)),
    ],
  };

  return [...appMenu, file, edit, view, run, help];
}
