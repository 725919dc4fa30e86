// samples:create: "Try it with sample folders" writes the demo's sample pair into the workspace
// (never anywhere a page names), is idempotent, and the folders it returns are usable by a web
// host page even when the workspace lies outside DIPTYCH_ROOTS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHost, type Host } from '../../src/main/host.ts';
import type { HostEvent, SampleFolders } from '../../src/shared/contract.ts';
import { DEMO_SAMPLES } from '../../src/shared/demo.ts';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-host-samples-')));
const home = path.join(base, 'home');
const rootDir = path.join(base, 'root');
fs.mkdirSync(rootDir);
const savedRoots = process.env.DIPTYCH_ROOTS;
let host: Host;
const events: HostEvent[] = [];

beforeAll(() => {
  // The workspace is outside the roots a page may browse: the sample folders must still be usable.
  process.env.DIPTYCH_ROOTS = rootDir;
  host = createHost({ kind: 'web', home, probeAtStart: false });
  host.events.subscribe((event) => events.push(event));
});

afterAll(() => {
  host?.close();
  if (savedRoots === undefined) delete process.env.DIPTYCH_ROOTS;
  else process.env.DIPTYCH_ROOTS = savedRoots;
  fs.rmSync(base, { recursive: true, force: true });
});

async function create(): Promise<SampleFolders> {
  const result = await host.dispatch('samples:create', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SampleFolders;
}

const pngs = (folder: string) => fs.readdirSync(folder).filter((name) => name.endsWith('.png'));

test('bad requests are refused before anything is written', async () => {
  for (const request of [{ out: rootDir }, { kind: 'palette' }, { count: 10_000 }, 'stripes', [rootDir]]) {
    const result = await host.dispatch('samples:create', request);
    expect(result.ok, JSON.stringify(request)).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('bad-request');
  }
  expect(fs.existsSync(path.join(home, 'samples'))).toBe(false);
});

test('writes the demo pair into the workspace and says how to train on it, with progress', async () => {
  const folders = await create();
  const folder = path.join(home, 'samples', DEMO_SAMPLES.kind);
  expect(folders).toEqual({
    folder,
    a: path.join(folder, 'A'),
    b: path.join(folder, 'B'),
    truth: path.join(folder, 'truth'),
    images: DEMO_SAMPLES.count,
    size: DEMO_SAMPLES.size,
    written: 3 * DEMO_SAMPLES.count,
    model: 'cyclegan',
    preset: 'demo',
  });
  for (const side of [folders.a, folders.b, folders.truth]) expect(pngs(side)).toHaveLength(DEMO_SAMPLES.count);
  // A's ground truth lies under A's file names (the engine pairs them by name).
  expect(pngs(folders.truth)).toEqual(pngs(folders.a));
  const first = await sharp(path.join(folders.a, pngs(folders.a)[0] ?? '')).metadata();
  expect([first.width, first.height]).toEqual([DEMO_SAMPLES.size, DEMO_SAMPLES.size]);

  const progress = events.filter((e): e is Extract<HostEvent, { type: 'samples' }> => e.type === 'samples');
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.at(-1)).toEqual({ type: 'samples', done: DEMO_SAMPLES.count, total: DEMO_SAMPLES.count });
});

test('a second call finds the files and leaves them; a stale file from an older generator is replaced', async () => {
  const { a } = await create();
  const name = pngs(a)[0] ?? '';
  const file = path.join(a, name);
  const before = fs.statSync(path.join(a, pngs(a)[1] ?? '')).mtimeMs;
  fs.writeFileSync(file, 'an older sample');

  const again = await create();
  expect(again.written).toBe(1);
  expect((await sharp(file).metadata()).width).toBe(DEMO_SAMPLES.size);
  expect(fs.statSync(path.join(a, pngs(a)[1] ?? '')).mtimeMs).toBe(before);
  expect((await create()).written).toBe(0);
});

test('two windows asking at once share one writing', async () => {
  fs.rmSync(path.join(home, 'samples'), { recursive: true });
  const [one, two] = await Promise.all([create(), create()]);
  // One writing: both see every file written by it (two would each find some of the other's).
  expect(one.written).toBe(3 * DEMO_SAMPLES.count);
  expect(two).toEqual(one);
});

test('a page may preview the sample folders, though the workspace is outside its roots, and nothing else there', async () => {
  const { a, b } = await create();
  for (const folder of [a, b]) {
    const preview = await host.dispatch('datasets:preview', { path: folder });
    expect(preview.ok, folder).toBe(true);
    if (preview.ok) expect(preview.value).toMatchObject({ folder, imageCount: DEMO_SAMPLES.count });
  }
  for (const folder of [home, host.workspace.runsDir, path.join(a, '..', '..', '..')]) {
    const refused = await host.dispatch('datasets:preview', { path: folder });
    expect(refused.ok, folder).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/outside the folders this host may use/);
  }
});
