// What one row of the option table says about a training option (the table: ./table.ts). A row
// holds every fact the schema, the training:start contract, the CLI and the New-run form need, so
// none of them declares an option of its own. A row applies to one or more models; where two
// models use one key with different words or bounds (CoGAN's "Image size" is CycleGAN's "Crop
// size"), each has its own row, and a new model (CUT) adds rows of its own or joins a row's models.

import { MODEL_NAMES, type ModelName } from '../models.ts';

/** The models whose options the table describes (src/shared/models.ts names them): each has rows of its own. */
export const OPTION_MODELS = MODEL_NAMES;
export type OptionModel = ModelName;

/** The New-run form's groups, in the order it shows them (a model shows the groups it has rows in). */
export const FORM_GROUPS = ['Images', 'How long', 'Networks', 'Learning', 'Agreement'] as const;
export type FormGroup = (typeof FORM_GROUPS)[number];

/** A `diptych train` flag: commander's flag text (`--crop-size <px>`, `--no-flip`) and its one-line description. */
export interface CliFlag {
  flag: string;
  description: string;
}

interface RowBase {
  /** The option's name in the run config, the training:start overrides and the form. */
  key: string;
  models: readonly OptionModel[];
  /** The form's label, also the words an error message uses for the key. */
  label: string;
  /** A plain-words sentence or two shown under the field. */
  help: string;
  /** Where the New-run form shows it; null: not in the form (nor in training:start's overrides). */
  group: FormGroup | null;
  /** The `diptych train` flag; null: the CLI does not expose it. */
  cli: CliFlag | null;
}

export type OptionRow =
  | (RowBase & {
      kind: 'int';
      min: number;
      max: number;
      /** Shown after the label: px, steps. */
      unit?: string;
      /** null is a value too: "no limit" (maxSteps: train every epoch). */
      nullable?: boolean;
    })
  | (RowBase & {
      kind: 'number';
      min: number;
      max: number;
      /** The minimum itself is refused (a learning rate is above 0). */
      above?: boolean;
    })
  | (RowBase & { kind: 'choice'; choices: Readonly<Record<string, string>> })
  | (RowBase & { kind: 'boolean' });

export type OptionKind = OptionRow['kind'];

/** The value a row stands for, as the run config holds it. */
export type ValueOf<R> = R extends { kind: 'int' | 'number' }
  ? R extends { nullable: true }
    ? number | null
    : number
  : R extends { kind: 'choice'; choices: infer C }
    ? Extract<keyof C, string>
    : R extends { kind: 'boolean' }
      ? boolean
      : never;

/** The rows of a union of rows that apply to model M. */
export type AppliesTo<R, M extends OptionModel> = R extends { models: readonly (infer X)[] }
  ? M extends X
    ? R
    : never
  : never;

/** An object type with one property per row, keyed by the row's key. */
export type ValuesOfRows<R extends { key: string }> = { [Row in R as Row['key']]: ValueOf<Row> };
