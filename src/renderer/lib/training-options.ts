// The new-run form's knowledge: every option a run may override on its preset, in the words a
// person reads next to it (all of it from the option table, src/shared/options/table.ts), how a
// typed value becomes an override (or a plain-words error), and where the host's objections go.

import type { DatasetPreview, RequestOf } from '../../shared/contract.ts';
import { formKeys, rowsOf } from '../../shared/options/lookup.ts';
import { FORM_GROUPS, type OptionModel, type OptionRow } from '../../shared/options/row.ts';
import { isAutomaticDefault } from './relation-default.ts';

export type Overrides = NonNullable<RequestOf<'training:start'>['overrides']>;
export type OptionKey = keyof Overrides;

export interface DatasetChoice {
  path: string | null;
  preview: DatasetPreview | null;
  loading: boolean;
  error: string | null;
}

interface Base {
  key: OptionKey;
  label: string;
  help: string;
}
export type OptionField =
  | (Base & { kind: 'int'; min: number; max: number; unit?: string })
  | (Base & { kind: 'number'; min: number; max: number; above?: boolean })
  | (Base & { kind: 'steps'; min: number; max: number })
  | (Base & { kind: 'choice'; choices: { value: string; label: string }[] })
  | (Base & { kind: 'yes-no' });

export interface OptionGroup {
  title: string;
  fields: OptionField[];
}

/** A row of the option table as the form shows it. */
function fieldOf(row: OptionRow): OptionField {
  const base = { key: row.key as OptionKey, label: row.label, help: row.help };
  switch (row.kind) {
    case 'int':
      // A nullable count (max steps) is left empty for "no limit": the form's steps field.
      if (row.nullable) return { ...base, kind: 'steps', min: row.min, max: row.max };
      return { ...base, kind: 'int', min: row.min, max: row.max, ...(row.unit ? { unit: row.unit } : {}) };
    case 'number':
      return { ...base, kind: 'number', min: row.min, max: row.max, ...(row.above ? { above: true } : {}) };
    case 'choice':
      return {
        ...base,
        kind: 'choice',
        choices: Object.entries(row.choices).map(([value, label]) => ({ value, label })),
      };
    case 'boolean':
      return { ...base, kind: 'yes-no' };
  }
}

/** The option groups of a model: its rows of the option table that the form shows, by group, in table order. */
export function optionGroupsFor(model: OptionModel): OptionGroup[] {
  const rows = rowsOf(model);
  return FORM_GROUPS.map((title) => ({
    title,
    fields: rows.filter((row) => row.group === title).map(fieldOf),
  })).filter((group) => group.fields.length > 0);
}

/** CycleGAN's groups (the form's default). */
export const OPTION_GROUPS: OptionGroup[] = optionGroupsFor('cyclegan');
export const OPTION_FIELDS: OptionField[] = OPTION_GROUPS.flatMap((group) => group.fields);

/** CoGAN's options (src/shared/run-config.ts CoGanConfig), in the same words. */
export const COGAN_OPTION_GROUPS: OptionGroup[] = optionGroupsFor('cogan');

export type OptionValues = Record<OptionKey, string>;

/** Every field empty: the preset decides everything (values are kept by key, for every model's fields). */
export function emptyOptionValues(): OptionValues {
  return Object.fromEntries(formKeys().map((key) => [key, ''])) as OptionValues;
}

/** What the form shows for a preset's default (or one the host decides: AutomaticDefault). */
export function describeDefault(field: OptionField, value: unknown): string {
  if (isAutomaticDefault(value)) return `Automatic (${value.automatic})`;
  if (field.kind === 'steps') return value === null || value === undefined ? 'every epoch' : String(value);
  if (field.kind === 'yes-no') return value ? 'yes' : 'no';
  if (field.kind === 'choice') return field.choices.find((c) => c.value === value)?.label ?? String(value ?? '');
  return value === undefined ? '' : String(value);
}

/**
 * Turns the typed values (empty = the preset's default) into overrides, or says what is wrong
 * with each field in words. Rules between fields (load ≥ crop, multiples of 4) are the host's.
 */
export function parseOverrides(
  values: OptionValues,
  fields: OptionField[] = OPTION_FIELDS,
): {
  overrides: Overrides;
  errors: Partial<Record<OptionKey, string>>;
} {
  const overrides: Record<string, unknown> = {};
  const errors: Partial<Record<OptionKey, string>> = {};
  // Only the shown model's fields: a value typed for the other model is not sent.
  for (const field of fields) {
    const raw = (values[field.key] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'choice') overrides[field.key] = raw;
    else if (field.kind === 'yes-no') overrides[field.key] = raw === 'yes';
    else {
      const value = Number(raw);
      const whole = field.kind !== 'number';
      const { min, max } = field;
      const above = field.kind === 'number' && field.above === true;
      if (!Number.isFinite(value)) errors[field.key] = 'Type a number.';
      else if (whole && !Number.isInteger(value)) errors[field.key] = 'Type a whole number.';
      else if ((above ? value <= min : value < min) || value > max)
        errors[field.key] = above
          ? `Use a value above ${min} and at most ${max.toLocaleString()}.`
          : `Use a value from ${min} to ${max.toLocaleString()}.`;
      else overrides[field.key] = value;
    }
  }
  return { overrides: overrides as Overrides, errors };
}

/**
 * Places the host's issues (ApiError.issues) next to the fields they name, in the field's words;
 * the issues about no shown field stay a general message, and where no issue lands on a field the
 * host's message is said as it is. A refused request names a field as `overrides.cropSize`,
 * refused options as `cropSize`: both land on the field.
 */
export function placeIssues(
  issues: readonly { path: string; message: string }[] | undefined,
  message: string,
  fields: OptionField[] = OPTION_FIELDS,
): { fields: Partial<Record<OptionKey, string>>; rest: string | null } {
  if (!issues || issues.length === 0) return { fields: {}, rest: message };
  const placed: Partial<Record<OptionKey, string>> = {};
  const rest: string[] = [];
  for (const issue of issues) {
    const field = fields.find((f) => f.key === issue.path.replace(/^overrides\./, ''));
    if (field) {
      const words = sentence(issue.message, fields);
      placed[field.key] = placed[field.key] ? `${placed[field.key]} ${words}` : words;
    } else rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  if (Object.keys(placed).length === 0) return { fields: {}, rest: message };
  return { fields: placed, rest: rest.length > 0 ? rest.join('; ') : null };
}

/** "loadSize (18) must be at least cropSize (32)" → "Load size (18) must be at least crop size (32)." */
function sentence(text: string, fields: OptionField[]): string {
  let trimmed = text.trim();
  // Longest keys first, whole words only: nEpochs must not eat into nEpochsDecay.
  for (const field of [...fields].sort((a, b) => b.key.length - a.key.length))
    trimmed = trimmed.replace(new RegExp(`\\b${field.key}\\b`, 'g'), field.label.toLowerCase());
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}` : trimmed;
}
