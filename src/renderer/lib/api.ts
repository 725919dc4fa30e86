// The renderer's only door to the host: window.diptych where the Electron preload provides
// it, the WebSocket bridge where the page is served by `diptych serve`.
import type { Channel, DiptychApi, HostEvent, RequestOf, ResponseOf } from '../../shared/contract.ts';
import type { DesktopBridge } from '../../shared/transport.ts';
import { ApiCallError } from './api-error.ts';
import { type ConnectionWatch, createWebSocketApi } from './ws-client.ts';

/** The preload adds what only Electron can do (a dropped folder's path, the native dialog…). */
type ElectronApi = DiptychApi & Partial<DesktopBridge> & Partial<ConnectionWatch>;

declare global {
  interface Window {
    diptych?: ElectronApi;
  }
}

const transport: ElectronApi = window.diptych ?? createWebSocketApi();

/**
 * Calls the host; a failure becomes an ApiCallError whose message is meant for the person and
 * whose issues (issuesOf) name the fields it is about.
 */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await transport.invoke(channel, request);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

/** Subscribes to what the host pushes (job events, runs-changed); returns the unsubscribe function. */
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  // An older preload without events must not break the screens: they still load on demand.
  if (typeof transport.onEvent !== 'function') return () => {};
  return transport.onEvent(listener);
}

/** The URL of an image file the host allows (dataset folders, the workspace). */
export function mediaUrl(path: string): string {
  return typeof transport.mediaUrl === 'function' ? transport.mediaUrl(path) : '';
}

/** The absolute path of a dropped file or folder, where the desktop app can tell it (null in a browser). */
export function pathForFile(file: File): string | null {
  const resolve = transport.pathForFile;
  if (typeof resolve !== 'function') return null;
  const path = resolve(file);
  return path ? path : null;
}

/** Whether the host can be reached now (the web host's socket); the desktop app is always connected. */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  const watch = transport.onConnectionChange;
  return typeof watch === 'function' ? watch.call(transport, listener) : () => {};
}

/** The desktop app's extras, or null in a browser tab (or under an older preload without them). */
export function desktop(): DesktopBridge | null {
  const api = window.diptych;
  return api && typeof api.pickFolder === 'function' && typeof api.onMenuCommand === 'function'
    ? (api as DesktopBridge)
    : null;
}

/** An error's message for a person, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
