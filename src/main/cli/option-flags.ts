// `diptych train`'s option flags, made from the option table (src/shared/options/table.ts): one
// flag per row that names one (rows of one key share it), its parser from the row's kind and
// bounds, and the refusal of a flag the chosen model has no row for (a CoGAN option on a CycleGAN
// run would otherwise be dropped without a word). A flag's bounds are the widest over the models
// it serves; the chosen model's own are checked when its config is built.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { MODELS } from '../../shared/models.ts';
import { widest } from '../../shared/options/lookup.ts';
import type { OptionModel, OptionRow } from '../../shared/options/row.ts';
import { OPTION_ROWS } from '../../shared/options/table.ts';
import { numberOrNaN, wholeNumber } from './options.ts';

/** One flag and the rows behind it. */
export interface OptionFlag {
  /** commander's flag text: `--crop-size <px>`, `--no-flip`. */
  flag: string;
  description: string;
  /** The config key it sets. */
  key: string;
  /** Where commander puts its value: `cropSize`, `sharedG`, `flip`. */
  attribute: string;
  /** The models it applies to. */
  models: OptionModel[];
  /** Its bounds and choices: the widest of its rows. */
  row: OptionRow;
}

/** Every flag of the table, in table order. */
export function optionFlags(rows: readonly OptionRow[] = OPTION_ROWS): OptionFlag[] {
  const byFlag = new Map<string, OptionRow[]>();
  for (const row of rows) if (row.cli) byFlag.set(row.cli.flag, [...(byFlag.get(row.cli.flag) ?? []), row]);
  return [...byFlag].map(([flag, flagRows]) => {
    const [first] = flagRows as [OptionRow, ...OptionRow[]];
    return {
      flag,
      description: first.cli?.description ?? '',
      key: first.key,
      attribute: new Option(flag).attributeName(),
      models: [...new Set(flagRows.flatMap((row) => row.models))],
      row: widest(flagRows),
    };
  });
}

/** A number within a row's bounds, or an error that names the flag and what it accepts. */
function decimal(name: string, min: number, max: number, above: boolean) {
  return (raw: string): number => {
    const value = numberOrNaN(raw);
    if (!Number.isFinite(value) || (above ? value <= min : value < min) || value > max)
      throw new InvalidArgumentError(
        above
          ? `${name} must be a number above ${min} and at most ${max}.`
          : `${name} must be a number from ${min} to ${max}.`,
      );
    return value;
  };
}

function commanderOption({ flag, description, row }: OptionFlag): Option {
  const option = new Option(flag, description);
  const name = option.long ?? flag;
  switch (row.kind) {
    case 'int':
      return option.argParser(wholeNumber(name, row.min, row.max));
    case 'number':
      return option.argParser(decimal(name, row.min, row.max, row.above === true));
    case 'choice':
      return option.choices(Object.keys(row.choices));
    case 'boolean':
      return option;
  }
}

/** "--z-dim, --relation are CoGAN options; add --model cogan, or leave them out for a CycleGAN run." */
export function otherModelFlagsMessage(given: readonly OptionFlag[], model: OptionModel): string | null {
  const groups = new Map<string, OptionFlag[]>();
  for (const flag of given) {
    if (flag.models.includes(model)) continue;
    const owners = flag.models.join(',');
    groups.set(owners, [...(groups.get(owners) ?? []), flag]);
  }
  if (groups.size === 0) return null;
  return [...groups.values()]
    .map((flags) => {
      const one = flags.length === 1;
      const owners = flags[0]?.models ?? [];
      const names = flags.map((flag) => new Option(flag.flag).long).join(', ');
      const titles = owners.map((owner) => MODELS[owner].label).join(' or ');
      return `${names} ${one ? `is a ${titles} option` : `are ${titles} options`}; add --model ${owners[0]}, or leave ${one ? 'it' : 'them'} out for a ${MODELS[model].label} run.`;
    })
    .join(' ');
}

/**
 * Adds the table's flags to a command whose `--model` option names the model, and refuses, before
 * the action runs, a flag given on the command line that the chosen model has no row for.
 */
export function addOptionFlags(command: Command): Command {
  const flags = optionFlags();
  for (const flag of flags) command.addOption(commanderOption(flag));
  return command.hook('preAction', (thisCommand) => {
    const model = thisCommand.opts().model as OptionModel;
    const given = flags.filter((flag) => thisCommand.getOptionValueSource(flag.attribute) === 'cli');
    const refusal = otherModelFlagsMessage(given, model);
    if (refusal) throw new Error(refusal);
  });
}

/** The config overrides the table's flags give for a model: each flag's value under its key, unset ones left out. */
export function overridesFromFlags(values: Record<string, unknown>, model: OptionModel): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const flag of optionFlags())
    if (flag.models.includes(model) && values[flag.attribute] !== undefined)
      overrides[flag.key] = values[flag.attribute];
  return overrides;
}
