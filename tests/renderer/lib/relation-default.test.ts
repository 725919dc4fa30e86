// New run's "Known relation" default: "Automatic (recognised: …)" only when folders A and B are
// the A and B of one sample set with a known relation; otherwise plain "Automatic".
import { describe, expect, it } from 'vitest';
import { recognisedRelation, relationDefault } from '../../../src/renderer/lib/relation-default.ts';
import { describeDefault, optionGroupsFor } from '../../../src/renderer/lib/training-options.ts';
import type { DatasetPreview } from '../../../src/shared/contract.ts';

const preview = (folder: string, sampleRelation: DatasetPreview['sampleRelation']): DatasetPreview => ({
  folder,
  imageCount: 2,
  sizeRange: null,
  problems: [],
  problemCount: 0,
  thumbnails: [],
  sampleRelation,
});

describe('the relation default', () => {
  it('recognises A and B of one sample set, nothing else', () => {
    expect(recognisedRelation(preview('/s/neg/A', 'negative'), preview('/s/neg/B', 'negative'))).toBe('negative');
    expect(recognisedRelation(preview('C:\\s\\pal\\A', 'palette'), preview('C:\\s\\pal\\B', 'palette'))).toBe(
      'palette',
    );
    expect(recognisedRelation(preview('/s/neg/B', 'negative'), preview('/s/neg/A', 'negative'))).toBeNull();
    expect(recognisedRelation(preview('/s/one/A', 'negative'), preview('/s/two/B', 'negative'))).toBeNull();
    expect(recognisedRelation(preview('/s/neg/A', 'negative'), preview('/s/pal/B', 'palette'))).toBeNull();
    expect(recognisedRelation(preview('/photos/A', null), preview('/photos/B', null))).toBeNull();
    expect(recognisedRelation(preview('/s/neg/A', 'negative'), null)).toBeNull();
  });

  it('is shown as Automatic, with what was recognised', () => {
    const field = optionGroupsFor('cogan')
      .flatMap((group) => group.fields)
      .find((f) => f.key === 'relation');
    if (!field) throw new Error('CoGAN has a relation option');
    expect(describeDefault(field, relationDefault(preview('/s/n/A', 'negative'), preview('/s/n/B', 'negative')))).toBe(
      'Automatic (recognised: negative)',
    );
    expect(describeDefault(field, relationDefault(preview('/p/A', null), preview('/p/B', null)))).toBe(
      'Automatic (sample folders are recognised)',
    );
    // A preset's own value still reads as before.
    expect(describeDefault(field, 'none')).toBe('None');
  });
});
