// Entry of an engine window (docs/ENGINE-WINDOW.md): the preload of the hidden BrowserWindow that
// electron/engine-window.ts opens where Chromium's WebGPU has a hardware adapter. It runs with
// sandbox: false, contextIsolation: true, nodeIntegration: false, so it has Node's require (fs, sharp:
// the job's files, as in the engine process) and the page's navigator.gpu (the backend ladder's webgpu
// rung takes it). The page itself is blank and never gets Node or the engine.
//
// Everything but these lines is tested outside Electron: engine/run-engine.ts through the engine
// process, engine/window-transport.ts with a fake ipcRenderer, and the WebGPU training step in Debian's
// Chromium (tests/e2e/engine-window.spec.ts).
import { ipcRenderer } from 'electron';
import { runEngine } from './engine/run-engine.ts';
import { windowTransport } from './engine/window-transport.ts';

runEngine(windowTransport(ipcRenderer, process.pid));
