// Runs sandboxed, with context isolation: it exposes window.diptych and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DiptychApi, HostEvent } from '../src/shared/contract.ts';
import { IPC_EVENT, IPC_INVOKE, MEDIA_SCHEME } from '../src/shared/transport.ts';

const api: DiptychApi & { pathForFile(file: File): string } = {
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request),
  onEvent: (listener) => {
    const forward = (_event: Electron.IpcRendererEvent, payload: HostEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => ipcRenderer.off(IPC_EVENT, forward);
  },
  mediaUrl: (path) => `${MEDIA_SCHEME}://file/?path=${encodeURIComponent(path)}`,
  // A dropped folder's path (Electron 32+ no longer puts it on File.path).
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('diptych', api);
