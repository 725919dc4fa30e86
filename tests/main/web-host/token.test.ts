import { describe, expect, it } from 'vitest';
import { createToken, tokenFromRequest, tokensMatch } from '../../../src/main/web-host/token.ts';

describe('createToken', () => {
  it('makes long, URL-safe, distinct tokens', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => createToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('tokensMatch', () => {
  it('accepts only the identical token', () => {
    expect(tokensMatch('abcdef', 'abcdef')).toBe(true);
    expect(tokensMatch('abcdef', 'abcdeg')).toBe(false);
    expect(tokensMatch('abcdef', 'abcde')).toBe(false);
    expect(tokensMatch('abcdef', 'abcdefg')).toBe(false);
    expect(tokensMatch('abcdef', '')).toBe(false);
    expect(tokensMatch('abcdef', null)).toBe(false);
    expect(tokensMatch('abcdef', undefined)).toBe(false);
  });
});

describe('tokenFromRequest', () => {
  it('reads ?token= first, then the cookie', () => {
    expect(tokenFromRequest(new URL('http://h/?token=q1'), 'diptych_token=c1')).toBe('q1');
    expect(tokenFromRequest(new URL('http://h/page'), 'diptych_token=c1')).toBe('c1');
    expect(tokenFromRequest(new URL('http://h/page'), 'other=1; diptych_token=c2; more=3')).toBe('c2');
  });

  it('finds nothing where there is nothing', () => {
    expect(tokenFromRequest(new URL('http://h/'), undefined)).toBeNull();
    expect(tokenFromRequest(new URL('http://h/?token='), '')).toBeNull();
    expect(tokenFromRequest(new URL('http://h/'), 'not_diptych_token=zz')).toBeNull();
  });
});
