import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUnpairedStream, type UnpairedStream } from '../../../src/training/data/pairs.ts';
import { makePreprocess } from '../../../src/training/data/preprocess.ts';
import { gradient, makeTempDir, pixelAt, removeDir, solid } from './fixtures.ts';

let root: string;
let filesA: string[];
let filesB: string[];
const preprocess = makePreprocess(16, { loadSize: 20 });

/** Writes count small images whose pixels tell them apart: a gradient with a per-file strip along the top. */
async function writeDomain(folder: string, count: number, tint: number): Promise<string[]> {
  await fs.mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(folder, `${String(i).padStart(2, '0')}.png`);
    await gradient(24, 20)
      .composite([
        {
          input: { create: { width: 24, height: 4, channels: 3, background: { r: tint, g: i * 40, b: 0 } } },
          left: 0,
          top: 0,
        },
      ])
      .png()
      .toFile(file);
    files.push(file);
  }
  return files;
}

async function take(stream: UnpairedStream, n: number) {
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await stream.next());
  return samples;
}

const open = (options: Partial<Parameters<typeof openUnpairedStream>[0]> = {}) =>
  openUnpairedStream({ filesA, filesB, preprocess, seed: 7, startIndex: 0, ...options });

beforeAll(async () => {
  root = await makeTempDir();
  filesA = await writeDomain(path.join(root, 'A'), 6, 0);
  filesB = await writeDomain(path.join(root, 'B'), 4, 255);
});
afterAll(async () => {
  await removeDir(root);
});

describe('unpaired sampling', () => {
  it('takes A in order and B at random, epochs of max(|A|, |B|)', async () => {
    const stream = await open();
    expect(stream.epochLength).toBe(6);
    const samples = await take(stream, 60);
    stream.close();
    samples.forEach((sample, k) => {
      expect(sample.sampleIndex).toBe(k);
      expect(sample.epoch).toBe(Math.floor(k / 6));
      expect(sample.fileA).toBe(filesA[k % 6]);
      expect(sample.a.data.length).toBe(16 * 16 * 3);
      expect(sample.b.data.length).toBe(16 * 16 * 3);
    });
    const counts = new Map<string, number>();
    for (const sample of samples) counts.set(sample.fileB, (counts.get(sample.fileB) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(filesB);
    for (const count of counts.values()) expect(count).toBeGreaterThan(5); // 15 expected each
    // Not B in order: that would pair A[k] with B[k mod 4] every time.
    expect(samples.filter((s, k) => s.fileB === filesB[k % 4]).length).toBeLessThan(40);
  });

  it('with more B than A, the epoch follows B', async () => {
    const stream = await open({ filesA: filesB, filesB: filesA });
    expect(stream.epochLength).toBe(6);
    const samples = await take(stream, 8);
    stream.close();
    expect(samples.map((s) => s.fileA)).toEqual([0, 1, 2, 3, 0, 1, 2, 3].map((i) => filesB[i]));
    expect(samples.map((s) => s.epoch)).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('flips about half the samples and varies the crops', async () => {
    const stream = await open({ depth: 8 });
    const samples = await take(stream, 120);
    stream.close();
    // The gradient's red rises left to right: a flipped crop has it falling.
    const flipped = samples.filter((s) => pixelAt(s.a, 0, 14)[0] > pixelAt(s.a, 15, 14)[0]).length;
    expect(flipped).toBeGreaterThan(120 * 0.35);
    expect(flipped).toBeLessThan(120 * 0.65);
    const cropsOfFirst = new Set(samples.filter((s) => s.fileA === filesA[0]).map((s) => s.a.data.join()));
    expect(cropsOfFirst.size).toBeGreaterThan(10); // 20 samples of one file, nearly all different
  });

  it('never flips when flips are off', async () => {
    const stream = await open({ preprocess: { ...preprocess, flip: false } });
    const samples = await take(stream, 20);
    stream.close();
    expect(samples.every((s) => pixelAt(s.a, 0, 14)[0] < pixelAt(s.a, 15, 14)[0])).toBe(true);
  });
});

describe('exact resume', () => {
  it('a stream opened at 5 yields what the stream from 0 yielded at 5..9', async () => {
    const whole = await open();
    const first = await take(whole, 10);
    whole.close();
    const resumed = await open({ startIndex: 5, depth: 2 });
    const rest = await take(resumed, 5);
    resumed.close();
    expect(rest.map((s) => s.sampleIndex)).toEqual([5, 6, 7, 8, 9]);
    for (let i = 0; i < 5; i++) {
      const [original, again] = [first[i + 5], rest[i]];
      expect(again?.fileA).toBe(original?.fileA);
      expect(again?.fileB).toBe(original?.fileB);
      expect(again?.epoch).toBe(original?.epoch);
      expect(again?.a.data).toEqual(original?.a.data);
      expect(again?.b.data).toEqual(original?.b.data);
    }
  });

  it('depends on the seed and on nothing else (not the prefetch depth)', async () => {
    const shallow = await open({ depth: 1 });
    const deep = await open({ depth: 7 });
    const other = await open({ seed: 8 });
    const [a, b, c] = [await take(shallow, 12), await take(deep, 12), await take(other, 12)];
    for (const stream of [shallow, deep, other]) stream.close();
    expect(b.map((s) => s.fileB)).toEqual(a.map((s) => s.fileB));
    expect(b.map((s) => [...s.a.data.subarray(0, 48)])).toEqual(a.map((s) => [...s.a.data.subarray(0, 48)]));
    expect(c.map((s) => s.fileB)).not.toEqual(a.map((s) => s.fileB));
  });
});

describe('unreadable files', () => {
  it('skips a file that fails mid-training, reports it once, and replaces it deterministically', async () => {
    const folder = path.join(root, 'with-bad');
    const files = await writeDomain(folder, 6, 100);
    // Past the up-front check (which stops after three good decodes), so it is met while training.
    await fs.writeFile(files[4] as string, 'not a png');
    const reports: [string, string][] = [];
    const stream = await open({ filesA: files, onSkip: (file, reason) => reports.push([file, reason]) });
    expect(stream.skipped).toBe(0);
    const samples = await take(stream, 18); // three epochs meet the bad file three times
    stream.close();
    expect(samples.map((s) => s.fileA)).toEqual(
      [0, 1, 2, 3, 5, 5, 0, 1, 2, 3, 5, 5, 0, 1, 2, 3, 5, 5].map((i) => files[i]),
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.[0]).toBe(files[4]);
    expect(reports[0]?.[1]).toMatch(/unsupported image format/);
    expect(stream.skipped).toBe(1);

    // A resumed stream picks the same replacement, with the draws sample 4 would have had.
    const resumed = await open({ filesA: files, startIndex: 4 });
    const [again] = await take(resumed, 1);
    resumed.close();
    expect(again?.fileA).toBe(files[5]);
    expect(again?.a.data).toEqual(samples[4]?.a.data);
    expect(resumed.skipped).toBe(1);
  });

  it('rejects next() clearly when every file of a domain has become unreadable', async () => {
    const folder = path.join(root, 'vanishing');
    const files = await writeDomain(folder, 2, 50);
    const stream = await open({ filesB: files, depth: 1 });
    await waitFor(() => stream.ready === 1);
    for (const file of files) await fs.writeFile(file, 'gone bad');
    const samples = [await stream.next()];
    expect(samples[0]?.sampleIndex).toBe(0);
    // Sample 1 may still draw B's first file or its second; either way both now fail.
    await expect(stream.next()).rejects.toThrow(`None of the 2 images of domain B (${folder}) can be read`);
    stream.close();
  });
});

describe('up-front checks', () => {
  it('an empty folder is an error naming it', async () => {
    await expect(open({ filesA: [], folderA: '/photos/summer' })).rejects.toThrow(
      'There are no images in domain A (/photos/summer).',
    );
    await expect(open({ filesB: [] })).rejects.toThrow('There are no images in domain B.');
  });

  it('a folder where nothing decodes is an error naming it, each file reported', async () => {
    const folder = path.join(root, 'junk');
    await fs.mkdir(folder);
    const junk = [];
    for (const name of ['1.jpg', '2.png', '3.webp']) {
      await fs.writeFile(path.join(folder, name), `junk ${name}`);
      junk.push(path.join(folder, name));
    }
    const reports: string[] = [];
    await expect(open({ filesB: junk, onSkip: (file) => reports.push(file) })).rejects.toThrow(
      `No image in domain B (${folder}) can be read (all 3 failed); for example 1.jpg`,
    );
    expect(reports).toEqual(junk);
  });

  it('a few bad files among good ones are skipped, counted, and training goes on', async () => {
    const folder = path.join(root, 'mixed');
    const files = await writeDomain(folder, 4, 200);
    await fs.writeFile(files[0] as string, 'broken');
    await solid(8, 8, { r: 0, g: 0, b: 0 }).jpeg().toFile(path.join(folder, 'cut.jpg'));
    const cut = await fs.readFile(path.join(folder, 'cut.jpg'));
    await fs.writeFile(path.join(folder, 'cut.jpg'), cut.subarray(0, cut.length - 40));
    const reports: string[] = [];
    const stream = await open({ filesB: [...files, path.join(folder, 'cut.jpg')], onSkip: (f) => reports.push(f) });
    expect(reports).toEqual([files[0]]);
    const samples = await take(stream, 30);
    stream.close();
    expect(samples.some((s) => s.fileB === files[0])).toBe(false);
    expect(samples.some((s) => s.fileB.endsWith('cut.jpg'))).toBe(false);
    expect(stream.skipped).toBe(2);
    expect(reports).toEqual([files[0], path.join(folder, 'cut.jpg')]);
  });

  it('checks its arguments', async () => {
    await expect(open({ startIndex: -1 })).rejects.toThrow(/first sample index/);
    await expect(open({ seed: 0.5 })).rejects.toThrow(/seed/);
    await expect(open({ depth: 0 })).rejects.toThrow(/depth/);
    await expect(open({ preprocess: { ...preprocess, cropSize: 0 } })).rejects.toThrow(/crop size/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('prefetch', () => {
  it('decodes depth samples ahead while the consumer is busy, and no more', async () => {
    const stream = await open({ depth: 3 });
    await stream.next();
    await waitFor(() => stream.ready === 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.ready).toBe(3);
    // Those samples are already decoded: next() resolves before the event loop turns once.
    for (let i = 0; i < 3; i++) {
      const winner = await Promise.race([
        stream.next().then(() => 'sample'),
        new Promise((resolve) => setImmediate(() => resolve('waited'))),
      ]);
      expect(winner).toBe('sample');
    }
    stream.close();
    await expect(stream.next()).rejects.toThrow(/closed/);
  });
});
