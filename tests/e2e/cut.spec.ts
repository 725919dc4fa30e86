// CUT from the UI (issue 16): New run offers three models with advice on when to pick each; a CUT
// run trains on two folders with the tiny preset, its previews have CUT's four columns, and Convert
// says plainly that it translates one way (B → A not offered).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSamples } from '../../src/main/samples.ts';
import { ARTIFACTS, api, expect, test } from './fixtures.ts';

test('a CUT run from New run to its one-way Convert screen', async ({ page, served }) => {
  test.setTimeout(240_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cut-'));
  const data = await writeSamples({ out: root, kind: 'palette', count: 8, size: 16, seed: 5 });

  await page.goto(`${served.web.url}#/new`);
  await page.getByLabel('Path of folder A').fill(data.a);
  await page.getByLabel('Path of folder A').press('Enter');
  await page.getByLabel('Path of folder B').fill(data.b);
  await page.getByLabel('Path of folder B').press('Enter');
  await expect(page.getByTestId('drop-B').getByTestId('image-count')).toHaveText('8 images');

  await expect(page.getByTestId('model-cyclegan')).toBeVisible();
  await expect(page.getByTestId('model-cogan')).toBeVisible();
  await page.getByTestId('model-cut').click();
  await expect(page.getByTestId('model-cut')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('model-advice')).toContainText('One direction only (A → B)');
  await page.getByTestId('preset-tiny').click();
  await page.getByTestId('advanced-options').locator('summary').click();
  await page.getByLabel('Crop size').fill('16');
  await page.getByLabel('Load size').fill('18');
  await page.getByLabel('Max steps').fill('6');
  // CUT's generators: the paper's ResNets and (Diptych's addition) the U-Nets; tiny's is ResNet 6.
  const generator = page.getByLabel('Generator', { exact: true });
  await expect(generator.locator('option')).toHaveText([
    'ResNet 6 blocks · preset',
    'ResNet 9 blocks',
    'ResNet 6 blocks',
    'U-Net 32',
    'U-Net 64',
    'U-Net 128',
    'U-Net 256',
  ]);
  // The CPU presets keep colours (the authors' SinCUT identity term), shown as the preset's value.
  await expect(page.getByLabel('Keep colours')).toHaveAttribute('placeholder', '1');
  await page.screenshot({ path: path.join(ARTIFACTS, 'new-run-cut.png'), fullPage: true });

  await page.getByTestId('start').click();
  await expect(page).toHaveURL(/#\/run\/[A-Za-z0-9_-]+$/);
  const runId = page.url().split('/').at(-1) as string;
  await expect(page.getByTestId('run-view').getByTestId('status')).toHaveAttribute('data-status', 'completed', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('preview-labels')).toHaveText(/real_A\s*fake_B\s*real_B\s*idt_B/);
  await expect(page.getByTestId('loss-chart').locator('.u-legend')).toContainText('NCE');
  await expect(page.getByTestId('loss-chart').locator('.u-legend')).toContainText('idt');
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-cut.png'), fullPage: true });

  await page.goto(`${served.web.url}#/convert?run=${runId}`);
  await expect(page.getByTestId('direction-BtoA')).toBeDisabled();
  await expect(page.getByTestId('one-way-note')).toContainText('CUT translates one way only, A → B');
  await page.screenshot({ path: path.join(ARTIFACTS, 'convert-cut.png'), fullPage: true });
  // The journey that follows in this worker starts from an empty runs list.
  await api(served.host, 'runs:delete', { id: runId });
  fs.rmSync(root, { recursive: true, force: true });
});
