// The compare schemas validate cached files (src/main/compare/cache.ts): an entry written before
// one-way models existed still parses to the very same JSON, and a one-way (CUT) entry parses with
// no B → A and no round trip, but only for a model the schema knows.
import { describe, expect, it } from 'vitest';
import { CheckpointScores } from '../../src/shared/compare.ts';

const image = { l1: 0.0312, psnr: 27.41, ssim: 0.912 };

/** A CycleGAN entry as earlier versions wrote scores.json. */
const twoWay = {
  model: 'cyclegan',
  step: 400,
  size: 16,
  AtoB: {
    direction: 'AtoB',
    cycle: image,
    identityL1: 0.021,
    truth: null,
    perImage: [{ cycle: image, truth: null }],
    identityPerImage: [0.021],
    translated: ['/c/A/0-translated.png'],
    reconstructed: ['/c/A/0-reconstructed.png'],
  },
  BtoA: {
    direction: 'BtoA',
    cycle: image,
    identityL1: null,
    truth: image,
    perImage: [{ cycle: image, truth: image }],
    identityPerImage: [],
    translated: ['/c/B/0-translated.png'],
    reconstructed: ['/c/B/0-reconstructed.png'],
  },
  agreement: null,
  seconds: 1.5,
};

describe('CheckpointScores', () => {
  it('reads an entry of a two-way model back to the same JSON', () => {
    const parsed = CheckpointScores.parse(JSON.parse(JSON.stringify(twoWay)));
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(twoWay));
  });

  it('takes a one-way entry: no B → A, no cycle, no reconstruction', () => {
    const oneWay = {
      ...twoWay,
      model: 'cut',
      AtoB: { ...twoWay.AtoB, cycle: null, perImage: [{ cycle: null, truth: image }], reconstructed: [] },
      BtoA: null,
    };
    expect(CheckpointScores.parse(oneWay)).toEqual(oneWay);
    expect(CheckpointScores.safeParse({ ...oneWay, model: 'pix2pix' }).success).toBe(false);
    // A → B is every model's: an entry without it is not a valid one.
    expect(CheckpointScores.safeParse({ ...oneWay, AtoB: null }).success).toBe(false);
  });
});
