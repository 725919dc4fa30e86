// The new-run form's option table against the contract it feeds: every override the host
// takes has a field, with the same bounds, and the typed values parse as the host expects.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  emptyOptionValues,
  OPTION_FIELDS,
  parseOverrides,
  splitHostErrors,
} from '../../../src/renderer/lib/training-options.ts';
import { TrainingOverrides } from '../../../src/shared/contract.ts';

const shape = TrainingOverrides.shape;

describe('training options table', () => {
  it('has one field for every CycleGAN override, and no other', () => {
    // CoGAN's own options get their fields with the CoGAN form (issue 6, CoGAN in the UI).
    const coganOnly = [
      'zDim',
      'batchSize',
      'sharedGeneratorLayers',
      'sharedDiscriminatorLayers',
      'weightDecay',
      'relation',
    ];
    const cyclegan = Object.keys(shape).filter((key) => !coganOnly.includes(key));
    expect(OPTION_FIELDS.map((f) => f.key).sort()).toEqual(cyclegan.sort());
  });

  it('uses the contract bounds and choices for every field', () => {
    for (const field of OPTION_FIELDS) {
      const schema = shape[field.key].unwrap();
      if (field.kind === 'int' || field.kind === 'number') {
        const number = schema as z.ZodNumber;
        expect(number.maxValue, field.key).toBe(field.max);
        // lr is "positive": its field starts just above 0.
        if (field.key !== 'lr') expect(number.minValue, field.key).toBe(field.min);
        expect(number.isInt, field.key).toBe(field.kind === 'int');
      } else if (field.kind === 'choice') {
        expect(
          field.choices.map((c) => c.value),
          field.key,
        ).toEqual((schema as z.ZodEnum).options);
      }
    }
  });

  it('turns typed values into overrides the host accepts, and says what is wrong otherwise', () => {
    const values = {
      ...emptyOptionValues(),
      cropSize: '16',
      lr: '0.0005',
      netG: 'unet_128',
      flip: 'no',
      maxSteps: '30',
    };
    const { overrides, errors } = parseOverrides(values);
    expect(errors).toEqual({});
    expect(overrides).toEqual({ cropSize: 16, lr: 0.0005, netG: 'unet_128', flip: false, maxSteps: 30 });
    expect(TrainingOverrides.parse(overrides)).toEqual(overrides);
    const bad = parseOverrides({ ...emptyOptionValues(), cropSize: '1.5', ngf: '999', lr: '0', seed: 'x' });
    expect(bad.errors).toEqual({
      cropSize: 'Type a whole number.',
      ngf: 'Use a value from 1 to 256.',
      lr: 'Use a value above 0 and at most 1.',
      seed: 'Type a number.',
    });
  });

  it('puts the host complaints next to their fields', () => {
    const split = splitHostErrors(
      'Invalid training options: loadSize: loadSize (18) must be at least cropSize (32); model is odd',
    );
    expect(split).toEqual({
      fields: { loadSize: 'Load size (18) must be at least crop size (32).' },
      rest: 'model is odd',
    });
  });
});
