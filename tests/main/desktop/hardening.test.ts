import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  type ContentsLike,
  isExternalLink,
  isTrustedSender,
  lockDownContents,
  secureWebPreferences,
} from '../../../src/main/desktop/hardening.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('window hardening', () => {
  it('isolates and sandboxes every window, with no Node in the page', () => {
    const prefs = secureWebPreferences('/app/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    // The main process builds its window from these, not from a copy that could drift.
    const main = fs.readFileSync(path.join(root, 'electron/main.ts'), 'utf8');
    expect(main).toContain('webPreferences: secureWebPreferences(');
    expect(main).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false/);
  });

  it('has a strict CSP, the same in the page and in the headers', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    for (const values of policy.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain('*');
    }
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    const html = fs.readFileSync(path.join(root, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers IPC only from the top frame of our own renderer', () => {
    const renderer = 'file:///opt/Diptych/resources/app/out/renderer/index.html';
    expect(isTrustedSender({ url: `${renderer}#/run/abc`, parent: null }, renderer)).toBe(true);
    expect(isTrustedSender({ url: renderer, parent: {} }, renderer)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, renderer)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, renderer)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, renderer)).toBe(false);
    expect(isTrustedSender(null, renderer)).toBe(false);
    const dev = 'http://localhost:5173/';
    expect(isTrustedSender({ url: 'http://localhost:5173/#/new', parent: null }, dev)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, dev)).toBe(false);
  });

  it('denies navigation, redirects, webviews and new windows; web links go to the browser', () => {
    const contents = new EventEmitter() as EventEmitter & ContentsLike;
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
    contents.setWindowOpenHandler = (handler) => {
      openHandler = handler;
    };
    const opened: string[] = [];
    lockDownContents(contents, (url) => opened.push(url));
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(name, { preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    expect(openHandler).not.toBeNull();
    const handler = openHandler as unknown as (details: { url: string }) => { action: string };
    expect(handler({ url: 'https://github.com/diptych' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/diptych']);
    expect(isExternalLink('http://example.com')).toBe(false);
  });

  it('exposes one object to the page from the preload, through the context bridge', () => {
    const preload = fs.readFileSync(path.join(root, 'electron/preload.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toContain("exposeInMainWorld('diptych', api)");
    // Only our channels are invoked; ipcRenderer itself never reaches the page.
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
