import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedRoots, listFolder } from '../../../src/main/datasets/folders.ts';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-folders-')));
const rootA = path.join(base, 'photos');
const rootB = path.join(base, 'scans');
fs.mkdirSync(path.join(rootA, 'summer'), { recursive: true });
fs.mkdirSync(path.join(rootA, '.cache'));
fs.mkdirSync(rootB);
fs.writeFileSync(path.join(rootA, 'summer', 'a.jpg'), '');
fs.writeFileSync(path.join(rootA, 'summer', 'notes.txt'), '');
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('folder browser', () => {
  it('lists the roots as starting points with every listing, and opens the first by default', async () => {
    const listing = await listFolder(undefined, [rootA, rootB]);
    expect(listing).toEqual({
      path: rootA,
      parent: null,
      folders: [{ name: 'summer', path: path.join(rootA, 'summer') }],
      imageCount: 0,
      images: [],
      roots: [rootA, rootB],
    });
    const inner = await listFolder(path.join(rootA, 'summer'), [rootA, rootB]);
    expect(inner).toMatchObject({ parent: rootA, imageCount: 1, roots: [rootA, rootB] });
    // Its images are named, for picking loose files (the convert screen).
    expect(inner.images?.map((image) => path.relative(rootA, image.path))).toEqual(
      fs
        .readdirSync(path.join(rootA, 'summer'))
        .filter((name) => /\.(png|jpe?g)$/i.test(name))
        .map((name) => path.join('summer', name)),
    );
    expect(inner.images).toHaveLength(1);
    expect((await listFolder(rootB, [rootA, rootB])).parent).toBeNull();
  });

  it('refuses folders outside the roots, also through ../', async () => {
    await expect(listFolder(path.join(rootA, '..'), [rootA, rootB])).rejects.toThrow(/outside the folders/);
    await expect(listFolder(path.join(rootA, 'summer', '..', '..'), [rootA])).rejects.toThrow(/outside/);
  });

  it('takes DIPTYCH_ROOTS, separated like PATH, or else home and the temporary folder', () => {
    const saved = process.env.DIPTYCH_ROOTS;
    try {
      process.env.DIPTYCH_ROOTS = [rootA, rootB].join(path.delimiter);
      expect(allowedRoots()).toEqual([rootA, rootB]);
      delete process.env.DIPTYCH_ROOTS;
      expect(allowedRoots()).toEqual([path.resolve(os.homedir()), path.resolve(os.tmpdir())]);
    } finally {
      if (saved === undefined) delete process.env.DIPTYCH_ROOTS;
      else process.env.DIPTYCH_ROOTS = saved;
    }
  });
});
