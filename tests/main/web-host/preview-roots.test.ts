// A page may point the web host only at folders under its roots (those fs:list browses):
// datasets:preview and training:start refuse others, and /media never serves their images.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHost, type Host } from '../../../src/main/host.ts';
import { startWebHost, type WebHost } from '../../../src/main/web-host/server.ts';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-preview-roots-')));
const rootDir = path.join(base, 'root');
const inside = path.join(rootDir, 'photos');
const outside = path.join(base, 'elsewhere');
const renderer = path.join(base, 'renderer');
for (const dir of [inside, outside, renderer]) fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
fs.writeFileSync(path.join(inside, 'in.png'), 'PNG-INSIDE');
fs.writeFileSync(path.join(outside, 'secret.png'), 'PNG-OUTSIDE');
// A link inside the root that leads out of it.
fs.symlinkSync(outside, path.join(rootDir, 'link-out'));

let host: Host;
let web: WebHost;
const savedRoots = process.env.DIPTYCH_ROOTS;

beforeAll(async () => {
  process.env.DIPTYCH_ROOTS = rootDir;
  host = createHost({ kind: 'web', home: path.join(base, 'home'), probeAtStart: false });
  web = await startWebHost({ dispatch: host.dispatch, media: host.media, rendererDir: renderer });
});

afterAll(async () => {
  await web?.close();
  host?.close();
  if (savedRoots === undefined) delete process.env.DIPTYCH_ROOTS;
  else process.env.DIPTYCH_ROOTS = savedRoots;
  fs.rmSync(base, { recursive: true, force: true });
});

const media = (file: string) =>
  fetch(`${new URL(web.url).origin}/media?path=${encodeURIComponent(file)}&token=${web.token}`);

test('datasets:preview refuses a folder outside the roots, and /media does not serve it afterwards', async () => {
  for (const folder of [outside, path.join(rootDir, 'link-out'), `${inside}/../../elsewhere`, '/usr/share']) {
    const result = await host.dispatch('datasets:preview', { path: folder });
    expect(result.ok, folder).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/outside the folders this host may use.*DIPTYCH_ROOTS/);
  }
  const reply = await media(path.join(outside, 'secret.png'));
  expect(reply.status).toBe(404);
  expect(await reply.text()).not.toContain('PNG-OUTSIDE');
});

test('datasets:preview of a folder inside the roots works and /media serves its images', async () => {
  const result = await host.dispatch('datasets:preview', { path: inside });
  expect(result.ok).toBe(true);
  const reply = await media(path.join(inside, 'in.png'));
  expect(reply.status).toBe(200);
  expect(await reply.text()).toBe('PNG-INSIDE');
});

test('training:start refuses data outside the roots (the run would open them to /media)', async () => {
  const result = await host.dispatch('training:start', { dataA: outside, dataB: inside, preset: 'tiny' });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.message).toMatch(/outside the folders this host may use/);
  expect(host.db.prepare('SELECT COUNT(*) FROM datasets').pluck().get()).toBe(0);
});

test('convert:start and compare:start refuse folders and files outside the roots, and an output outside them', async () => {
  const convertRequests = [
    { inDir: outside, outDir: path.join(inside, 'out') },
    { files: [path.join(outside, 'secret.png')], outDir: path.join(inside, 'out') },
    { inDir: inside, outDir: path.join(outside, 'converted') },
    { inDir: inside, outDir: '/usr/share/diptych-out' },
  ];
  for (const request of convertRequests) {
    const result = await host.dispatch('convert:start', { runId: 'r1', step: 'latest', direction: 'AtoB', ...request });
    expect(result.ok, JSON.stringify(request)).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/outside the folders this host may use/);
  }
  for (const folders of [
    { a: outside, b: inside },
    { a: inside, b: '/usr/share' },
    { a: inside, b: inside, truthA: outside },
  ]) {
    const result = await host.dispatch('compare:start', { checkpoints: [{ runId: 'r1', step: 'latest' }], ...folders });
    expect(result.ok, JSON.stringify(folders)).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/outside the folders this host may use/);
  }
});
