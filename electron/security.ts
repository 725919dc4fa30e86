// Hardening that applies to every window (DESIGN.md, Security). The rules live in
// src/main/desktop/hardening.ts, where tests run them; this file only hands them Electron.
import { type BrowserWindow, type Session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY_HEADER, lockDownContents } from '../src/main/desktop/hardening.ts';

export { isTrustedSender } from '../src/main/desktop/hardening.ts';

export function lockDown(window: BrowserWindow): void {
  lockDownContents(window.webContents, (url) => void shell.openExternal(url));
}

/** The CSP as a response header too, and no permission (camera, location…) for any page. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] },
    });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
