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

/** Electron only: the renderer asks the main process for the native folder dialog. */
export const IPC_PICK_FOLDER = 'dialog:pickFolder';

/** Electron only: the main process passes a menu command (an AppCommand) to the renderer. */
export const IPC_MENU_COMMAND = 'diptych:menu-command';

/** Electron only: the renderer tells the main process the theme chosen (native parts follow). */
export const IPC_SET_THEME = 'diptych:set-theme';

/** Electron only: the renderer asks the main process to show a conversion's output folder in the file manager. */
export const IPC_OPEN_FOLDER = 'shell:openFolder';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** What the desktop preload adds to window.diptych beyond the API every host has. */
export interface DesktopBridge {
  /** A dropped folder's path (Electron 32+ no longer puts it on File.path). */
  pathForFile(file: File): string;
  /** The native folder dialog; null when the person cancelled. */
  pickFolder(title: string): Promise<string | null>;
  /** Menu commands (see src/shared/commands.ts); returns the unsubscribe function. */
  onMenuCommand(listener: (command: string) => void): () => void;
  setTheme(choice: ThemeChoice): void;
  /** Shows a folder in the file manager (only a conversion's output or the workspace); the error text, or null. */
  openFolder(path: string): Promise<string | null>;
}
