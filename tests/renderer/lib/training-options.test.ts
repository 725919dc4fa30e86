// The new-run form's option fields against the option table and the contract they feed: every
// override the host takes has a field, with the same bounds, the typed values parse as the host
// expects, and the host's issues land next to the fields they name.
import { describe, expect, it } from 'vitest';
import { ApiCallError, issuesOf } from '../../../src/renderer/lib/api-error.ts';
import {
  COGAN_OPTION_GROUPS,
  emptyOptionValues,
  OPTION_FIELDS,
  OPTION_GROUPS,
  optionGroupsFor,
  parseOverrides,
  placeIssues,
} from '../../../src/renderer/lib/training-options.ts';
import { TrainingOverrides } from '../../../src/shared/contract.ts';
import { formKeys, rowOf, rowsOf, rowsWithKey, widest } from '../../../src/shared/options/lookup.ts';

const coganFields = COGAN_OPTION_GROUPS.flatMap((group) => group.fields);

describe('training options fields', () => {
  it('has one field for every row of the model the form shows, and no other', () => {
    for (const model of ['cyclegan', 'cogan'] as const) {
      const shown = rowsOf(model).filter((row) => row.group !== null);
      const fields = optionGroupsFor(model).flatMap((group) => group.fields);
      // The same set: the form orders them by group, the table by topic.
      expect(fields.map((f) => f.key).sort()).toEqual(shown.map((row) => row.key).sort());
    }
    expect(optionGroupsFor('cyclegan')).toEqual(OPTION_GROUPS);
    expect(optionGroupsFor('cogan')).toEqual(COGAN_OPTION_GROUPS);
  });

  it('keeps the groups and their order: CycleGAN has no Agreement group', () => {
    expect(OPTION_GROUPS.map((g) => g.title)).toEqual(['Images', 'How long', 'Networks', 'Learning']);
    expect(COGAN_OPTION_GROUPS.map((g) => g.title)).toEqual([
      'Images',
      'How long',
      'Networks',
      'Learning',
      'Agreement',
    ]);
    expect(OPTION_GROUPS[0]?.fields.map((f) => f.label)).toEqual(['Crop size', 'Load size', 'Mirror images']);
    expect(coganFields.find((f) => f.key === 'cropSize')).toMatchObject({
      label: 'Image size',
      min: 32,
      max: 128,
      unit: 'px',
    });
    expect(coganFields.find((f) => f.key === 'ganMode')).toMatchObject({
      choices: [
        { value: 'vanilla', label: 'Vanilla GAN' },
        { value: 'lsgan', label: 'LSGAN' },
        { value: 'wgangp', label: 'WGAN-GP' },
        { value: 'bgan', label: 'Boundary-seeking' },
      ],
    });
  });

  it("uses its row's bounds and choices for every field", () => {
    for (const model of ['cyclegan', 'cogan'] as const) {
      for (const field of optionGroupsFor(model).flatMap((group) => group.fields)) {
        const row = rowOf(model, field.key);
        if (!row) throw new Error(`no row for ${field.key}`);
        if (row.kind === 'int' || row.kind === 'number') {
          expect(field, field.key).toMatchObject({ min: row.min, max: row.max });
          expect(field.kind, field.key).toBe(row.kind === 'number' ? 'number' : row.nullable ? 'steps' : 'int');
        } else if (row.kind === 'choice' && field.kind === 'choice') {
          expect(field.choices.map((c) => c.value)).toEqual(Object.keys(row.choices));
          expect(field.choices.map((c) => c.label)).toEqual(Object.values(row.choices));
        } else expect(field.kind).toBe('yes-no');
        expect(field).toMatchObject({ label: row.label, help: row.help });
      }
    }
  });

  it("sends what the contract takes: every model's fields, within their widest bounds, and nothing else", () => {
    expect(Object.keys(emptyOptionValues()).sort()).toEqual(formKeys().sort());
    for (const key of formKeys()) {
      const row = widest(rowsWithKey(key));
      if (row.kind === 'int' || row.kind === 'number') {
        expect(TrainingOverrides.safeParse({ [key]: row.max }).success, key).toBe(true);
        expect(TrainingOverrides.safeParse({ [key]: row.max + 1 }).success, key).toBe(false);
        expect(TrainingOverrides.safeParse({ [key]: row.min }).success, key).toBe(
          !(row.kind === 'number' && row.above),
        );
        expect(TrainingOverrides.safeParse({ [key]: row.min - 1 }).success, key).toBe(false);
      } else if (row.kind === 'choice')
        for (const value of Object.keys(row.choices))
          expect(TrainingOverrides.safeParse({ [key]: value }).success, key).toBe(true);
      else expect(TrainingOverrides.safeParse({ [key]: false }).success, key).toBe(true);
    }
    // An option the form does not offer is not taken either.
    expect(TrainingOverrides.safeParse({ nLayersD: 3 }).success).toBe(false);
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

  it('puts the host issues next to their fields, in their words, and says the rest', () => {
    const placed = placeIssues(
      [
        { path: 'loadSize', message: 'loadSize (18) must be at least cropSize (32)' },
        { path: 'overrides.seed', message: 'Too big: expected number to be <=4294967295' },
        { path: 'preset', message: "CycleGAN's presets are demo, tiny, quick, standard, paper (got x)" },
        { path: '', message: 'model is odd' },
      ],
      'Invalid training options: …',
    );
    expect(placed).toEqual({
      fields: {
        loadSize: 'Load size (18) must be at least crop size (32).',
        seed: 'Too big: expected number to be <=4294967295.',
      },
      rest: "preset: CycleGAN's presets are demo, tiny, quick, standard, paper (got x); model is odd",
    });
  });

  it("words an issue with the shown model's labels, and joins two about one field", () => {
    const placed = placeIssues(
      [
        { path: 'cropSize', message: 'Too small: expected number to be >=32' },
        { path: 'cropSize', message: "CoGAN's networks are built for 32, 64 or 128 px images (got cropSize 16)" },
        { path: 'nEpochs', message: 'nEpochs and nEpochsDecay' },
      ],
      'Invalid training options: …',
      coganFields,
    );
    expect(placed.fields.cropSize).toBe(
      "Too small: expected number to be >=32. CoGAN's networks are built for 32, 64 or 128 px images (got image size 16).",
    );
    // nEpochsDecay is not a CoGAN field: the whole word stays, nEpochs inside it is not replaced.
    expect(placed.fields.nEpochs).toBe('Epochs and nEpochsDecay.');
    expect(placed.rest).toBeNull();
  });

  it('keeps a refusal without issues, or about no shown field, as one general message', () => {
    expect(placeIssues(undefined, 'The folder /x does not exist.')).toEqual({
      fields: {},
      rest: 'The folder /x does not exist.',
    });
    expect(placeIssues([], 'Run r is not training.')).toEqual({ fields: {}, rest: 'Run r is not training.' });
    // CoGAN's batch size is no CycleGAN field: the host's message is said as it is.
    const message = 'Invalid request for training:start: overrides.batchSize: Unknown';
    expect(placeIssues([{ path: 'overrides.batchSize', message: 'Unknown' }], message, OPTION_FIELDS)).toEqual({
      fields: {},
      rest: message,
    });
  });

  it("the API client's error carries the host's issues to the form", () => {
    const issues = [{ path: 'cropSize', message: 'Too small' }];
    const error = new ApiCallError({
      code: 'failed',
      message: 'Invalid training options: cropSize: Too small',
      issues,
    });
    expect(error.message).toBe('Invalid training options: cropSize: Too small');
    expect(issuesOf(error)).toEqual(issues);
    expect(issuesOf(new ApiCallError({ code: 'unknown-channel', message: 'no' }))).toEqual([]);
    expect(issuesOf(new Error('plain'))).toEqual([]);
  });
});
