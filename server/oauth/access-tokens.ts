/**
 * The access tokens our token endpoint issues, and the key each is stored and looked up under.
 *
 * A token is `<issued>.<secret>`: `secret` is 256 CSPRNG bits in base64url, like every secret we
 * issue (T19); `issued` is the issuance time in milliseconds, base36, 9 characters, which tells
 * its holder nothing it did not know. The stored key is `<issued>.<HMAC of the whole token>`
 * (SecretHasher): still nothing of the secret is stored, and a token whose prefix was changed has
 * another HMAC and finds nothing.
 *
 * Why lead with the time: a bare HMAC is random, so every new token landed on a random leaf of the
 * token index: one more dirty page per token in each commit (on SQLite, a WAL frame written and
 * later checkpointed) and, once the table outgrew the page cache, a read to find that leaf. Keys
 * led by the time go to the index's right edge, a few pages for a whole batch of tokens.
 *
 * Tokens issued before this format (43 characters, no prefix) are still looked up by their bare
 * HMAC until they expire.
 */
import { randomSecret, type SecretHasher } from '../crypto/secrets.js';

const ISSUED_DIGITS = 9; // base36 milliseconds: fixed width (so keys sort by time) for the next ~3000 years
const PREFIXED = /^[0-9a-z]{9}\./;

export function mintAccessToken(hasher: SecretHasher, issuedAt: number): { token: string; key: string } {
  const token = `${issuedAt.toString(36).padStart(ISSUED_DIGITS, '0')}.${randomSecret()}`;
  return { token, key: accessTokenKey(hasher, token) };
}

/** The key a presented token would be stored under (whether or not it is). */
export function accessTokenKey(hasher: SecretHasher, token: string): string {
  const hash = hasher.hash(token);
  return PREFIXED.test(token) ? `${token.slice(0, ISSUED_DIGITS)}.${hash}` : hash;
}
