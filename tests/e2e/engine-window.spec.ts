// What runs in Electron's engine window (docs/ENGINE-WINDOW.md), run in Debian's Chromium: the page's
// own WebGPU taken through the real activateWebGpu, and one real CycleGAN training step on it, which
// must match the same step on tfjs's 'cpu' backend. The page (tests/e2e/engine-window/) is built here
// with Vite and served over http://127.0.0.1, a secure context, as WebGPU requires. Chromium has no GPU
// on these machines: its WebGPU adapter is SwiftShader (software), which the engine refuses unless
// asked for, so the page checks the refusal, then asks for it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sirv from 'sirv';
import { build } from 'vite';
import type { Checksum, PageResult } from './engine-window/main.ts';

const pageDir = path.resolve('test-results', 'engine-window-page');
const resultFile = path.resolve('test-results', 'artifacts', 'engine-window.json');
const TOLERANCE = 1e-4;

test.use({
  launchOptions: {
    executablePath: process.env.DIPTYCH_CHROMIUM ?? '/usr/bin/chromium',
    // As playwright.config.ts, without --disable-gpu, and with WebGPU (still behind a flag on Linux).
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
});

let server: http.Server;
let origin: string;

test.beforeAll(async () => {
  await build({
    configFile: false,
    root: path.resolve('tests/e2e/engine-window'),
    base: './',
    logLevel: 'error',
    build: { outDir: pageDir, emptyOutDir: true, target: 'esnext', reportCompressedSize: false },
  });
  server = http.createServer(sirv(pageDir, { dev: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

function expectClose(label: string, gpu: number, cpu: number): void {
  expect(relative(gpu, cpu), `${label}: webgpu ${gpu}, cpu ${cpu}`).toBeLessThan(TOLERANCE);
}

function expectChecksumsClose(label: string, gpu: Record<string, Checksum>, cpu: Record<string, Checksum>): void {
  expect(Object.keys(gpu).sort()).toEqual(Object.keys(cpu).sort());
  for (const [name, sums] of Object.entries(gpu)) {
    const other = cpu[name] as Checksum;
    expectClose(`${label} ${name} Σ|x|`, sums.abs, other.abs);
    expectClose(`${label} ${name} Σx²`, sums.sq, other.sq);
  }
}

test('the engine window trains a CycleGAN step on the page WebGPU, as on the CPU', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => 'runEngineWindowCheck' in globalThis);
  const result = await page.evaluate(() =>
    (globalThis as unknown as { runEngineWindowCheck: () => Promise<PageResult> }).runEngineWindowCheck(),
  );
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  expect(errors).toEqual([]);

  // Chromium without a GPU: SwiftShader, described as software, refused by default.
  expect(result.adapter.software).toBe(true);
  expect(`${result.adapter.vendor} ${result.adapter.architecture}`).toMatch(/swiftshader/i);
  expect(result.adapter.limits.maxBufferSize).toBeGreaterThan(0);
  expect(result.refusedWithoutAllowSoftware.refused, result.refusedWithoutAllowSoftware.error).toBe(true);

  expect(result.webgpu.backend).toBe('webgpu');
  expect(result.cpu.backend).toBe('cpu');
  expect(Object.keys(result.webgpu.losses).sort()).toEqual(Object.keys(result.cpu.losses).sort());
  for (const [name, value] of Object.entries(result.webgpu.losses)) {
    expect(Number.isFinite(value), name).toBe(true);
    expectClose(`loss ${name}`, value, result.cpu.losses[name] as number);
  }
  expectChecksumsClose('cycle gradient', result.webgpu.gradients, result.cpu.gradients);
  expectChecksumsClose('weights after the step', result.webgpu.weights, result.cpu.weights);
  expect(result.webgpu.leaked).toBe(0);
  expect(result.cpu.leaked).toBe(0);
});
