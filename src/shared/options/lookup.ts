// Reading the option table: one model's rows, the rows behind one key, and the widest bounds a
// key has over all models (for the places that do not know the model yet: training:start's
// overrides, a CLI flag's parser; each model's own bounds are checked when its config is built).
import type { OptionModel, OptionRow } from './row.ts';
import { OPTION_ROWS } from './table.ts';

const ROWS: readonly OptionRow[] = OPTION_ROWS;

/** The rows of one model, in table order. */
export function rowsOf(model: OptionModel): OptionRow[] {
  return ROWS.filter((row) => row.models.includes(model));
}

/** One model's row for a key, if the model has that option. */
export function rowOf(model: OptionModel, key: string): OptionRow | undefined {
  return ROWS.find((row) => row.key === key && row.models.includes(model));
}

/** The keys the New-run form shows for some model, each once, in table order. */
export function formKeys(): string[] {
  return [...new Set(ROWS.filter((row) => row.group !== null).map((row) => row.key))];
}

/** Every row of a key, whichever model. */
export function rowsWithKey(key: string): OptionRow[] {
  return ROWS.filter((row) => row.key === key);
}

/**
 * One row standing for all the given rows of a key: the lowest minimum and the highest maximum,
 * every choice of any of them (in first-seen order), nullable if one is. The rows of a key share
 * their kind (the table's test holds it to that).
 */
export function widest(rows: readonly OptionRow[]): OptionRow {
  const [first] = rows;
  if (!first) throw new Error('widest() needs at least one row');
  for (const row of rows)
    if (row.kind !== first.kind)
      throw new Error(`the rows of ${first.key} disagree on its kind (${first.kind}, ${row.kind})`);
  if (first.kind === 'choice')
    return { ...first, choices: Object.assign({}, ...rows.map((row) => (row.kind === 'choice' ? row.choices : {}))) };
  if (first.kind === 'boolean') return first;
  const ranged = rows as readonly (OptionRow & { kind: 'int' | 'number' })[];
  const min = Math.min(...ranged.map((row) => row.min));
  const max = Math.max(...ranged.map((row) => row.max));
  // The minimum is left out only where every row that has it leaves it out.
  const above = ranged.every((row) => row.min > min || ('above' in row && row.above === true));
  const nullable = ranged.some((row) => 'nullable' in row && row.nullable === true);
  return first.kind === 'int'
    ? { ...first, min, max, ...(nullable ? { nullable } : {}) }
    : { ...first, min, max, above };
}
