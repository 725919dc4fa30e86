// The whole journey through the web host in Chromium: two sample folders picked in the folder
// browser, a tiny training started with changed options, live losses and previews, the run
// finished and listed, renamed, and deleted again. Screenshots of every screen are kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { writeSamples } from '../../src/main/samples.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';

async function pickFolder(page: Page, side: 'A' | 'B', from: string | null, folder: string) {
  await page.getByTestId(`browse-${side}`).click();
  const picker = page.getByTestId('folder-picker');
  await expect(picker).toBeVisible();
  if (from) {
    // The picker opens in the home folder; the samples live under the other allowed root.
    await picker.getByTestId('picker-path').fill(from);
    await picker.getByTestId('picker-path').press('Enter');
  }
  await picker.getByRole('button', { name: folder, exact: true }).click();
  await expect(picker.getByTestId('picker-path')).toHaveValue(new RegExp(`[\\\\/]${folder}$`));
  await expect(picker.getByTestId('picker-count')).toHaveText('8 images in this folder');
  if (side === 'A') await page.screenshot({ path: path.join(ARTIFACTS, 'folder-picker.png') });
  await picker.getByRole('button', { name: 'Use this folder' }).click();
  await expect(picker).toBeHidden();
}

async function expectImagesLoaded(page: Page, selector: string, count: number) {
  await expect(page.locator(selector)).toHaveCount(count);
  await expect
    .poll(() =>
      // Node's types have no DOM: the element is read structurally (an <img> has naturalWidth).
      page
        .locator(selector)
        .evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length),
    )
    .toBe(count);
}

test('from two folders to a finished run, through every screen', async ({ page, served }) => {
  test.setTimeout(300_000);
  const samples = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-journey-'));
  await writeSamples({ out: samples, kind: 'palette', count: 8, size: 16, seed: 7 });

  // Runs: empty at first.
  await page.goto(served.web.url);
  await expect(page.getByTestId('runs-empty')).toContainText('No runs yet');
  await expect(page.getByTestId('backend')).toContainText('WebAssembly', { timeout: 60_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs.png'), fullPage: true });

  // New run: both folders through the folder browser, with their summaries.
  await page.getByTestId('new-run').click();
  await expect(page.getByTestId('new-run-view')).toBeVisible();
  await expect(page.getByTestId('start')).toBeDisabled();
  await pickFolder(page, 'A', samples, 'A');
  const zoneA = page.getByTestId('drop-A');
  await expect(zoneA.getByTestId('image-count')).toHaveText('8 images');
  await expect(zoneA).toContainText('16 × 16 px');
  await expectImagesLoaded(page, '[data-testid="drop-A"] [data-testid="thumbnail"]', 8);
  // B opens next to A: no need to type the location again.
  await pickFolder(page, 'B', null, 'B');
  await expect(page.getByTestId('drop-B').getByTestId('image-count')).toHaveText('8 images');
  await expectImagesLoaded(page, '[data-testid="drop-B"] [data-testid="thumbnail"]', 8);

  // Preset tiny, three options changed, and a bad value refused next to its field first.
  await page.getByTestId('preset-tiny').click();
  await expect(page.getByTestId('preset-tiny')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('advanced-options').locator('summary').click();
  await expect(page.getByLabel('Crop size')).toHaveAttribute('placeholder', '32');
  await page.getByLabel('Crop size').fill('1.5');
  await expect(page.getByText('Type a whole number.')).toBeVisible();
  await expect(page.getByTestId('start')).toBeDisabled();
  await page.getByLabel('Crop size').fill('16');
  // A combination only the host judges: its issue comes back as { path, message } and stands at its field.
  await page.getByLabel('Load size').fill('12');
  await page.getByTestId('start').click();
  const loadSize = page.locator('.option', { has: page.getByLabel('Load size') });
  await expect(loadSize).toContainText('Load size (12) must be at least crop size (16).');
  await expect(page.getByText('see the fields marked in red')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'new-run-host-issue.png'), fullPage: true });
  await page.getByLabel('Load size').fill('18');
  await expect(loadSize).not.toContainText('must be at least');
  await expect(page.getByText('see the fields marked in red')).toBeHidden();
  await page.getByLabel('Max steps').fill('30');
  await expect(page.getByTestId('advanced-options')).toContainText('3 changed from the preset');
  await expect(page.getByTestId('start')).toBeEnabled();
  await page.screenshot({ path: path.join(ARTIFACTS, 'new-run.png'), fullPage: true });

  // Run: live losses and previews until it completes.
  await page.getByTestId('start').click();
  await expect(page).toHaveURL(/#\/run\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('run-name')).toHaveText('A → B');
  await expect(page.getByTestId('loss-chart').locator('.u-legend')).toContainText('cycle_A', { timeout: 60_000 });
  await expectImagesLoaded(page, '[data-testid="preview-image"]', 1);
  // Usually still training here (speed, time left); only looked at, not asserted: it races the run.
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-live.png'), fullPage: true });
  await expect(page.getByTestId('run-view').getByTestId('status')).toHaveAttribute('data-status', 'completed', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('step')).toContainText('30');
  // The end is told, here as a toast (a browser tab without notification permission).
  const toast = page.getByTestId('toast').filter({ hasText: 'Training finished' });
  await expect(toast).toContainText('A → B completed 30 steps');
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toBeHidden();
  // Loss points reached the chart (the empty note is gone), and a checkpoint was saved.
  await expect(page.getByTestId('loss-chart')).not.toContainText('appear here');
  await expect(page.getByTestId('checkpoints').locator('li').first()).toContainText('step 30');
  await expectImagesLoaded(page, '[data-testid="preview-image"]', 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'run.png'), fullPage: true });
  // The same screen in the dark theme the OS may ask for.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Runs again: the run is listed as completed, with its sparkline.
  await page.getByRole('link', { name: '← Runs' }).click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('status')).toHaveAttribute('data-status', 'completed');
  await expect(row).toContainText('step 30');
  await expect(row.getByTestId('sparkline').locator('path')).toHaveCount(2);
  // Its epoch beside the step, and two pictures of each domain served from the sample folders.
  await expect(row.getByTestId('run-progress')).toContainText(/epoch \d+/);
  await expectImagesLoaded(page, '[data-testid="run-thumbnail"]', 4);
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs-after.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs-after-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Rename in place, then delete with a confirmation (which also leaves the list empty for
  // the other tests sharing this host).
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByLabel('Run name').fill('Palette swap');
  await row.getByLabel('Run name').press('Enter');
  await expect(row).toContainText('Palette swap');
  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByTestId('confirm-delete');
  await expect(confirm).toContainText('Palette swap');
  await confirm.getByRole('button', { name: 'Delete run' }).click();
  await expect(page.getByTestId('runs-empty')).toBeVisible();

  fs.rmSync(samples, { recursive: true, force: true });
});

test('a folder without images and a corrupt file are said plainly, and Start waits', async ({ page, served }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-bad-folders-'));
  const empty = path.join(root, 'notes');
  fs.mkdirSync(empty);
  fs.writeFileSync(path.join(empty, 'readme.txt'), 'not an image');
  const { a: good } = await writeSamples({ out: root, kind: 'palette', count: 8, size: 16, seed: 3 });
  fs.writeFileSync(path.join(good, 'broken.png'), 'this is not a PNG');

  await page.goto(`${served.web.url}#/new`);
  await page.getByLabel('Path of folder A').fill(empty);
  await page.getByLabel('Path of folder A').press('Enter');
  await expect(page.getByTestId('drop-A')).toContainText('There are no images in this folder');
  await expect(page.getByTestId('start')).toBeDisabled();

  await page.getByLabel('Path of folder B').fill(good);
  await page.getByLabel('Path of folder B').press('Enter');
  const zoneB = page.getByTestId('drop-B');
  await expect(zoneB.getByTestId('image-count')).toHaveText('8 images');
  await expect(zoneB).toContainText("1 file can't be read and will be skipped");
  await zoneB.getByText("1 file can't be read").click();
  await expect(zoneB).toContainText('broken.png');
  await expect(page.getByText('Folder A has no images.')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'new-run-problems.png'), fullPage: true });
  fs.rmSync(root, { recursive: true, force: true });
});
