import { randomBytes, timingSafeEqual } from 'node:crypto';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from ?token= or from the cookie the first authorised page load set. */
export function tokenFromRequest(url: URL, cookieHeader: string | undefined): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const match = /(?:^|;\s*)diptych_token=([^;]+)/.exec(cookieHeader ?? '');
  return match?.[1] ?? null;
}
