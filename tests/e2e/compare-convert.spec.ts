// The end of the journey through the web host in Chromium: a tiny run trained (through the API, to
// stay fast; the journey spec covers the new-run screen), two of its checkpoints compared (the
// ground-truth tables with their baselines, numbers, pictures, zoom, before/after, then the cache),
// a folder converted and its files found on disk, an output inside the input refused in the host's
// words, a long conversion cancelled, two loose files picked in the host's browser and converted;
// and a CoGAN tiny run started from the UI showing its A/B pairs and agreement. Screenshots are kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Host } from '../../src/main/host.ts';
import { writeSamples } from '../../src/main/samples.ts';
import type { RunDetail } from '../../src/shared/contract.ts';
import { ARTIFACTS, api, expect, test } from './fixtures.ts';

async function waitForRun(host: Host, id: string, timeout = 240_000): Promise<RunDetail> {
  const until = Date.now() + timeout;
  for (;;) {
    const run = await api<RunDetail>(host, 'runs:get', { id });
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function loadedImages(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length);
}

async function bothThemes(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function typeFolder(page: Page, testid: string, folder: string) {
  const input = page.getByTestId(`${testid}-input`);
  await input.fill(folder);
  await input.press('Tab');
}

test('compare two checkpoints, convert a folder and find the files, cancel a conversion', async ({ page, served }) => {
  test.setTimeout(300_000);
  // Before any run: both screens say what they need.
  await page.goto(`${served.web.url}#/compare`);
  await expect(page.getByTestId('compare-no-runs')).toContainText('no run yet');
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare-empty.png'), fullPage: true });
  await page.goto(`${served.web.url}#/convert`);
  await expect(page.getByTestId('convert-no-runs')).toContainText('no run yet');
  await page.screenshot({ path: path.join(ARTIFACTS, 'convert-empty.png'), fullPage: true });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-convert-'));
  const { a, b } = await writeSamples({ out: root, kind: 'negative', count: 8, size: 16, seed: 5 });
  // 8 images, one per step: a checkpoint at the end of epoch 5 (step 40) and one at the end (44).
  const { runId } = await api<{ runId: string }>(served.host, 'training:start', {
    dataA: a,
    dataB: b,
    preset: 'tiny',
    name: 'Negative',
    overrides: { cropSize: 16, loadSize: 18, maxSteps: 44 },
  });
  const trained = await waitForRun(served.host, runId);
  expect(trained.status).toBe('completed');
  expect(trained.checkpoints.map((c) => c.step).sort((x, y) => x - y)).toEqual([40, 44]);

  // Run screen: each checkpoint offers Compare, Convert and Export.
  await page.goto(`${served.web.url}#/run/${runId}`);
  const rows = page.getByTestId('checkpoint-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('conversions')).toHaveCount(0);
  await rows.first().getByTestId('checkpoint-compare').click();

  // Compare: both checkpoints preselected, the run's folders as the images.
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('chosen-checkpoint')).toHaveCount(2);
  await expect(page.getByTestId('chosen-checkpoint').first()).toContainText('step 44');
  await expect(page.getByTestId('compare-a-input')).toHaveValue(a);
  await expect(page.getByTestId('compare-b-input')).toHaveValue(b);
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare-setup.png'), fullPage: true });
  await page.getByTestId('compare-start').click();
  const numbers = page.getByTestId('compare-numbers');
  await expect(numbers).toBeVisible({ timeout: 120_000 });
  // Compare runs the CycleGAN checkpoints on the default engine too, and says which (issue 17).
  await expect(page.getByTestId('compare-engine')).toHaveText(
    /^Translated on ONNX Runtime [\d.]+, CPU, \d+ threads?\.$/,
  );
  // The negative samples know their truth in both directions: a table each, the checkpoints then
  // the trivial answers in words, each checkpoint's margin over the best of them, one to beat.
  const truth = page.getByTestId('compare-truth');
  await expect(truth.getByTestId('truth-table')).toHaveCount(2);
  for (const [t, table] of (await truth.getByTestId('truth-table').all()).entries()) {
    await expect(table.locator('[data-kind="checkpoint"]')).toHaveCount(2);
    await expect(table.locator('[data-kind="baseline"] th')).toHaveText([
      'the input itself',
      t === 0 ? "B's mean colour" : "A's mean colour",
      'a global colour transfer',
    ]);
    await expect(table.getByTestId('to-beat')).toHaveCount(1);
    const margins = await table.locator('[data-kind="checkpoint"] [data-testid="truth-margin"]').allTextContents();
    for (const margin of margins) expect(margin.trim()).toMatch(/^[✓✗] ([+−]\d+\.\d\d|±0\.00) dB$/);
    await expect(table.getByTestId('truth-verdict')).toContainText('trivial answer');
  }
  // The "Training finished" toast may still sit over the table's corner: hidden for this picture.
  const hideToasts = await page.addStyleTag({ content: '.toasts { visibility: hidden; }' });
  await truth.screenshot({ path: path.join(ARTIFACTS, 'compare-truth.png') });
  await hideToasts.evaluate((node) => node.remove());
  // Cycle and identity rows per direction; the ground truth is in its own table above.
  await expect(numbers.getByTestId('number-row')).toHaveCount(8);
  const l1 = numbers.locator('[data-key="AtoB-cycle-l1"] td');
  await expect(l1).toHaveCount(2);
  for (const cell of await l1.allTextContents()) expect(Number(cell)).toBeGreaterThan(0);
  await expect(numbers.locator('td[data-best="true"]').first()).toBeVisible();
  // 8 images × (input, truth, 2 × translation + reconstruction).
  await expect(page.getByTestId('compare-tile')).toHaveCount(48);
  await expect.poll(() => loadedImages(page, '[data-testid="compare-tile"] img'), { timeout: 30_000 }).toBe(48);
  await page.getByTestId('compare-tile').and(page.locator('[data-kind="translated"]')).first().click();
  const zoom = page.getByTestId('zoom');
  await expect(zoom).toBeVisible();
  await expect.poll(() => loadedImages(page, '[data-testid="zoom-image"]')).toBe(1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare-zoom.png') });
  await zoom.getByRole('button', { name: 'Close' }).click();
  await expect(zoom).toBeHidden();
  await page.getByTestId('wipe-image').selectOption({ index: 2 });
  await page.getByTestId('before-after-slider').fill('30');
  const after = page.getByTestId('before-after').locator('img.after');
  await expect(after).toHaveAttribute('style', /inset\(0(px)? 0(px)? 0(px)? 30%\)/);
  // The third image's translation by the first checkpoint (44), wiped over its input.
  await expect(after).toHaveAttribute('src', /%2F44-[0-9a-f]+%2F[0-9a-f]+%2FA%2F2-translated\.png$/);
  await bothThemes(page, 'compare');
  // Again: both come from the cache.
  await page.getByTestId('compare-start').click();
  await expect(numbers.locator('thead')).toContainText('cached');
  await expect(numbers.locator('.cached')).toHaveCount(2);

  // Convert from the run's older checkpoint: an output inside the input is refused in the host's words.
  await page.goto(`${served.web.url}#/run/${runId}`);
  await rows.last().getByTestId('checkpoint-convert').click();
  await expect(page.getByTestId('convert-view')).toBeVisible();
  await expect(page).toHaveURL(/#\/convert\?run=[^&]+&step=40$/);
  await expect(page.getByTestId('convert-step')).toHaveValue('40');
  await typeFolder(page, 'convert-in', a);
  await expect(page.getByTestId('convert-out-input')).toHaveValue(`${a}-as-B`);
  await typeFolder(page, 'convert-out', path.join(a, 'converted'));
  await page.getByTestId('convert-start').click();
  await expect(page.getByTestId('convert-error')).toContainText('is inside the input folder');
  expect(fs.existsSync(path.join(a, 'converted'))).toBe(false);

  const out = path.join(root, 'converted');
  await typeFolder(page, 'convert-out', out);
  await page.getByTestId('convert-format').selectOption('jpg');
  await page.getByTestId('convert-start').click();
  const progress = page.getByTestId('convert-progress');
  await expect(progress).toHaveAttribute('data-phase', 'completed', { timeout: 120_000 });
  await expect(page.getByTestId('convert-counts')).toContainText('8 of 8 · 8 converted');
  // The default engine: ONNX Runtime, on this machine's CPU (issue 17).
  await expect(page.getByTestId('convert-engine-used')).toHaveText(
    /^Running on ONNX Runtime [\d.]+, CPU, \d+ threads?\.$/,
  );
  const written = fs.readdirSync(out).sort();
  expect(written).toEqual(
    fs
      .readdirSync(a)
      .map((f) => f.replace(/\.png$/, '.jpg'))
      .sort(),
  );
  for (const file of written) expect(fs.statSync(path.join(out, file)).size).toBeGreaterThan(100);
  await expect(page.getByTestId('output-path')).toHaveText(out);
  // Served through the media route: the output folder was registered when the conversion started.
  await page.getByTestId('convert-gallery').scrollIntoViewIfNeeded();
  await expect.poll(() => loadedImages(page, '[data-testid="convert-result"]'), { timeout: 30_000 }).toBe(8);
  await bothThemes(page, 'convert');

  // A long batch, cancelled: what was written is complete and matches the count shown.
  const many = path.join(root, 'many');
  await writeSamples({ out: many, kind: 'negative', count: 120, size: 16, seed: 9 });
  await typeFolder(page, 'convert-in', path.join(many, 'A'));
  const cancelledOut = path.join(root, 'cancelled');
  await typeFolder(page, 'convert-out', cancelledOut);
  await page.getByTestId('convert-format').selectOption('png');
  await page.getByTestId('convert-engine').selectOption('tfjs');
  await page.getByTestId('size-fit').check();
  await page.getByTestId('fit-px').fill('512');
  await page.getByTestId('convert-start').click();
  await expect(page.getByTestId('convert-file').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('convert-engine-used')).toHaveText(/^Running on TensorFlow\.js \(\w+\)\.$/);
  await page.getByTestId('convert-cancel').click();
  await expect(progress).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });
  await expect(page.getByTestId('convert-stopped')).toBeVisible();
  const converted = await page.locator('[data-testid="convert-file"][data-status="converted"]').count();
  expect(converted).toBeGreaterThan(0);
  expect(converted).toBeLessThan(120);
  expect(fs.readdirSync(cancelledOut).filter((f) => f.endsWith('.png'))).toHaveLength(converted);
  await page.screenshot({ path: path.join(ARTIFACTS, 'convert-cancelled.png'), fullPage: true });

  // Both conversions are listed on the run.
  await page.goto(`${served.web.url}#/run/${runId}`);
  const conversions = page.getByTestId('conversions').locator('li');
  await expect(conversions).toHaveCount(2);
  await expect(conversions.first()).toHaveAttribute('data-status', 'stopped');
  await expect(conversions.last()).toHaveAttribute('data-status', 'completed');
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-conversions.png'), fullPage: true });

  // Loose files ticked in the host's browser: converted side by side into the output folder.
  await page.goto(`${served.web.url}#/convert?run=${runId}`);
  await page.getByTestId('convert-in-pick-files').click();
  await page.getByTestId('picker-path').fill(a);
  await page.getByTestId('picker-path').press('Enter');
  await page.getByTestId('picker-file').nth(0).check();
  await page.getByTestId('picker-file').nth(1).check();
  await page.getByTestId('picker-use-files').click();
  await expect(page.getByTestId('convert-chosen-files')).toContainText('2 pictures');
  const looseOut = path.join(root, 'loose');
  await typeFolder(page, 'convert-out', looseOut);
  await page.getByTestId('convert-start').click();
  await expect(progress).toHaveAttribute('data-phase', 'completed', { timeout: 60_000 });
  expect(fs.readdirSync(looseOut).sort()).toEqual(fs.readdirSync(a).sort().slice(0, 2));

  await api(served.host, 'runs:delete', { id: runId });
  fs.rmSync(root, { recursive: true, force: true });
});

test('a CoGAN tiny run started from the UI shows A/B pairs and its agreement', async ({ page, served }) => {
  test.setTimeout(300_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cogan-ui-'));
  const { a, b } = await writeSamples({ out: root, kind: 'negative', count: 8, size: 32, seed: 4 });

  await page.goto(`${served.web.url}#/new`);
  await page.getByLabel('Path of folder A').fill(a);
  await page.getByLabel('Path of folder A').press('Enter');
  await page.getByLabel('Path of folder B').fill(b);
  await page.getByLabel('Path of folder B').press('Enter');
  await expect(page.getByTestId('drop-B').getByTestId('image-count')).toHaveText('8 images');
  await page.getByTestId('model-cogan').click();
  await expect(page.getByTestId('model-cogan')).toHaveAttribute('aria-checked', 'true');
  // CoGAN's own presets and options.
  await expect(page.getByTestId('preset-paper')).toHaveCount(0);
  await page.getByTestId('preset-tiny').click();
  await page.getByTestId('advanced-options').locator('summary').click();
  await expect(page.getByLabel('Code size')).toHaveAttribute('placeholder', '100');
  await expect(page.getByLabel('Shared generator layers')).toHaveAttribute('placeholder', '3');
  await expect(page.getByLabel('Cycle weight A')).toHaveCount(0);
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Max steps').fill('40');
  await page.getByLabel('Preview every').fill('10');
  await expect(page.getByTestId('advanced-options')).toContainText('3 changed from the preset');
  await page.screenshot({ path: path.join(ARTIFACTS, 'new-run-cogan.png'), fullPage: true });
  await page.getByTestId('start').click();

  await expect(page).toHaveURL(/#\/run\/[A-Za-z0-9_-]+$/);
  const runId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
  await expect(page.getByTestId('run-view').getByTestId('status')).toHaveAttribute('data-status', 'completed', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('preview-labels')).toContainText('z1 A');
  await expect(page.getByTestId('preview-labels')).toContainText('z4 B');
  await expect.poll(() => loadedImages(page, '[data-testid="preview-image"]'), { timeout: 30_000 }).toBe(1);
  const legend = page.getByTestId('loss-chart').locator('.u-legend');
  for (const loss of ['D_A', 'D_B', 'G_A', 'G_B']) await expect(legend).toContainText(loss);
  await expect(legend).not.toContainText('agreement');
  // The samples' relation was recognised: agreement measured at the start and at each checkpoint.
  await expect(page.getByTestId('agreement')).toContainText('negative');
  await expect(page.getByTestId('agreement-kappa')).toHaveText(/^-?\d\.\d{3}$/);
  await expect(page.getByTestId('checkpoint-export').first()).toBeDisabled();
  const toast = page.getByTestId('toast').filter({ hasText: 'Training finished' });
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toBeHidden();
  await bothThemes(page, 'cogan-run');

  // Its first and last checkpoints compared on one image (a CoGAN translates by a search: slow):
  // the agreement is among the numbers.
  await page.getByTestId('checkpoint-row').first().getByTestId('checkpoint-compare').click();
  const chips = page.getByTestId('chosen-checkpoint');
  await expect(chips).toHaveCount(4);
  await chips.nth(2).getByRole('button').click();
  await chips.nth(1).getByRole('button').click();
  await expect(chips).toHaveCount(2);
  await page.getByTestId('compare-count').fill('1');
  await page.getByTestId('compare-start').click();
  const numbers = page.getByTestId('compare-numbers');
  await expect(numbers).toBeVisible({ timeout: 180_000 });
  await expect(numbers.locator('[data-key="agreement-kappa"] td')).toHaveCount(2);
  await expect(numbers.locator('[data-key="AtoB-identity"]')).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare-cogan.png'), fullPage: true });

  await api(served.host, 'runs:delete', { id: runId });
  fs.rmSync(root, { recursive: true, force: true });
});
