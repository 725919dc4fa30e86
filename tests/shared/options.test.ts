// The option table is the one place an option is declared: each model's config schema has a field
// for each of its rows and no other, with the row's bounds and choices, and the refusals carry the
// issues a form places by field.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { DomainRelation, GeneratorName } from '../../src/shared/options/choices.ts';
import { InvalidOptionsError, optionIssuesOf } from '../../src/shared/options/issues.ts';
import { rowsOf, rowsWithKey, widest } from '../../src/shared/options/lookup.ts';
import { OPTION_MODELS, type OptionRow } from '../../src/shared/options/row.ts';
import { validatorOf } from '../../src/shared/options/schema.ts';
import { OPTION_ROWS } from '../../src/shared/options/table.ts';
import {
  buildCoGanConfig,
  buildCycleGanConfig,
  buildRunConfig,
  type CoGanConfig,
  CoGanConfig as CoGanSchema,
  CutConfig as CutSchema,
  type CycleGanConfig,
  CycleGanConfig as CycleGanSchema,
} from '../../src/shared/run-config.ts';

/** The fields every config has besides its options: which model, which preset, which folders. */
const FRAME = ['model', 'preset', 'dataA', 'dataB'];
const SCHEMAS = { cyclegan: CycleGanSchema, cogan: CoGanSchema, cut: CutSchema } as const;
const data = { dataA: '/a', dataB: '/b' };

/** Values at and just past a row's bounds, and whether the row takes each. */
function probes(row: OptionRow): [unknown, boolean][] {
  switch (row.kind) {
    case 'int':
      return [
        [row.min, true],
        [row.max, true],
        [row.min - 1, false],
        [row.max + 1, false],
        [row.min + 0.5, false],
        [null, row.nullable === true],
      ];
    case 'number':
      return [
        [row.min, row.above !== true],
        [row.min + (row.max - row.min) / 2, true],
        [row.max, true],
        [row.min - 1, false],
        [row.max * 1.5 + 1, false],
      ];
    case 'choice':
      return [...Object.keys(row.choices).map((value): [unknown, boolean] => [value, true]), ['no-such-choice', false]];
    case 'boolean':
      return [
        [true, true],
        [false, true],
        ['yes', false],
      ];
  }
}

describe('the option table', () => {
  it.each(OPTION_MODELS)('%s: every config key has a row and every row a config key', (model) => {
    const schemaKeys = Object.keys(SCHEMAS[model].shape).filter((key) => !FRAME.includes(key));
    const rowKeys = rowsOf(model).map((row) => row.key);
    expect(new Set(rowKeys).size, 'one row per key and model').toBe(rowKeys.length);
    expect([...rowKeys].sort()).toEqual([...schemaKeys].sort());
  });

  it.each(OPTION_MODELS)('%s: each config field takes what its row allows, and nothing else', (model) => {
    const shape = SCHEMAS[model].shape as unknown as Record<string, z.ZodType>;
    for (const row of rowsOf(model))
      for (const [value, ok] of probes(row))
        expect(shape[row.key]?.safeParse(value).success, `${row.key} = ${String(value)}`).toBe(ok);
  });

  it('a bound changed in a row changes what the validator takes', () => {
    const [ngf] = rowsWithKey('ngf');
    if (ngf?.kind !== 'int') throw new Error('ngf is an int row');
    expect(validatorOf(ngf).safeParse(200).success).toBe(true);
    expect(validatorOf({ ...ngf, max: 128 }).safeParse(200).success).toBe(false);
  });

  it('the rows of one key share its kind; each has its words, and a flag names one key', () => {
    const rows: readonly OptionRow[] = OPTION_ROWS;
    for (const row of rows) {
      expect(() => widest(rowsWithKey(row.key)), row.key).not.toThrow();
      expect(row.label.length, row.key).toBeGreaterThan(0);
      expect(row.help.length, row.key).toBeGreaterThan(0);
      expect(row.models.length, row.key).toBeGreaterThan(0);
      if (row.cli) {
        expect(row.cli.description.length, row.key).toBeGreaterThan(0);
        const same = rows.filter((other) => other.cli?.flag === row.cli?.flag);
        expect(new Set(same.map((other) => other.key)), row.cli.flag).toEqual(new Set([row.key]));
      }
    }
  });

  it('decides the crop size once: 8 px at least for CycleGAN, 32 to 128 for CoGAN', () => {
    expect(() => buildCycleGanConfig('tiny', { ...data, cropSize: 4, loadSize: 4 })).toThrow(
      'Invalid training options: cropSize: Too small: expected number to be >=8',
    );
    expect(buildCycleGanConfig('tiny', { ...data, cropSize: 8, loadSize: 8 }).cropSize).toBe(8);
    // The per-generator multiple stays the config's rule.
    expect(() => buildCycleGanConfig('tiny', { ...data, cropSize: 30, loadSize: 32 })).toThrow(
      'cropSize: the ResNet generator downsamples twice: cropSize must be a multiple of 4 (got 30)',
    );
    expect(widest(rowsWithKey('cropSize'))).toMatchObject({ min: 8, max: 4096 });
    expect(() => buildCoGanConfig('tiny', { ...data, cropSize: 16, loadSize: 16 })).toThrow(
      "cropSize: CoGAN's networks are built for 32, 64 or 128 px images (got cropSize 16)",
    );
  });

  it('types each config field from its row', () => {
    expectTypeOf<CycleGanConfig['netG']>().toEqualTypeOf<GeneratorName>();
    expectTypeOf<CycleGanConfig['ganMode']>().toEqualTypeOf<'lsgan' | 'vanilla' | 'wgangp' | 'bgan'>();
    expectTypeOf<CycleGanConfig['maxSteps']>().toEqualTypeOf<number | null>();
    expectTypeOf<CycleGanConfig['flip']>().toEqualTypeOf<boolean>();
    expectTypeOf<CoGanConfig['relation']>().toEqualTypeOf<DomainRelation>();
    expectTypeOf<CoGanConfig['zDim']>().toEqualTypeOf<number>();
    expectTypeOf<CoGanConfig>().not.toHaveProperty('lambdaIdentity');
  });
});

describe('refused options', () => {
  it('carry one issue per problem, by config key, and the same list in the message', () => {
    let caught: unknown;
    try {
      buildRunConfig('cyclegan', 'tiny', { ...data, loadSize: 18, ngf: 999 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    expect(optionIssuesOf(caught)).toEqual([
      { path: 'ngf', message: 'Too big: expected number to be <=256' },
      { path: 'loadSize', message: 'loadSize (18) must be at least cropSize (32)' },
    ]);
    expect((caught as Error).message).toBe(
      'Invalid training options: ngf: Too big: expected number to be <=256; loadSize: loadSize (18) must be at least cropSize (32)',
    );
  });

  it('name the preset, and the whole config for a key of another model', () => {
    expect(() => buildRunConfig('cogan', 'paper', data)).toThrow(
      "Invalid training options: preset: CoGAN's presets are tiny, quick, standard (got paper)",
    );
    try {
      buildRunConfig('cogan', 'tiny', { ...data, lambdaIdentity: 0.5 });
      expect.unreachable();
    } catch (error) {
      expect(optionIssuesOf(error)).toEqual([{ path: '', message: 'Unrecognized key: "lambdaIdentity"' }]);
      expect((error as Error).message).toBe('Invalid training options: config: Unrecognized key: "lambdaIdentity"');
    }
    expect(optionIssuesOf(new Error('other'))).toBeUndefined();
  });
});
