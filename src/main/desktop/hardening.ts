// The desktop window's security rules (DESIGN.md, Security) as plain code that tests can run
// without Electron: the web preferences, the content security policy, which frames may call
// the API, and what navigation and new windows are allowed (none).
import type { WebPreferences } from 'electron';

/**
 * The renderer's content security policy. index.html carries the same string in a meta tag
 * (a test compares them); the Electron session and the web host send it as a header, with one
 * directive more (CONTENT_SECURITY_POLICY_HEADER).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: diptych-media:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The policy as a response header (the web host, the Electron session): the same, plus
 * `frame-ancestors 'none'` so no other site can frame the app (clickjacking). That directive
 * is ignored in a meta tag (Chromium logs a warning), so index.html does not carry it.
 */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** Every window's web preferences: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** What isTrustedSender needs of Electron's WebFrameMain. */
export interface FrameLike {
  url: string;
  parent: unknown;
}

/** True when the frame is the top frame of our renderer (dev server or packaged files). */
export function isTrustedSender(frame: FrameLike | null | undefined, rendererUrl: string): boolean {
  if (!frame || frame.parent || !URL.canParse(frame.url)) return false;
  const url = new URL(frame.url);
  const expected = new URL(rendererUrl);
  return url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname;
}

/** Links that may leave the app: https pages, opened in the person's browser. */
export function isExternalLink(url: string): boolean {
  return URL.canParse(url) && new URL(url).protocol === 'https:';
}

/** What lockDown needs of Electron's WebContents. */
export interface ContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * No navigation away from the app, no webviews and no new windows; a link to the web opens in
 * the person's browser instead. The hash router changes only the fragment, which is not a
 * navigation Electron reports here.
 */
export function lockDownContents(contents: ContentsLike, openExternal: (url: string) => void): void {
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview'] as const)
    contents.on(name, (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}
