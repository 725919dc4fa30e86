import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../src/main/datasets/scan.ts';

let root: string;
let folder: string;

function solid(width: number, height: number, channels: 3 | 4 = 3) {
  const background = channels === 4 ? { r: 200, g: 40, b: 40, alpha: 0.5 } : { r: 200, g: 40, b: 40 };
  return sharp({ create: { width, height, channels, background } });
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-scan-'));
  folder = path.join(root, 'domain');
  fs.mkdirSync(folder);
  const at = (name: string) => path.join(folder, name);
  await solid(32, 32).png().toFile(at('good.png'));
  fs.writeFileSync(at('corrupt.jpg'), randomBytes(2048));
  await solid(30, 30).toColourspace('b-w').png().toFile(at('gray.png'));
  await solid(28, 28).toColourspace('rgb16').png().toFile(at('deep.png'));
  await solid(26, 26).toColourspace('cmyk').jpeg().toFile(at('cmyk.jpg'));
  await solid(24, 24, 4).png().toFile(at('rgba.png'));
  // Stored 60 wide and 30 high, shown turned a quarter (EXIF orientation 6): 30 × 60.
  await solid(60, 30).jpeg().withMetadata({ orientation: 6 }).toFile(at('rotated.JPG'));
  fs.writeFileSync(at('notes.txt'), 'not an image');
  await solid(8, 8).png().toFile(at('.hidden.png'));

  // The fixture is what the test says it is.
  expect((await sharp(at('gray.png')).metadata()).channels).toBe(1);
  expect((await sharp(at('deep.png')).metadata()).depth).toBe('ushort');
  expect((await sharp(at('cmyk.jpg')).metadata()).space).toBe('cmyk');
  expect((await sharp(at('rgba.png')).metadata()).channels).toBe(4);
  expect((await sharp(at('rotated.JPG')).metadata()).orientation).toBe(6);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('scanDataset', () => {
  it('counts every readable image and names the unreadable one', async () => {
    const scan = await scanDataset(folder);
    expect(scan.folder).toBe(folder);
    expect(scan.images).toEqual(['cmyk.jpg', 'deep.png', 'good.png', 'gray.png', 'rgba.png', 'rotated.JPG']);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]?.file).toBe('corrupt.jpg');
    expect(scan.problems[0]?.problem).toMatch(/^unreadable: ./);
  });

  it('reports the size range with EXIF rotation applied', async () => {
    const scan = await scanDataset(folder);
    expect(scan.sizeRange).toEqual({ min: [24, 24], max: [30, 60] });
  });

  it('swaps width and height of a lone rotated image', async () => {
    const lone = path.join(root, 'lone');
    fs.mkdirSync(lone);
    fs.copyFileSync(path.join(folder, 'rotated.JPG'), path.join(lone, 'rotated.JPG'));
    expect((await scanDataset(lone)).sizeRange).toEqual({ min: [30, 60], max: [30, 60] });
  });

  it('has a stable fingerprint that changes when an image is added, but not for ignored files', async () => {
    const copy = path.join(root, 'copy');
    fs.cpSync(folder, copy, { recursive: true, preserveTimestamps: true });
    const first = await scanDataset(copy);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((await scanDataset(copy)).fingerprint).toBe(first.fingerprint);
    fs.writeFileSync(path.join(copy, 'more-notes.txt'), 'ignored');
    fs.writeFileSync(path.join(copy, '.another-hidden.png'), 'ignored');
    expect((await scanDataset(copy)).fingerprint).toBe(first.fingerprint);
    await solid(20, 20).png().toFile(path.join(copy, 'added.png'));
    const second = await scanDataset(copy);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.images).toContain('added.png');
  });

  it('changes the fingerprint when an image is replaced by another of a different size', async () => {
    const copy = path.join(root, 'replaced');
    fs.mkdirSync(copy);
    await solid(20, 20).png().toFile(path.join(copy, 'one.png'));
    const before = (await scanDataset(copy)).fingerprint;
    await solid(40, 40).png().toFile(path.join(copy, 'one.png'));
    expect((await scanDataset(copy)).fingerprint).not.toBe(before);
  });

  it('scans subfolders, naming files by their relative path', async () => {
    const nested = path.join(root, 'nested');
    fs.mkdirSync(path.join(nested, 'sub'), { recursive: true });
    await solid(10, 10)
      .png()
      .toFile(path.join(nested, 'sub', 'deep.png'));
    fs.writeFileSync(path.join(nested, 'sub', 'broken.png'), 'not a png');
    const scan = await scanDataset(nested);
    expect(scan.images).toEqual([path.join('sub', 'deep.png')]);
    expect(scan.problems.map((problem) => problem.file)).toEqual([path.join('sub', 'broken.png')]);
  });

  it('names cut-off images (an interrupted copy) as problems, though their headers read', async () => {
    const cut = path.join(root, 'cut');
    fs.mkdirSync(cut);
    const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256));
    const raw = { raw: { width: 64, height: 64, channels: 3 as const } };
    const jpeg = await sharp(noise, raw).jpeg().toBuffer();
    const png = await sharp(noise, raw).png().toBuffer();
    fs.writeFileSync(path.join(cut, 'half.jpg'), jpeg.subarray(0, jpeg.length / 2));
    fs.writeFileSync(path.join(cut, 'half.png'), png.subarray(0, png.length / 2));
    await sharp(noise, raw).png().toFile(path.join(cut, 'whole.png'));
    const scan = await scanDataset(cut);
    expect(scan.images).toEqual(['whole.png']);
    expect(scan.problems.map((problem) => problem.file)).toEqual(['half.jpg', 'half.png']);
  });

  it('reports an empty folder as having no size range', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    expect(await scanDataset(empty)).toMatchObject({ images: [], problems: [], sizeRange: null });
  });

  it('refuses a missing folder and a file with clear messages', async () => {
    const missing = path.join(root, 'no-such-folder');
    await expect(scanDataset(missing)).rejects.toThrow(`The folder ${missing} does not exist.`);
    const file = path.join(folder, 'good.png');
    await expect(scanDataset(file)).rejects.toThrow(`${file} is a file, not a folder of images.`);
  });
});

describe('links and unreadable subfolders', () => {
  it('counts links to images as images, walks a linked folder once, and ignores a dangling link', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-links-'));
    try {
      const real = path.join(base, 'real');
      const linked = path.join(base, 'linked');
      fs.mkdirSync(real);
      fs.mkdirSync(linked);
      await solid(16, 16).png().toFile(path.join(real, 'a.png'));
      await solid(16, 16).png().toFile(path.join(real, 'b.png'));
      fs.symlinkSync(path.join(real, 'a.png'), path.join(linked, 'one.png'));
      fs.symlinkSync(path.join(real, 'b.png'), path.join(linked, 'two.png'));
      fs.symlinkSync(path.join(base, 'nowhere.png'), path.join(linked, 'dangling.png'));
      fs.symlinkSync(real, path.join(linked, 'more'));
      fs.symlinkSync(linked, path.join(linked, 'loop'));
      const scan = await scanDataset(linked);
      expect(scan.images).toEqual(['more/a.png', 'more/b.png', 'one.png', 'two.png']);
      expect(scan.problems).toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('skips a subfolder it cannot read and says so, keeping the rest', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-locked-'));
    try {
      fs.mkdirSync(path.join(base, 'locked'));
      fs.mkdirSync(path.join(base, 'open'));
      await solid(16, 16)
        .png()
        .toFile(path.join(base, 'open', 'a.png'));
      // Root reads every folder whatever its mode, so the refusal is injected where readdir happens.
      const { listImageFiles } = await import('../../../src/main/datasets/scan.ts');
      const refusing = async (dir: string) => {
        if (dir.endsWith('locked')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return fs.promises.readdir(dir, { withFileTypes: true });
      };
      const listed = await listImageFiles(base, refusing);
      expect(listed.files).toEqual([path.join(base, 'open', 'a.png')]);
      expect(listed.skipped).toEqual([
        { file: `locked${path.sep}`, problem: 'this subfolder cannot be read (EACCES); its images were skipped' },
      ]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
