// IPC channel names between Electron main and an engine window (docs/ENGINE-WINDOW.md): used by the
// window's preload (src/training/engine-window.ts) and the launcher that opens it (electron/engine-window.ts).
export const ENGINE_WINDOW_CHANNELS = {
  /** main → engine window: a HostToEngine message. */
  toEngine: 'diptych:engine:to-engine',
  /** engine window → main: an EngineToHost message. */
  toHost: 'diptych:engine:to-host',
  /** engine window → main: the engine ends with this code; main destroys the window. */
  exit: 'diptych:engine:exit',
} as const;
