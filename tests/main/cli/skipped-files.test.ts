// `diptych train` says which files the scan left out of each domain, so nobody wonders where they went.
import { expect, test } from 'vitest';
import { loadSizeFor, skippedFilesLines } from '../../../src/main/cli/commands/train.ts';
import type { DatasetRecord } from '../../../src/shared/contract.ts';
import { buildRunConfig } from '../../../src/shared/run-config.ts';

const dataset = (role: 'A' | 'B', problems: string[]): DatasetRecord => ({
  id: 1,
  path: `/data/${role}`,
  role,
  fileCount: 10,
  fingerprint: 'f',
  problems,
  scannedAt: 't',
  exists: true,
});

test('names the skipped files of each domain, a few at most, and nothing when none were', () => {
  expect(skippedFilesLines({ A: dataset('A', []), B: null })).toEqual([]);
  const many = Array.from({ length: 7 }, (_, i) => `bad${i}.png: unreadable: corrupt`);
  expect(skippedFilesLines({ A: dataset('A', ['x.jpg: unreadable: truncated']), B: dataset('B', many) })).toEqual([
    'Skipped 1 file of A:',
    '  x.jpg: unreadable: truncated',
    'Skipped 7 files of B:',
    ...many.slice(0, 5).map((p) => `  ${p}`),
    '  … and 2 more (all of them: diptych runs show RUN --json)',
  ]);
});

test('a --crop-size given alone gets a load size the config accepts, even at the largest crop', () => {
  expect(loadSizeFor(256)).toBe(287);
  expect(loadSizeFor(4096)).toBe(4096);
  expect(() =>
    buildRunConfig('cyclegan', 'tiny', { dataA: '/a', dataB: '/b', cropSize: 4096, loadSize: loadSizeFor(4096) }),
  ).not.toThrow();
});
