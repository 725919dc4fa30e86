// Parsers for option values shared by several commands; each fails with a message that names
// the option and what it accepts.
import { InvalidArgumentError } from 'commander';
import { BackendName } from '../../shared/basics.ts';

/** Number('') and Number('  ') are 0: an empty value must be an error, not a silent zero. */
export function numberOrNaN(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

export function wholeNumber(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = numberOrNaN(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return value;
  };
}

export function backendOption(raw: string): BackendName {
  const parsed = BackendName.safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`use one of ${BackendName.options.join(', ')}.`);
  return parsed.data;
}
