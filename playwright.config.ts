import { defineConfig } from '@playwright/test';

// Browser tests drive the real renderer through the web host in Debian's Chromium (no
// Playwright browser download: these machines cannot fetch one). Screenshots are kept under
// test-results/ as artifacts for people to look at.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  // A browser that never comes back (seen once on a loaded 2-core machine) fails the phase instead of
  // holding CI until its own limit.
  globalTimeout: 15 * 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.DIPTYCH_CHROMIUM ?? '/usr/bin/chromium',
      // Without these, Chromium keeps dialling Google's services, which this network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
