// The option table as zod: each row's validator, the fields of one model's run config, and
// training:start's overrides. The validators give zod's own messages for a value out of bounds
// (what the config has always said); the rules between fields stay with the configs
// (run-config.ts's superRefine).
import { z } from 'zod';
import { formKeys, rowsOf, rowsWithKey, widest } from './lookup.ts';
import type { AppliesTo, OptionModel, OptionRow, ValuesOfRows } from './row.ts';
import type { TableRow } from './table.ts';

/** A field validator whose input and output are the row's value. */
type Validator<V> = z.ZodType<V, V>;

/** The zod validator of one row's value. */
export function validatorOf(row: OptionRow): z.ZodType {
  switch (row.kind) {
    case 'int': {
      const int = z.number().int().min(row.min).max(row.max);
      return row.nullable ? int.nullable() : int;
    }
    case 'number':
      return (row.above ? z.number().gt(row.min) : z.number().min(row.min)).max(row.max);
    case 'choice':
      return z.enum(Object.keys(row.choices) as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
  }
}

/** One model's option values, typed from the table. */
export type OptionValuesOf<M extends OptionModel> = ValuesOfRows<AppliesTo<TableRow, M>>;

/** The config fields of one model's options, for its z.object (the config adds model, preset, folders). */
export function optionShape<M extends OptionModel>(
  model: M,
): { [K in keyof OptionValuesOf<M>]: Validator<OptionValuesOf<M>[K]> } {
  return Object.fromEntries(rowsOf(model).map((row) => [row.key, validatorOf(row)])) as {
    [K in keyof OptionValuesOf<M>]: Validator<OptionValuesOf<M>[K]>;
  };
}

/** What training:start may override: every option the New-run form offers, of whichever model. */
export type FormOverrides = Partial<ValuesOfRows<Exclude<TableRow, { group: null }>>>;

/**
 * training:start's overrides: the options the New-run form offers (the API takes what the form
 * can send), each key checked against its widest bounds over the models; the chosen model's own
 * bounds, and the refusal of another model's options, come when its config is built.
 */
export function trainingOverridesSchema(): Validator<FormOverrides> {
  const shape = Object.fromEntries(formKeys().map((key) => [key, validatorOf(widest(rowsWithKey(key)))]));
  return z.object(shape).partial().strict() as unknown as Validator<FormOverrides>;
}
