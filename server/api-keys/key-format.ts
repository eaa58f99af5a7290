/**
 * The API key format: `atsk_` + 43 base62 characters (256 random bits) + 6 base62 characters of
 * CRC32 over the body. Modelled on GitHub's token format (prefix for secret scanners, a checksum so
 * a scanner or our own parser can reject a typo or a look-alike offline, without a database hit):
 * github.blog 2021-03-31 "Authentication token format updates"; reference/partner-api-anchors.md §3.
 *
 * The checksum is not a security feature (anyone can compute a CRC); the 256 random bits are. Keys
 * use only [A-Za-z0-9_], so a double click selects a whole key and no encoding changes it.
 */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const API_KEY_PREFIX = 'atsk_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** ⌈256 / log2(62)⌉: every 256-bit value fits. */
const BODY_LENGTH = 43;
/** 62^6 > 2^32: every CRC32 fits. */
const CHECK_LENGTH = 6;
/** What secret scanners can match (documented in the README). */
export const API_KEY_PATTERN = /^atsk_[0-9A-Za-z]{49}$/;

function base62(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value % 62n)]! + out;
    value /= 62n;
  }
  return out;
}

function checkCharacters(body: string): string {
  return base62(BigInt(crc32(body)), CHECK_LENGTH);
}

/** A new key: 256 bits from the CSPRNG (ASVS 11.5.1). */
export function generateApiKey(): string {
  const body = base62(BigInt('0x' + randomBytes(32).toString('hex')), BODY_LENGTH);
  return API_KEY_PREFIX + body + checkCharacters(body);
}

/** True when `candidate` has the key's shape and its checksum matches: worth a database lookup. */
export function isWellFormedApiKey(candidate: string): boolean {
  if (!API_KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + BODY_LENGTH);
  return candidate.slice(API_KEY_PREFIX.length + BODY_LENGTH) === checkCharacters(body);
}
