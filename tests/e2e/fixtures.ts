// A real host (workspace, database, engine probe) behind a real web host, per test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { createHost, type Host } from '../../src/main/host.ts';
import { startWebHost, type WebHost } from '../../src/main/web-host/server.ts';

export const ARTIFACTS = path.resolve('test-results', 'artifacts');
const rendererDir = path.resolve('out', 'renderer');

export const test = base.extend<object, { served: { host: Host; web: WebHost; home: string } }>({
  served: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern; this one has none.
    async ({}, use) => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-e2e-'));
      const host = createHost({ kind: 'web', home });
      const web = await startWebHost({ dispatch: host.dispatch, events: host.events, media: host.media, rendererDir });
      await use({ host, web, home });
      await web.close();
      host.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/** One request through the served host's dispatcher, as a window sends it; a refusal is thrown. */
export async function api<T>(host: Host, channel: string, request: unknown): Promise<T> {
  const result = await host.dispatch(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}
