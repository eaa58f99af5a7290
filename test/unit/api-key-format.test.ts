/**
 * The API key format: prefix, 256-bit body, CRC32 check characters a scanner can verify offline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN, generateApiKey, isWellFormedApiKey } from '../../server/api-keys/key-format.js';

describe('API key format', () => {
  it('is atsk_ + 49 base62 characters, unique, and passes its own checksum', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(API_KEY_PATTERN);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a single changed character (a typo) fails the checksum', () => {
    const key = generateApiKey();
    fc.assert(
      fc.property(fc.integer({ min: 5, max: key.length - 1 }), fc.constantFrom(...'0123456789abcXYZ'), (position, replacement) => {
        fc.pre(key[position] !== replacement);
        expect(isWellFormedApiKey(key.slice(0, position) + replacement + key.slice(position + 1))).toBe(false);
      }),
    );
  });

  it('refuses other shapes', () => {
    const key = generateApiKey();
    for (const bad of ['', 'atsk_', key.slice(1), key + 'a', key.replace('atsk_', 'ATSK_'), key.slice(0, -1) + '-', ` ${key}`]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });
});
