/**
 * Secrets we mint and how we keep them.
 *
 * Client secrets and access tokens we issue are 256-bit CSPRNG values (RFC 6749 §10.10 asks for a
 * guessing probability ≤ 2^-128). They are stored only as HMAC-SHA-256 under a key derived from the
 * encryption key: a slow KDF adds nothing for high-entropy secrets and would cap the token endpoint
 * (DESIGN.md "Secrets at rest"; reference/security.md T19). Stored hashes are matched by equality of
 * HMACs, which timing cannot exploit without the key (T18); CSRF tokens compare in constant time.
 */
import { createHmac, createSecretKey, hkdfSync, randomBytes, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

const SECRET_BYTES = 32;
/**
 * CSPRNG output fetched 128 secrets at a time: one call into OpenSSL per 128 secrets instead of one
 * per secret (~2.5 µs each on the token endpoint), as crypto.randomUUID does with its own cache.
 * Each secret's bytes are zeroed once taken, so the pool only ever holds secrets not yet issued.
 */
const pool = Buffer.alloc(SECRET_BYTES * 128);
let poolOffset = pool.length;

/** 256 random bits, base64url: 43 characters. */
export function randomSecret(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const secret = pool.toString('base64url', poolOffset, poolOffset + SECRET_BYTES);
  pool.fill(0, poolOffset, poolOffset + SECRET_BYTES);
  poolOffset += SECRET_BYTES;
  return secret;
}

/** Identifiers' CSPRNG bytes, fetched 4 KB at a time like the secrets' (a partner API request id per request). */
const idPool = Buffer.alloc(4096);
let idPoolOffset = idPool.length;

/** A random identifier that is not a secret but must not be guessable or sequential. */
export function randomId(bytes = 16): string {
  if (bytes > idPool.length) return randomBytes(bytes).toString('base64url');
  if (idPoolOffset + bytes > idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const id = idPool.toString('base64url', idPoolOffset, idPoolOffset + bytes);
  idPoolOffset += bytes;
  return id;
}

export class SecretHasher {
  /** KeyObjects, not Buffers: OpenSSL takes the key as it is instead of a copy per HMAC (about a third of an HMAC's cost). */
  readonly #keys: ReadonlyMap<number, KeyObject>;
  readonly #currentVersion: number;

  /** Hash keys are derived per encryption-key version, and each hash records its version. */
  constructor(encryptionKeys: ReadonlyMap<number, Buffer>, currentVersion: number) {
    const derived = new Map<number, KeyObject>();
    for (const [version, key] of encryptionKeys) {
      // A separate key for hashing, so no key is ever used for two purposes.
      derived.set(version, createSecretKey(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ats-consent secret hash v1', 32))));
    }
    this.#keys = derived;
    this.#currentVersion = currentVersion;
  }

  hash(secret: string): string {
    return `v${this.#currentVersion}.${this.#digest(this.#currentVersion, secret)}`;
  }

  /**
   * The hash of `secret` under every key version still held: what a stored hash can equal. Looking
   * a stored HMAC up by equality (in SQL) leaks nothing useful through timing: an attacker cannot
   * steer the HMAC of a guess without the key, so a matching prefix tells them nothing.
   */
  candidateHashes(secret: string): string[] {
    return [...this.#keys.keys()].map((version) => `v${version}.${this.#digest(version, secret)}`);
  }

  #digest(version: number, secret: string): string {
    return createHmac('sha256', this.#keys.get(version)!).update(secret, 'utf8').digest('base64url');
  }
}

/** Constant-time string equality for tokens of the same expected shape (CSRF tokens). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'cmp').update(a).digest();
  const right = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(left, right);
}
