// The same shell inside the real Electron app, where its binary exists. Electron's binary is
// downloaded from GitHub on first `npm start`; machines without that access skip this test
// and say so.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ARTIFACTS } from './fixtures.ts';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const hasBinary = fs.existsSync(path.join(electronDir, 'path.txt')) || !!process.env.ELECTRON_OVERRIDE_DIST_PATH;
const reason =
  'the Electron binary is not installed here (downloaded from github.com on first `npm start`, unreachable on this machine)';

test('the Electron window shows the shell', async () => {
  if (!hasBinary) console.log(`SKIPPED Electron shell test: ${reason}`);
  test.skip(!hasBinary, reason);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-electron-'));
  const app = await electron.launch({
    args: ['out/main/index.js', `--user-data-dir=${home}`],
    env: { ...process.env, DIPTYCH_HOME: home },
  });
  const window = await app.firstWindow();
  await expect(window.getByTestId('runs-empty')).toContainText('No runs yet');
  await expect(window.getByTestId('backend')).not.toContainText('Starting', { timeout: 60_000 });
  await window.screenshot({ path: path.join(ARTIFACTS, 'electron-shell.png') });
  // The desktop habits and the hardening, read from the running app.
  const menu = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label) ?? []);
  expect(menu.join(' ').replaceAll('&', '')).toMatch(/File.*Edit.*View.*Run.*Help/);
  // No Node in the page: only window.diptych came through the context bridge.
  const page = await window.evaluate(() => {
    const g = globalThis as { require?: unknown; process?: unknown; diptych?: object };
    return { require: typeof g.require, process: typeof g.process, api: Object.keys(g.diptych ?? {}).sort() };
  });
  expect(page.require).toBe('undefined');
  expect(page.process).toBe('undefined');
  // Named functions only (invoke carries the checked API channels): never ipcRenderer or a raw send.
  expect(page.api).toEqual(expect.arrayContaining(['invoke', 'mediaUrl', 'onEvent', 'pickFolder', 'setTheme']));
  expect(page.api).not.toContain('ipcRenderer');
  expect(page.api).not.toContain('send');
  await app.close();
  fs.rmSync(home, { recursive: true, force: true });
});
