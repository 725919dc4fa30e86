// Hardening that applies to every window (DESIGN.md, Security): no navigation away from the
// app, no new windows, and IPC answered only for frames that show our own renderer.
import { type BrowserWindow, shell, type WebFrameMain } from 'electron';

export function lockDown(window: BrowserWindow): void {
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the web (documentation) open in the person's browser, never in the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** True when the frame is the top frame of our renderer (dev server or packaged files). */
export function isTrustedSender(frame: WebFrameMain | null, rendererUrl: string): boolean {
  if (!frame || frame.parent) return false;
  const url = new URL(frame.url);
  const expected = new URL(rendererUrl);
  return url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname;
}
