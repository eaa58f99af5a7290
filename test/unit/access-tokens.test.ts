/** Access tokens: 256 random bits behind an issuance-time prefix; stored under that prefix and the HMAC of the whole token. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretHasher } from '../../server/crypto/secrets.js';
import { accessTokenKey, mintAccessToken } from '../../server/oauth/access-tokens.js';

const hasher = new SecretHasher(new Map([[1, randomBytes(32)]]), 1);

describe('access tokens', () => {
  it('are <issued>.<256 random bits>, and their key is the same prefix and the HMAC of the whole token', () => {
    const issuedAt = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const { token, key } = mintAccessToken(hasher, issuedAt);
    const [issued, secret] = token.split('.');
    expect(parseInt(issued!, 36)).toBe(issuedAt);
    expect(issued).toHaveLength(9);
    expect(Buffer.from(secret!, 'base64url')).toHaveLength(32);
    expect(key).toBe(`${issued}.${hasher.hash(token)}`);
    expect(key).not.toContain(secret);
    expect(accessTokenKey(hasher, token)).toBe(key);
  });

  it('keys sort by issuance time, so new tokens go to the end of the index', () => {
    const keys = [5, 1_000, 1_700_000_000_000, 1_700_000_000_001, 2_000_000_000_000].map((at) => mintAccessToken(hasher, at).key);
    expect([...keys].sort()).toEqual(keys);
  });

  it('a token with another prefix, or a token in the earlier bare format, gets its own key', () => {
    const { token, key } = mintAccessToken(hasher, 1_700_000_000_000);
    const forged = '000000001' + token.slice(9);
    expect(accessTokenKey(hasher, forged)).not.toBe(key);
    expect(accessTokenKey(hasher, forged).startsWith('000000001.')).toBe(true);
    const earlier = randomBytes(32).toString('base64url');
    expect(accessTokenKey(hasher, earlier)).toBe(hasher.hash(earlier));
  });

  it('are unique', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => mintAccessToken(hasher, 1_700_000_000_000).token));
    expect(tokens.size).toBe(1000);
  });
});
