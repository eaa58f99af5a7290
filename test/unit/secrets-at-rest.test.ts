/**
 * AES-256-GCM with AAD bound to row and key version; HMAC hashes of issued secrets (T19, DESIGN
 * "Secrets at rest").
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Cipher } from '../../server/crypto/cipher.js';
import { SecretHasher, randomSecret } from '../../server/crypto/secrets.js';

const key1 = randomBytes(32);
const key2 = randomBytes(32);

describe('Cipher', () => {
  const cipher = new Cipher(new Map([[1, key1]]), 1);

  it('round-trips and never repeats a ciphertext (random IV)', () => {
    const a = cipher.encrypt('client-secret', 'integrations/r1/sr_credentials');
    const b = cipher.encrypt('client-secret', 'integrations/r1/sr_credentials');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('client-secret');
    expect(cipher.decrypt(a, 'integrations/r1/sr_credentials')).toBe('client-secret');
  });

  it('a ciphertext moved to another row or column does not decrypt (AAD binding)', () => {
    const sealed = cipher.encrypt('secret', 'integrations/r1/sr_credentials');
    expect(() => cipher.decrypt(sealed, 'integrations/r2/sr_credentials')).toThrow();
    expect(() => cipher.decrypt(sealed, 'integrations/r1/issued_secret_pending')).toThrow();
  });

  it('a tampered ciphertext or a relabelled key version does not decrypt', () => {
    const sealed = cipher.encrypt('secret', 'b');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], body.toString('base64url'), parts[3]].join('.'), 'b')).toThrow();
    const rotated = new Cipher(new Map([[1, key1], [2, key1]]), 2);
    expect(() => rotated.decrypt(sealed.replace(/^v1/, 'v2'), 'b')).toThrow(); // AAD carries the version
  });

  it('after rotation, old ciphertexts still decrypt and new ones use the new version', () => {
    const sealed = cipher.encrypt('old', 'b');
    const rotated = new Cipher(new Map([[1, key1], [2, key2]]), 2);
    expect(rotated.decrypt(sealed, 'b')).toBe('old');
    expect(rotated.encrypt('new', 'b').startsWith('v2.')).toBe(true);
  });
});

describe('SecretHasher', () => {
  const hasher = new SecretHasher(new Map([[1, key1]]), 1);

  it('matches the right secret only, under each key version still held, and stores no clear text', () => {
    const secret = randomSecret();
    const stored = hasher.hash(secret);
    expect(stored).not.toContain(secret);
    expect(hasher.candidateHashes(secret)).toContain(stored);
    expect(hasher.candidateHashes(secret + 'x')).not.toContain(stored);
    const rotated = new SecretHasher(new Map([[1, key1], [2, key2]]), 2);
    expect(rotated.candidateHashes(secret)).toContain(stored); // old hashes still match after a key rotation
    expect(rotated.hash(secret)).not.toBe(stored);
  });

  it('is HMAC-SHA-256 under the HKDF-derived hash key, so hashes stored by earlier versions still match', () => {
    const hashKey = Buffer.from(hkdfSync('sha256', key1, Buffer.alloc(0), 'ats-consent secret hash v1', 32));
    const secret = randomSecret();
    expect(hasher.hash(secret)).toBe(`v1.${createHmac('sha256', hashKey).update(secret).digest('base64url')}`);
  });

  it('issued secrets are 256-bit and unique', () => {
    const secrets = new Set(Array.from({ length: 1000 }, randomSecret));
    expect(secrets.size).toBe(1000);
    for (const secret of [...secrets].slice(0, 10)) expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });
});
