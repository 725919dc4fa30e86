// The sample domains are recognised (their relation is measured without being named); any other
// pair of folders, or a renamed file among them, has no known relation; a given relation wins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { relationFor, sampleRelationOf, sampleRelationOfFolder } from '../../../src/main/jobs/sample-relation.ts';
import { writeSamples } from '../../../src/main/samples.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-relation-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('negative and palette samples are recognised, stripes and other folders are not', async () => {
  for (const kind of ['negative', 'palette', 'stripes'] as const) {
    const s = await writeSamples({ out: path.join(root, kind), kind, count: 2, size: 8, seed: 1 });
    expect(await sampleRelationOf(s.a, s.b)).toBe(kind === 'stripes' ? 'none' : kind);
  }
  const negative = { a: path.join(root, 'negative', 'A'), b: path.join(root, 'negative', 'B') };
  // A and B swapped, or B from another pair: not the sample layout.
  expect(await sampleRelationOf(negative.b, negative.a)).toBe('none');
  expect(await sampleRelationOf(negative.a, path.join(root, 'palette', 'B'))).toBe('none');
  expect(await sampleRelationOf(path.join(root, 'missing', 'A'), path.join(root, 'missing', 'B'))).toBe('none');
  fs.copyFileSync(path.join(negative.a, 'negative-0000.png'), path.join(negative.a, 'holiday.png'));
  expect(await sampleRelationOf(negative.a, negative.b)).toBe('none');
  fs.rmSync(path.join(negative.a, 'holiday.png'));
  expect(await relationFor(negative.a, negative.b, undefined)).toBe('negative');
  expect(await relationFor(negative.a, negative.b, 'none')).toBe('none');
  expect(await relationFor(root, root, 'palette')).toBe('palette');
});

test('one folder of a sample set tells its relation (the New run form’s "Automatic"), others none', async () => {
  const s = await writeSamples({ out: path.join(root, 'single'), kind: 'palette', count: 2, size: 8, seed: 2 });
  expect(await sampleRelationOfFolder(s.a)).toBe('palette');
  expect(await sampleRelationOfFolder(s.b)).toBe('palette');
  expect(await sampleRelationOfFolder(path.join(root, 'single', 'truth'))).toBeNull();
  const stripes = await writeSamples({
    out: path.join(root, 'single-stripes'),
    kind: 'stripes',
    count: 2,
    size: 8,
    seed: 2,
  });
  expect(await sampleRelationOfFolder(stripes.a)).toBeNull();
  // Without the truth folder beside it, an A folder is just a folder.
  fs.rmSync(path.join(root, 'single', 'truth'), { recursive: true });
  expect(await sampleRelationOfFolder(s.a)).toBeNull();
});
