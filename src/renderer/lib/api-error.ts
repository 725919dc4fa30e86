// A host's refusal as the renderer throws it: the person's message, and the issues that name the
// fields they are about (ApiError.issues), so a form can put each next to its field.
import type { ApiError } from '../../shared/contract.ts';

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly issues: NonNullable<ApiError['issues']>;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.issues = error.issues ?? [];
  }
}

/** The issues a failed call carried; none for any other error. */
export function issuesOf(error: unknown): NonNullable<ApiError['issues']> {
  return error instanceof ApiCallError ? error.issues : [];
}
