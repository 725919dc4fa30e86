import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paletteMap } from '../../resources/samples/kinds.ts';
import { type SampleOptions, writeSamples } from '../../src/main/samples.ts';

let out: string;
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-samples-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

const SIZE = 32;

async function pixels(file: string): Promise<Buffer> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([SIZE, SIZE, 3]);
  return data;
}

function names(folder: string): string[] {
  return fs.readdirSync(folder).sort();
}

function options(overrides: Partial<SampleOptions>): SampleOptions {
  return { out, kind: 'stripes', count: 4, size: SIZE, seed: 1, ...overrides };
}

/** Bytes of every file under root, keyed by its relative path. */
function snapshot(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const folder of ['A', 'B', 'truth'])
    for (const name of names(path.join(root, folder)))
      files.set(`${folder}/${name}`, fs.readFileSync(path.join(root, folder, name)));
  return files;
}

describe('writeSamples', () => {
  it('writes count PNGs into A, B and truth, A and truth under the same names', async () => {
    const result = await writeSamples(options({ count: 5 }));
    expect(result).toEqual({
      a: path.join(out, 'A'),
      b: path.join(out, 'B'),
      truth: path.join(out, 'truth'),
      written: 15,
      unchanged: 0,
    });
    const a = names(result.a);
    expect(a).toEqual([
      'stripes-0000.png',
      'stripes-0001.png',
      'stripes-0002.png',
      'stripes-0003.png',
      'stripes-0004.png',
    ]);
    expect(names(result.truth)).toEqual(a);
    expect(names(result.b)).toHaveLength(5);
    const meta = await sharp(path.join(result.a, a[0] as string)).metadata();
    expect(meta).toMatchObject({ format: 'png', width: SIZE, height: SIZE, channels: 3 });
  });

  it('is deterministic for a seed and different for another seed', async () => {
    await writeSamples(options({ seed: 7 }));
    const first = snapshot(out);
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-samples-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-samples-'));
    try {
      await writeSamples(options({ out: again, seed: 7 }));
      await writeSamples(options({ out: other, seed: 8 }));
      expect(snapshot(again)).toEqual(first);
      const different = snapshot(other);
      expect([...different.keys()]).toEqual([...first.keys()]);
      for (const [name, bytes] of different) expect(bytes.equals(first.get(name) as Buffer), name).toBe(false);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('negative: every truth pixel is 255 minus the A pixel', async () => {
    const result = await writeSamples(options({ kind: 'negative', count: 3 }));
    for (const name of names(result.a)) {
      const a = await pixels(path.join(result.a, name));
      const truth = await pixels(path.join(result.truth, name));
      for (let i = 0; i < a.length; i++)
        if (truth[i] !== 255 - (a[i] as number)) throw new Error(`${name}: byte ${i} is ${truth[i]}, A is ${a[i]}`);
    }
  });

  it('palette: every truth pixel is paletteMap of the A pixel', async () => {
    const result = await writeSamples(options({ kind: 'palette', count: 3 }));
    for (const name of names(result.a)) {
      const a = await pixels(path.join(result.a, name));
      const truth = await pixels(path.join(result.truth, name));
      for (let i = 0; i < a.length; i += 3) {
        const expected = paletteMap(a[i] as number, a[i + 1] as number, a[i + 2] as number);
        expect([truth[i], truth[i + 1], truth[i + 2]]).toEqual(expected);
      }
    }
  });

  it('stripes: truth differs from A only inside the shapes', async () => {
    const result = await writeSamples(options({ kind: 'stripes', count: 4 }));
    for (const name of names(result.a)) {
      const a = await pixels(path.join(result.a, name));
      const truth = await pixels(path.join(result.truth, name));
      // The background is the most common colour of A; shapes never take exactly that colour.
      const counts = new Map<string, number>();
      for (let i = 0; i < a.length; i += 3) {
        const key = `${a[i]},${a[i + 1]},${a[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const [background] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0] as [string, number];
      let backgroundPixels = 0;
      let changedInside = 0;
      for (let i = 0; i < a.length; i += 3) {
        const isBackground = `${a[i]},${a[i + 1]},${a[i + 2]}` === background;
        const same = a[i] === truth[i] && a[i + 1] === truth[i + 1] && a[i + 2] === truth[i + 2];
        if (isBackground) {
          backgroundPixels++;
          expect(same, `${name} background pixel ${i / 3}`).toBe(true);
        } else if (!same) changedInside++;
      }
      expect(backgroundPixels).toBeGreaterThan(a.length / 3 / 4);
      expect(changedInside, `${name} has stripes`).toBeGreaterThan(10);
    }
  });

  it.each(['palette', 'stripes', 'negative'] as const)('%s: B holds other scenes than A (unpaired)', async (kind) => {
    const result = await writeSamples(options({ kind, count: 4 }));
    for (const name of names(result.a)) {
      const b = await pixels(path.join(result.b, name));
      const truth = await pixels(path.join(result.truth, name));
      // truth is A's scene in B's look; B's image of the same index must be a different scene.
      let differing = 0;
      for (let i = 0; i < b.length; i++) if (b[i] !== truth[i]) differing++;
      expect(differing / b.length, name).toBeGreaterThan(0.05);
    }
  });

  it('leaves identical files alone when run again', async () => {
    await writeSamples(options({}));
    const before = snapshot(out);
    const mtimes = [...before.keys()].map((name) => fs.statSync(path.join(out, name)).mtimeMs);
    const result = await writeSamples(options({}));
    expect(result).toMatchObject({ written: 0, unchanged: 12 });
    expect(snapshot(out)).toEqual(before);
    expect([...before.keys()].map((name) => fs.statSync(path.join(out, name)).mtimeMs)).toEqual(mtimes);
  });

  it('refuses to overwrite a differing file unless forced', async () => {
    await writeSamples(options({}));
    const victim = path.join(out, 'B', 'stripes-0002.png');
    fs.writeFileSync(victim, "somebody else's data");
    await expect(writeSamples(options({}))).rejects.toThrow(
      `${victim} exists and differs from the sample that would be written; choose another --out or pass --force to replace it.`,
    );
    expect(fs.readFileSync(victim, 'utf8')).toBe("somebody else's data");
    const forced = await writeSamples(options({ force: true }));
    expect(forced).toMatchObject({ written: 1, unchanged: 11 });
    expect((await sharp(victim).metadata()).format).toBe('png');
  });

  it('refuses to write another seed over existing samples', async () => {
    await writeSamples(options({ seed: 1 }));
    await expect(writeSamples(options({ seed: 2 }))).rejects.toThrow(/exists and differs/);
  });

  it('reports progress once per image', async () => {
    const seen: [number, number][] = [];
    await writeSamples(options({ count: 3, onProgress: (done, total) => seen.push([done, total]) }));
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN, 100_001])('refuses count %s with a message naming --count', async (count) => {
    await expect(writeSamples(options({ count }))).rejects.toThrow(
      `--count must be a whole number from 1 to 100000 (got ${count}).`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it.each([7, 0, 4097, 16.5])('refuses size %s with a message naming --size', async (size) => {
    await expect(writeSamples(options({ size }))).rejects.toThrow(
      `--size must be a whole number of pixels from 8 to 4096 (got ${size}).`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
