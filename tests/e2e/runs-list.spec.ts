// The runs list with a run whose domain folders have changed since it trained: what is still
// there is shown, a folder that has gone leaves neutral tiles, and nothing breaks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { recordDataset } from '../../src/main/store/artifacts.ts';
import { createRun } from '../../src/main/store/runs.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';

test('a run whose folder B has gone shows A’s one picture and neutral tiles for the rest', async ({ page, served }) => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-runs-list-'));
  const folderA = path.join(data, 'summer');
  fs.mkdirSync(folderA);
  await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 220, g: 150, b: 40 } } })
    .png()
    .toFile(path.join(folderA, 'only.png'));
  const dataset = (folder: string, role: 'A' | 'B') =>
    recordDataset(served.host.db, { path: folder, role, fileCount: 1, fingerprint: 'f', problems: [] });
  const runId = createRun(served.host.db, {
    name: 'summer ↔ winter',
    model: 'cyclegan',
    config: {},
    datasetA: dataset(folderA, 'A'),
    datasetB: dataset(path.join(data, 'winter'), 'B'),
  });
  try {
    await page.goto(served.web.url);
    const row = page.locator(`[data-run-id="${runId}"]`);
    await expect(row.getByTestId('run-thumbnail')).toHaveCount(1);
    await expect
      .poll(() =>
        row.getByTestId('run-thumbnail').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(24);
    await expect(row.getByTestId('run-domains')).toHaveAttribute('data-missing', 'B');
    await expect(row.getByTestId('run-progress')).toHaveText('—');
    await page.screenshot({ path: path.join(ARTIFACTS, 'runs-missing-folder.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'runs-missing-folder-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  } finally {
    // The host is shared with the other files, whose screens expect no leftover runs.
    await served.host.dispatch('runs:delete', { id: runId });
    fs.rmSync(data, { recursive: true, force: true });
  }
});
