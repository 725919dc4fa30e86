// Runs sandboxed, with context isolation: it exposes window.diptych and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DiptychApi, HostEvent } from '../src/shared/contract.ts';
import {
  type DesktopBridge,
  IPC_EVENT,
  IPC_INVOKE,
  IPC_MENU_COMMAND,
  IPC_OPEN_FOLDER,
  IPC_PICK_FOLDER,
  IPC_SET_THEME,
  MEDIA_SCHEME,
} from '../src/shared/transport.ts';

const api: DiptychApi & DesktopBridge = {
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request),
  onEvent: (listener) => {
    const forward = (_event: Electron.IpcRendererEvent, payload: HostEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => ipcRenderer.off(IPC_EVENT, forward);
  },
  mediaUrl: (path) => `${MEDIA_SCHEME}://file/?path=${encodeURIComponent(path)}`,
  pathForFile: (file) => webUtils.getPathForFile(file),
  pickFolder: (title) => ipcRenderer.invoke(IPC_PICK_FOLDER, title),
  onMenuCommand: (listener) => {
    const forward = (_event: Electron.IpcRendererEvent, command: string) => listener(command);
    ipcRenderer.on(IPC_MENU_COMMAND, forward);
    return () => ipcRenderer.off(IPC_MENU_COMMAND, forward);
  },
  setTheme: (choice) => ipcRenderer.send(IPC_SET_THEME, choice),
  openFolder: (path) => ipcRenderer.invoke(IPC_OPEN_FOLDER, path),
};

contextBridge.exposeInMainWorld('diptych', api);
