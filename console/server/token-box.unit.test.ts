import { describe, expect, it } from 'vitest';
import { lookupHash, newCookieValue, openTokens, sealTokens } from './token-box.js';

const tokens = { accessToken: 'eyJhbGciOiJFUzI1NiJ9.access.sig', idToken: 'eyJhbGciOiJFUzI1NiJ9.id.sig' };

describe('console session token box', () => {
  it('opens with the cookie value it was sealed with', () => {
    const cookie = newCookieValue();
    expect(openTokens(cookie, sealTokens(cookie, tokens))).toEqual(tokens);
  });

  it('holds no token in clear and differs each time', () => {
    const cookie = newCookieValue();
    const a = sealTokens(cookie, tokens);
    const b = sealTokens(cookie, tokens);
    expect(a.toString('latin1')).not.toContain('access.sig');
    expect(a.equals(b)).toBe(false);
  });

  it('does not open with another cookie value, nor when a byte is changed', () => {
    const cookie = newCookieValue();
    const box = sealTokens(cookie, tokens);
    expect(openTokens(newCookieValue(), box)).toBeUndefined();
    const changed = Buffer.from(box);
    changed[changed.length - 1]! ^= 1;
    expect(openTokens(cookie, changed)).toBeUndefined();
    expect(openTokens(cookie, box.subarray(0, 20))).toBeUndefined();
  });

  it('looks a session up by a hash that is not the cookie value', () => {
    const cookie = newCookieValue();
    expect(Buffer.from(cookie, 'base64url')).toHaveLength(32);
    expect(lookupHash(cookie)).toMatch(/^[0-9a-f]{64}$/);
    expect(lookupHash(cookie)).not.toContain(cookie);
  });
});
