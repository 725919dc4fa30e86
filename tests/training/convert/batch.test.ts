// A batch over a folder tree: structure kept, names never collide, inputs never touched, a bad
// file reported while the rest convert, a cancel leaves only complete outputs and no temporary
// file, and --skip-existing picks up where a cancelled batch stopped.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConvertEngineEvent } from '../../../src/shared/convert.ts';
import { ConvertOptions } from '../../../src/shared/convert.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { convertBatch } from '../../../src/training/convert/batch.ts';
import { offsetTranslator } from '../inference/toy-translators.ts';
import { centrePixel, listTree, planned, tempDir, writeFlat } from './fixtures.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

const identity = offsetTranslator(0);

function options(inDir: string, outDir: string, extra: Partial<ConvertOptions> = {}) {
  return { ...ConvertOptions.parse({ direction: 'AtoB', inDir, outDir, ...extra }), jobId: 'test' };
}

async function run(inDir: string, outDir: string, extra: Partial<ConvertOptions> = {}, translator = identity) {
  const events: ConvertEngineEvent[] = [];
  const result = await convertBatch(await planned(options(inDir, outDir, extra)), {
    translator,
    emit: (e) => events.push(e),
  });
  return { result, events };
}

describe('convertBatch', () => {
  it('keeps the folder structure, gives colliding names their own, and maps each input to its output', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, 'a.png'), [200, 10, 10]);
    await writeFlat(path.join(inDir, 'A.jpg'), [10, 200, 10]);
    await writeFlat(path.join(inDir, 'sub/deeper/b.png'), [10, 10, 200]);
    await writeFlat(path.join(inDir, '.hidden.png'), [0, 0, 0]);
    fs.writeFileSync(path.join(inDir, 'notes.txt'), 'not an image');
    const before = listTree(inDir).map((f) => [f, fs.readFileSync(path.join(inDir, f)).toString('base64')]);
    const outDir = path.join(tempDir(), 'out');
    const { result } = await run(inDir, outDir);
    expect(result).toMatchObject({ status: 'completed', converted: 3, skipped: 0, failed: 0 });
    expect(listTree(outDir)).toEqual(['A.jpg.png', 'a.png.png', 'sub/deeper/b.png']);
    expect(await centrePixel(path.join(outDir, 'a.png.png'))).toEqual([200, 10, 10]);
    expect(await centrePixel(path.join(outDir, 'sub/deeper/b.png'))).toEqual([10, 10, 200]);
    const jpeg = await centrePixel(path.join(outDir, 'A.jpg.png'));
    expect(jpeg[1]).toBeGreaterThan(180);
    // The inputs are exactly as they were.
    expect(listTree(inDir).map((f) => [f, fs.readFileSync(path.join(inDir, f)).toString('base64')])).toEqual(before);
  });

  it('converts exactly the work list the host resolved and counted, not what the folder holds later', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, 'a.png'), [200, 10, 10]);
    await writeFlat(path.join(inDir, 'b.png'), [10, 200, 10]);
    const outDir = path.join(tempDir(), 'out');
    const job = await planned(options(inDir, outDir));
    // Changed after the host counted the batch (and recorded its total): the engine does not walk again.
    await writeFlat(path.join(inDir, 'late.png'), [10, 10, 200]);
    const events: ConvertEngineEvent[] = [];
    const result = await convertBatch(job, { translator: identity, emit: (e) => events.push(e) });
    expect(result).toMatchObject({ status: 'completed', converted: 2 });
    expect(events.find((e) => e.type === 'convert-started')).toMatchObject({ total: 2 });
    expect(listTree(outDir)).toEqual(['a.png', 'b.png']);
  });

  it('refuses an output folder that is, or is inside, or contains the input folder, before writing anything', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, 'a.png'), [1, 2, 3]);
    await expect(run(inDir, inDir)).rejects.toThrow(/is the input folder/);
    await expect(run(inDir, path.join(inDir, 'converted'))).rejects.toThrow(/inside the input folder/);
    await expect(run(inDir, path.dirname(inDir))).rejects.toThrow(/does not contain the inputs/);
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(inDir, link);
    await expect(run(inDir, link)).rejects.toThrow(/is the input folder/);
    await expect(run(path.join(inDir, 'missing'), tempDir())).rejects.toThrow(/does not exist/);
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, '');
    await expect(run(inDir, path.join(blocker, 'out'))).rejects.toThrow(/cannot be created/);
    expect(listTree(inDir)).toEqual(['a.png']);
  });

  it('reports a corrupt file and converts the others', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, '1.png'), [50, 60, 70]);
    fs.writeFileSync(path.join(inDir, '2.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await writeFlat(path.join(inDir, '3.png'), [70, 60, 50]);
    const outDir = tempDir();
    const { result, events } = await run(inDir, outDir);
    expect(result).toMatchObject({ converted: 2, failed: 1, status: 'completed' });
    const failed = events.find((e) => e.type === 'convert-file' && e.status === 'failed');
    expect(failed).toMatchObject({ input: '2.jpg', reason: expect.stringMatching(/cannot be read/) });
    expect(listTree(outDir)).toEqual(['1.png', '3.png']);
  });

  it('writes each output while the next image is being translated', async () => {
    const inDir = tempDir();
    for (let i = 0; i < 3; i++) await writeFlat(path.join(inDir, `${i}.png`), [i * 50, 0, 0], 40, 40);
    const log: string[] = [];
    let count = 0;
    // A translator that takes 300 ms without holding the thread, as a tiled translation does.
    const slow = {
      ...identity,
      async translate(image: Parameters<typeof identity.translate>[0], direction: 'AtoB' | 'BtoA') {
        const n = count++;
        log.push(`translate ${n}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        log.push(`translated ${n}`);
        return identity.translate(image, direction);
      },
    };
    const events: ConvertEngineEvent[] = [];
    await convertBatch(await planned(options(inDir, tempDir())), {
      translator: slow,
      emit: (event) => {
        events.push(event);
        if (event.type === 'convert-file') log.push(`written ${event.input}`);
      },
    });
    expect(log.indexOf('written 0.png')).toBeGreaterThan(log.indexOf('translate 1'));
    expect(log.indexOf('written 0.png')).toBeLessThan(log.indexOf('translated 1'));
    expect(log.indexOf('written 1.png')).toBeLessThan(log.indexOf('translated 2'));
  });

  it('reports a file that cannot be written, leaves no temporary file, and goes on', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, 'blocked/a.png'), [9, 9, 9]);
    await writeFlat(path.join(inDir, 'b.png'), [90, 90, 90]);
    const outDir = tempDir();
    fs.writeFileSync(path.join(outDir, 'blocked'), 'a file where the output folder should go');
    const { result, events } = await run(inDir, outDir);
    expect(result).toMatchObject({ converted: 1, failed: 1 });
    expect(events.find((e) => e.type === 'convert-file' && e.status === 'failed')).toMatchObject({
      input: 'blocked/a.png',
      reason: expect.stringMatching(/could not be written/),
    });
    expect(listTree(outDir)).toEqual(['b.png', 'blocked']);
  });

  it('stops promptly on cancel with only complete outputs and no temporary file, and resumes with skipExisting', async () => {
    const inDir = tempDir();
    for (let i = 0; i < 6; i++) await writeFlat(path.join(inDir, `${i}.png`), [i * 40, 100, 100], 64, 48);
    const outDir = tempDir();
    const controller = new AbortController();
    const events: ConvertEngineEvent[] = [];
    const first = await convertBatch(await planned(options(inDir, outDir, { size: 'tiled' })), {
      translator: identity,
      memoryBudgetBytes: 16 * 16 * 100,
      signal: controller.signal,
      emit: (event) => {
        events.push(event);
        // Cancel in the middle of the third image's tiles.
        if (event.type === 'convert-tile' && event.input === '2.png' && event.done === 2) controller.abort();
      },
    });
    expect(first.status).toBe('stopped');
    expect(first.converted).toBe(2);
    expect(listTree(outDir)).toEqual(['0.png', '1.png']);
    for (const file of listTree(outDir)) expect((await sharp(path.join(outDir, file)).metadata()).width).toBe(64);
    expect(events.at(-1)).toMatchObject({ type: 'convert-finished', status: 'stopped', converted: 2 });

    fs.writeFileSync(path.join(outDir, '.5.png.0123456789ab.tmp'), 'left by a killed batch');
    const { result, events: resumed } = await run(inDir, outDir, { skipExisting: true });
    expect(result).toMatchObject({ status: 'completed', converted: 4, skipped: 2, failed: 0 });
    expect(resumed[0]).toMatchObject({ type: 'convert-started', total: 6, existing: 2 });
    expect(listTree(outDir)).toEqual(['0.png', '1.png', '2.png', '3.png', '4.png', '5.png']);
  });

  it('keeps the EXIF orientation, and converts grey, alpha and 16-bit inputs to RGB', async () => {
    const inDir = tempDir();
    const halves = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) halves[(y * 40 + x) * 3] = 255;
    await sharp(halves, { raw: { width: 40, height: 20, channels: 3 } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toFile(path.join(inDir, 'rotated.jpg'));
    await sharp(Buffer.alloc(8 * 6, 90), { raw: { width: 8, height: 6, channels: 1 } })
      .png()
      .toFile(path.join(inDir, 'grey.png'));
    await sharp(Buffer.alloc(8 * 6 * 4, 255), { raw: { width: 8, height: 6, channels: 4 } })
      .png()
      .toFile(path.join(inDir, 'alpha.png'));
    await sharp(new Uint16Array(8 * 6 * 3).fill(40000), { raw: { width: 8, height: 6, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(path.join(inDir, 'deep.png'));
    const outDir = tempDir();
    const { result } = await run(inDir, outDir, { format: 'webp', quality: 100 });
    expect(result).toMatchObject({ converted: 4, failed: 0 });
    const rotated = await sharp(path.join(outDir, 'rotated.webp')).raw().toBuffer({ resolveWithObject: true });
    expect([rotated.info.width, rotated.info.height, rotated.info.channels]).toEqual([20, 40, 3]);
    // Red was the left half; rotated 90° clockwise it is the top half.
    expect(rotated.data[(2 * 20 + 10) * 3]).toBeGreaterThan(200);
    expect(rotated.data[(37 * 20 + 10) * 3]).toBeLessThan(50);
    for (const name of ['grey', 'alpha', 'deep']) {
      const meta = await sharp(path.join(outDir, `${name}.webp`)).metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([8, 6, 3]);
    }
    expect((await centrePixel(path.join(outDir, 'deep.webp')))[0]).toBeCloseTo(155, -1);
  });

  it('fits the long side when given a size, and writes jpg', async () => {
    const inDir = tempDir();
    await writeFlat(path.join(inDir, 'wide.png'), [30, 90, 150], 300, 100);
    const outDir = tempDir();
    await run(inDir, outDir, { size: 64, format: 'jpg', quality: 80 });
    const meta = await sharp(path.join(outDir, 'wide.jpg')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 21]);
  });
});
