// Names the transports agree on. Kept apart from contract.ts so that the sandboxed preload
// and the renderer's transport code do not bundle the schema library for two strings.

/** The Electron IPC channel that carries every API call (one channel; the API channel is an argument). */
export const IPC_INVOKE = 'diptych:invoke';

/** The Electron IPC channel on which the main process pushes host events to windows. */
export const IPC_EVENT = 'diptych:event';

/** Where the web host's WebSocket bridge listens, relative to the page. */
export const WEB_BRIDGE_PATH = '/api';

/** Electron's scheme for images (dataset folders, previews): never file:// from the renderer. */
export const MEDIA_SCHEME = 'diptych-media';
