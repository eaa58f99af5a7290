/**
 * AES-256-GCM for secrets at rest (DESIGN.md "Secrets at rest").
 *
 * Each ciphertext carries its key version and a random 96-bit IV; the AAD binds it to the row and
 * field it belongs to plus that key version, so a ciphertext copied into another row or column
 * fails to decrypt instead of silently handing out another company's credentials.
 * Format: `v<version>.<iv b64url>.<ciphertext b64url>.<tag b64url>`.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const IV_BYTES = 12;
/** IVs are cut from a block of random bytes drawn at once (a result update encrypts three values). */
const IVS_PER_BLOCK = 256;

export class Cipher {
  /** As KeyObjects: OpenSSL gets the key once, not on every call. */
  readonly #keys: ReadonlyMap<number, KeyObject>;
  readonly #currentVersion: number;
  #ivs = Buffer.alloc(0);
  #ivOffset = 0;

  constructor(keys: ReadonlyMap<number, Buffer>, currentVersion: number) {
    for (const [version, key] of keys) {
      if (key.length !== 32) throw new Error(`encryption key version ${version} must be 32 bytes`);
    }
    if (!keys.has(currentVersion)) throw new Error(`no encryption key for version ${currentVersion}`);
    this.#keys = new Map([...keys].map(([version, key]) => [version, createSecretKey(key)]));
    this.#currentVersion = currentVersion;
  }

  /** A fresh random IV: never reused, each block of them is a new allocation from the CSPRNG. */
  #iv(): Buffer {
    if (this.#ivOffset === this.#ivs.length) {
      this.#ivs = randomBytes(IV_BYTES * IVS_PER_BLOCK);
      this.#ivOffset = 0;
    }
    const iv = this.#ivs.subarray(this.#ivOffset, this.#ivOffset + IV_BYTES);
    this.#ivOffset += IV_BYTES;
    return iv;
  }

  encrypt(plaintext: string, binding: string): string {
    const version = this.#currentVersion;
    const iv = this.#iv();
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(version)!, iv);
    cipher.setAAD(aad(binding, version));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v' + version, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string, binding: string): string {
    const [versionPart, iv, body, tag] = sealed.split('.');
    const version = Number(versionPart?.slice(1));
    const key = this.#keys.get(version);
    if (!key || !iv || body === undefined || !tag) throw new Error('unreadable ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(binding, version));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function aad(binding: string, version: number): Buffer {
  return Buffer.from(`${binding}|key-v${version}`, 'utf8');
}
