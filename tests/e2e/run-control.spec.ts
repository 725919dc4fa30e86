// A run driven from the UI through everything that can happen to it: a folder with a corrupt
// file still trains on the good ones; pause from the button and resume from the keyboard; the
// page's WebSocket dropped and redialled while it trains; the engine process killed (the run
// says so in plain words and offers to continue); continued from its checkpoint; stopped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { writeSamples } from '../../src/main/samples.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';

// The page's globals, typed here without the DOM library (these tests compile for Node).
type SocketLike = { readyState: number; close(): void };
type PageGlobals = {
  sockets: SocketLike[];
  WebSocket: new (url: string | URL, protocols?: string | string[]) => SocketLike;
};

/** The step the status line shows ("123 / 1,600" → 123). */
async function shownStep(page: Page): Promise<number> {
  const text = (await page.getByTestId('step').textContent()) ?? '';
  return Number(text.split('/')[0]?.replace(/[^0-9]/g, '') || '0');
}

async function expectStatus(page: Page, status: string, timeout = 60_000) {
  await expect(page.getByTestId('run-view').getByTestId('status')).toHaveAttribute('data-status', status, { timeout });
}

test('pause, resume, a dropped connection, a killed engine, continue and stop', async ({ page, served }) => {
  test.setTimeout(240_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-control-'));
  const { a, b } = await writeSamples({ out: root, kind: 'palette', count: 8, size: 16, seed: 11 });
  fs.writeFileSync(path.join(a, 'broken.png'), 'this is not a PNG');
  // Every WebSocket the page opens, so the test can drop the bridge's like a network would.
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    const sockets: SocketLike[] = [];
    page.sockets = sockets;
    const Native = page.WebSocket;
    page.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });

  // New run: the corrupt file is listed, and Start is still allowed on the 8 good images.
  await page.goto(`${served.web.url}#/new`);
  for (const [side, folder] of [
    ['A', a],
    ['B', b],
  ] as const) {
    await page.getByLabel(`Path of folder ${side}`).fill(folder);
    await page.getByLabel(`Path of folder ${side}`).press('Enter');
    await expect(page.getByTestId(`drop-${side}`).getByTestId('image-count')).toHaveText('8 images');
  }
  await expect(page.getByTestId('drop-A')).toContainText("1 file can't be read and will be skipped");
  await page.getByTestId('preset-tiny').click();
  await page.getByTestId('advanced-options').locator('summary').click();
  await page.getByLabel('Crop size').fill('16');
  await page.getByLabel('Load size').fill('18');
  // Long enough to do everything below before it ends by itself (8 steps an epoch).
  await page.getByLabel('Epochs', { exact: true }).fill('200');
  await page.getByLabel('Slow-down epochs').fill('0');
  await expect(page.getByTestId('start')).toBeEnabled();
  await page.getByTestId('start').click();
  await expect(page).toHaveURL(/#\/run\/[A-Za-z0-9_-]+$/);
  const runId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
  await expectStatus(page, 'running');
  await expect.poll(() => shownStep(page), { timeout: 60_000 }).toBeGreaterThan(0);

  // Pause from the button; resume from the keyboard (Ctrl+Shift+P, as the Shortcuts panel says).
  await page.getByTestId('pause').click();
  await expectStatus(page, 'paused');
  const pausedAt = await shownStep(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-paused.png'), fullPage: true });
  await page.keyboard.press('Control+Shift+P');
  await expectStatus(page, 'running');
  await expect.poll(() => shownStep(page)).toBeGreaterThan(pausedAt);

  // The bridge's socket drops; the page dials again by itself and the numbers keep coming.
  const closed = await page.evaluate(() => {
    const open = (globalThis as unknown as PageGlobals).sockets.filter((s) => s.readyState === 1);
    for (const socket of open) socket.close();
    return open.length;
  });
  expect(closed).toBe(1);
  const droppedAt = await shownStep(page);
  // The page says so while it is away, and stops saying so once it is back.
  await expect(page.getByTestId('offline')).toContainText('Reconnecting');
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-reconnecting.png') });
  await expect(page.getByTestId('offline')).toBeHidden({ timeout: 15_000 });
  await expect
    .poll(() =>
      page.evaluate(() => (globalThis as unknown as PageGlobals).sockets.some((s) => s.readyState === 1 /* OPEN */)),
    )
    .toBe(true);
  await expect.poll(() => shownStep(page), { timeout: 30_000 }).toBeGreaterThan(droppedAt + 2);

  // A checkpoint after 5 epochs (step 40): then the engine process is killed from outside.
  await expect(page.getByTestId('checkpoints').locator('li').first()).toContainText('step 40', { timeout: 90_000 });
  const pid = served.host.db
    .prepare<[string], number | null>('SELECT engine_pid FROM runs WHERE id = ?')
    .pluck()
    .get(runId);
  expect(pid).toBeGreaterThan(0);
  process.kill(pid as number, 'SIGKILL');
  await expectStatus(page, 'failed');
  const problem = page.getByTestId('run-problem');
  await expect(problem).toContainText('The training process stopped unexpectedly');
  await expect(problem).toContainText(/Continue training to pick up from the checkpoint at step \d+/);
  await expect(page.getByTestId('continue')).toBeEnabled();
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-engine-killed.png'), fullPage: true });

  // Continue: it picks up from the checkpoint and trains on.
  const resumeFrom = Number(
    /checkpoint at step ([\d,]+)/.exec((await problem.textContent()) ?? '')?.[1]?.replace(/,/g, ''),
  );
  await page.getByTestId('continue').click();
  await expectStatus(page, 'running');
  await expect(page.getByTestId('run-problem')).toBeHidden();
  await expect.poll(() => shownStep(page), { timeout: 60_000 }).toBeGreaterThan(resumeFrom);
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-continued.png'), fullPage: true });

  // Stop from the keyboard: a checkpoint is saved and the run can be continued later.
  await page.keyboard.press('Control+Shift+S');
  await expectStatus(page, 'stopped');
  await expect(page.getByTestId('continue')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'run-stopped.png'), fullPage: true });

  // Leave the shared host's runs list empty for the other tests.
  const deleted = await served.host.dispatch('runs:delete', { id: runId });
  expect(deleted.ok).toBe(true);
  fs.rmSync(root, { recursive: true, force: true });
});
