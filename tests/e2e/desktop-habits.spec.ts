// The desktop habits a browser tab shares with the app: keyboard shortcuts (and the panel
// that lists them), the light/dark switch that overrides the system and is remembered, and
// the folder browser starting from the host's allowed roots.
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures.ts';

test('shortcuts, the shortcuts panel and the theme switch', async ({ page, served }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  // Other files share this host and may leave runs behind: the runs screen is what counts.
  await page.goto(served.web.url);
  await expect(page.getByTestId('new-run')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // Alt+N (Ctrl+N belongs to the browser), then back to the runs with Alt+R.
  await page.keyboard.press('Alt+N');
  await expect(page.getByTestId('new-run-view')).toBeVisible();
  await page.keyboard.press('Alt+R');
  await expect(page).toHaveURL(/#\/runs$/);
  await expect(page.getByTestId('new-run')).toBeVisible();

  // Pause with no run on screen says so instead of doing nothing.
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByTestId('toast')).toContainText('Open a run to pause, resume or stop it.');

  await page.keyboard.press('Control+/');
  const panel = page.getByTestId('shortcuts');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('New run');
  await expect(panel.locator('tr', { hasText: 'New run' })).toContainText('Alt+N');
  await expect(panel.locator('tr', { hasText: 'Pause or resume training' })).toContainText('Ctrl+Shift+P');
  await page.screenshot({ path: path.join(ARTIFACTS, 'shortcuts.png') });
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // The system says dark: the page follows it...
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // ...until the person picks light, which outlasts a reload and the system's own changes.
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(246, 245, 242)');
  // Ctrl+Shift+L back to dark, which is the system's again: following the system once more.
  await page.keyboard.press('Control+Shift+L');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => localStorage.getItem('diptych.theme'))).toBeNull();
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(23, 23, 26)');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the folder browser starts from the allowed roots', async ({ page, served }) => {
  await page.goto(`${served.web.url}#/new`);
  await page.getByTestId('browse-A').click();
  const picker = page.getByTestId('folder-picker');
  const roots = picker.getByTestId('picker-root');
  await expect(roots).toHaveText([path.resolve(os.homedir()), path.resolve(os.tmpdir())]);
  await roots.nth(1).click();
  await expect(picker.getByTestId('picker-path')).toHaveValue(path.resolve(os.tmpdir()));
  await expect(roots.nth(1)).toHaveClass(/current/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'folder-picker-roots.png') });
  await picker.getByRole('button', { name: 'Cancel' }).click();
  await expect(picker).toBeHidden();
});
