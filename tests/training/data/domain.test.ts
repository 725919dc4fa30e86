import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonFolder, ImageDomain, type ImageLoader } from '../../../src/training/data/domain.ts';
import type { ImageData32 } from '../../../src/training/data/load-image.ts';

/** A loader that fails for the named files and records every attempt with its first draw. */
function fakeLoader(bad: Set<string>) {
  const attempts: { file: string; draw: number }[] = [];
  const loader: ImageLoader = async (file, random) => {
    attempts.push({ file, draw: random() });
    if (bad.has(file)) throw new Error(`cannot read ${file}`);
    return { width: 1, height: 1, data: new Float32Array(3) } satisfies ImageData32;
  };
  return { loader, attempts };
}

const files = ['/d/a.png', '/d/b.png', '/d/c.png', '/d/e.png'];

describe('ImageDomain', () => {
  it('replaces an unreadable file with the next one, reports it once, and never decodes it again', async () => {
    const { loader, attempts } = fakeLoader(new Set(['/d/b.png', '/d/c.png']));
    const reports: string[] = [];
    const domain = new ImageDomain('A', files, loader, (file, reason) => reports.push(`${file}: ${reason}`));
    let draws = 0;
    const makeRandom = () => () => ++draws && 0.25;
    expect((await domain.load(1, makeRandom)).file).toBe('/d/e.png');
    expect((await domain.load(2, makeRandom)).file).toBe('/d/e.png');
    expect((await domain.load(3, makeRandom)).file).toBe('/d/e.png');
    expect(reports).toEqual(['/d/b.png: cannot read /d/b.png', '/d/c.png: cannot read /d/c.png']);
    expect(attempts.map((a) => a.file)).toEqual(['/d/b.png', '/d/c.png', '/d/e.png', '/d/e.png', '/d/e.png']);
    // Each attempt gets a fresh generator, so the replacement sees the draws the original would have.
    expect(attempts.every((a) => a.draw === 0.25)).toBe(true);
  });

  it('wraps around the end of the list', async () => {
    const { loader } = fakeLoader(new Set(['/d/e.png']));
    const domain = new ImageDomain('B', files, loader, () => {});
    expect((await domain.load(3, () => () => 0)).file).toBe('/d/a.png');
  });

  it('fails clearly, naming the folder, when every file is unreadable', async () => {
    const { loader } = fakeLoader(new Set(files));
    const domain = new ImageDomain('A', files, loader, () => {});
    await expect(domain.load(0, () => () => 0)).rejects.toThrow(
      /None of the 4 images of domain A \(\/d\) can be read; for example a\.png: cannot read \/d\/a\.png/,
    );
  });

  it('validates: an empty list, an unreadable start, and a readable one', async () => {
    const ok = fakeLoader(new Set());
    await expect(new ImageDomain('A', [], ok.loader, () => {}, '/photos/empty').validate()).rejects.toThrow(
      'There are no images in domain A (/photos/empty).',
    );
    await new ImageDomain('A', files, ok.loader, () => {}).validate();
    expect(ok.attempts).toHaveLength(3); // the first three decode: enough

    const many = Array.from({ length: 40 }, (_, i) => `/x/${i}.jpg`);
    const allBad = fakeLoader(new Set(many));
    const reports: string[] = [];
    await expect(new ImageDomain('B', many, allBad.loader, (f) => reports.push(f)).validate()).rejects.toThrow(
      /No image in domain B \(\/x\) can be read \(the first 16 failed\); for example 0\.jpg/,
    );
    expect(reports).toHaveLength(16);
  });

  it('names the deepest folder the files share', () => {
    expect(commonFolder(['/a/b/c/1.png', '/a/b/2.png', '/a/b/c/d/3.png'])).toBe(path.normalize('/a/b'));
    expect(commonFolder(['/a/1.png'])).toBe(path.normalize('/a'));
    expect(commonFolder(['/a/1.png', '/z/2.png'])).toBe(path.sep);
    expect(commonFolder([])).toBeUndefined();
  });
});
