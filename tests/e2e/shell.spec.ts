import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures.ts';

test('the shell shows the title, the empty runs list and the backend in use', async ({ page, served }) => {
  await page.goto(served.web.url);
  await expect(page).toHaveTitle('Diptych');
  await expect(page.getByRole('heading', { name: 'Diptych', level: 1 })).toBeVisible();
  await expect(page.getByTestId('runs-empty')).toContainText('No runs yet');
  // The badge is filled from app:info, which comes over the WebSocket bridge from the
  // engine's own probe: on these machines the native backends are absent, so wasm.
  const badge = page.getByTestId('backend');
  await expect(badge).toContainText('WebAssembly', { timeout: 60_000 });
  await expect(badge).toHaveAttribute('title', /tensorflow|TensorFlow/);
  await expect(page.getByText(served.home)).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'shell.png'), fullPage: true });
});

test('the web host refuses a page load and the API without the token', async ({ page, served }) => {
  const bare = new URL(served.web.url);
  bare.search = '';
  const response = await page.goto(bare.href);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('token');
  const upgraded = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    `ws://${bare.host}/api`,
  );
  expect(upgraded).toBe('refused');
});
