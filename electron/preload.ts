// Runs sandboxed, with context isolation: it exposes window.diptych and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import type { DiptychApi } from '../src/shared/contract.ts';
import { IPC_INVOKE } from '../src/shared/transport.ts';

const api: DiptychApi = {
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request),
};

contextBridge.exposeInMainWorld('diptych', api);
