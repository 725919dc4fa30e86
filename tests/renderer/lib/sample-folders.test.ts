import { expect, it } from 'vitest';
import { offerSamples, samplesProgressText, takeOfferedSamples } from '../../../src/renderer/lib/sample-folders.ts';
import type { SampleFolders } from '../../../src/shared/contract.ts';

const folders: SampleFolders = {
  folder: '/w/samples/stripes',
  a: '/w/samples/stripes/A',
  b: '/w/samples/stripes/B',
  truth: '/w/samples/stripes/truth',
  images: 64,
  size: 32,
  written: 0,
  model: 'cyclegan',
  preset: 'demo',
};

it('hands the sample folders to New run once: a later visit starts empty', () => {
  expect(takeOfferedSamples()).toBeNull();
  offerSamples(folders);
  expect(takeOfferedSamples()).toEqual(folders);
  expect(takeOfferedSamples()).toBeNull();
});

it('says the writing progress while it lasts', () => {
  expect(samplesProgressText(null)).toBe('Preparing the sample folders…');
  expect(samplesProgressText({ done: 12, total: 64 })).toBe('Writing sample pictures… 12 of 64');
  expect(samplesProgressText({ done: 64, total: 64 })).toBe('Preparing the sample folders…');
});
