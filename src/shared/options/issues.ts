// Why a set of training options was refused, one issue per problem, each naming the option it is
// about (`path`: the config key, '' for the whole config). The host sends the issues to the form
// as they are (ApiError.issues), which puts each next to its field; the CLI prints the message,
// whose text is the same list in one line.
import { z } from 'zod';

export const OptionIssue = z.object({ path: z.string(), message: z.string() });
export type OptionIssue = z.infer<typeof OptionIssue>;

export class InvalidOptionsError extends Error {
  readonly issues: readonly OptionIssue[];

  constructor(issues: readonly OptionIssue[]) {
    super(`Invalid training options: ${issues.map((i) => `${i.path || 'config'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidOptionsError';
    this.issues = issues;
  }
}

/** A zod issue as an option issue: its path joined with dots. */
export function toOptionIssue(issue: { path: readonly PropertyKey[]; message: string }): OptionIssue {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}

/** The issues a thrown error carries, if it is a refusal of options. */
export function optionIssuesOf(error: unknown): readonly OptionIssue[] | undefined {
  return error instanceof InvalidOptionsError ? error.issues : undefined;
}
