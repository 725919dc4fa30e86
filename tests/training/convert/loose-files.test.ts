// A batch over loose files instead of a folder: outputs flat in the output folder with names that
// never collide, the inputs untouched, and the safety rules: a missing file, a file that is not
// an image, an output folder that is a file's own folder, and a folder and files together are
// refused before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { looseOutputNames } from '../../../src/node/convert/names.ts';
import { ConvertOptions } from '../../../src/shared/convert.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { convertBatch } from '../../../src/training/convert/batch.ts';
import { offsetTranslator } from '../inference/toy-translators.ts';
import { centrePixel, listTree, planned, tempDir, writeFlat } from './fixtures.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

async function run(files: string[] | undefined, outDir: string, extra: Partial<ConvertOptions> = {}) {
  const events: { type: string; [key: string]: unknown }[] = [];
  const options = await planned({
    ...ConvertOptions.parse({ direction: 'AtoB', files, outDir, ...extra }),
    jobId: 'loose',
  });
  return convertBatch(options, { translator: offsetTranslator(0), emit: (e) => events.push({ ...e }) }).then(
    (result) => ({
      result,
      events,
    }),
  );
}

describe('loose files', () => {
  it('names outputs flat and distinct, in the order given', () => {
    expect(looseOutputNames(['/x/IMG_1.jpg', '/y/IMG_1.jpg', '/y/IMG_1.png', '/z/other.webp'], 'png')).toEqual([
      'IMG_1.jpg.png',
      'IMG_1.jpg-2.png',
      'IMG_1.png.png',
      'other.png',
    ]);
  });

  it('converts files from several folders into one flat output folder, inputs untouched', async () => {
    const root = tempDir();
    const first = path.join(root, 'one', 'photo.png');
    const second = path.join(root, 'two', 'deep', 'photo.png');
    const third = path.join(root, 'two', 'b.jpg');
    await writeFlat(first, [200, 10, 10]);
    await writeFlat(second, [10, 10, 200]);
    await writeFlat(third, [10, 200, 10]);
    const before = fs.readFileSync(first);
    const outDir = path.join(root, 'out');
    // The same file twice is converted once.
    const { result, events } = await run([first, second, third, first], outDir);
    expect(result).toMatchObject({ status: 'completed', converted: 3, failed: 0 });
    expect(listTree(outDir)).toEqual(['b.png', 'photo.png-2.png', 'photo.png.png']);
    expect(await centrePixel(path.join(outDir, 'photo.png.png'))).toEqual([200, 10, 10]);
    expect(await centrePixel(path.join(outDir, 'photo.png-2.png'))).toEqual([10, 10, 200]);
    const files = events.filter((e) => e.type === 'convert-file');
    expect(files.map((e) => [e.input, e.output])).toEqual([
      [fs.realpathSync(first), 'photo.png.png'],
      [fs.realpathSync(second), 'photo.png-2.png'],
      [fs.realpathSync(third), 'b.png'],
    ]);
    expect(fs.readFileSync(first).equals(before)).toBe(true);
    // An output folder inside a file's folder is fine for loose files (they are named one by one).
    const inside = path.join(root, 'one', 'converted');
    expect((await run([first], inside)).result.converted).toBe(1);
    expect(listTree(inside)).toEqual(['photo.png']);
  });

  it('refuses bad inputs and an output folder that is a file’s own folder, writing nothing', async () => {
    const root = tempDir();
    const photo = path.join(root, 'in', 'photo.png');
    await writeFlat(photo, [1, 2, 3]);
    const text = path.join(root, 'in', 'notes.txt');
    fs.writeFileSync(text, 'not an image');
    const outDir = path.join(root, 'out');
    await expect(run([photo], path.dirname(photo))).rejects.toThrow(/is the folder of the input/);
    await expect(run([photo, path.join(root, 'missing.png')], outDir)).rejects.toThrow(/does not exist/);
    await expect(run([text], outDir)).rejects.toThrow(/is not an image/);
    await expect(run([path.join(root, 'in')], outDir)).rejects.toThrow(/is not a file/);
    await expect(run([photo], outDir, { inDir: path.join(root, 'in') })).rejects.toThrow(/not both/);
    await expect(run(undefined, outDir)).rejects.toThrow(/input folder or some input files/);
    expect(fs.existsSync(outDir)).toBe(false);
    expect(listTree(path.join(root, 'in'))).toEqual(['notes.txt', 'photo.png']);
  });
});
