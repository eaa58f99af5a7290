/**
 * Does the configured key open what is stored? A wrong `ATS_ENCRYPTION_KEY` passes every start-up
 * check (any 32 bytes are a key) and fails only when a stored credential is needed: at a
 * customer's first order, result or token refresh. Each ciphertext names its key version
 * (`v<version>.…`, crypto/cipher.ts), so a missing version and a wrong key are told apart. The
 * plaintext is discarded unread.
 */
import type { ResolvedConfig } from '../../config.js';
import { Cipher } from '../../crypto/cipher.js';
import { fail, ok, skip, type CheckResult } from './check-result.js';
import type { StoredCiphertext } from './stored-ciphertexts.js';

const CHECK = 'encryption-key';

export function checkEncryptionKey(config: ResolvedConfig, samples: StoredCiphertext[]): CheckResult {
  if (samples.length === 0) return skip(CHECK, 'nothing encrypted is stored yet to test the key against');
  const cipher = new Cipher(config.encryptionKeys, config.encryptionKeyVersion);
  const problems: string[] = [];
  const versions = new Set<number>();
  for (const sample of samples) {
    const version = Number(/^v(\d+)\./.exec(sample.sealed)?.[1]);
    versions.add(version);
    if (!config.encryptionKeys.has(version)) {
      problems.push(`${sample.where} was stored with key version ${version}, and no key of that version is configured`);
      continue;
    }
    try {
      cipher.decrypt(sample.sealed, sample.binding);
    } catch {
      problems.push(`${sample.where} (key version ${version}) does not decrypt with the configured key`);
    }
  }
  const configured = `ATS_ENCRYPTION_KEY is version ${config.encryptionKeyVersion} (ATS_ENCRYPTION_KEY_VERSION)`;
  if (problems.length > 0) {
    return fail(
      CHECK,
      `the configured key cannot read ${problems.length} of ${samples.length} stored values: ${configured}`,
      'set ATS_ENCRYPTION_KEY (and ATS_ENCRYPTION_KEY_VERSION) to the key the kit stored them with; a new key cannot read old rows, so rotate by adding a version and keeping the old key in previousEncryptionKeys',
      problems,
    );
  }
  return ok(CHECK, `the configured key decrypts ${samples.length} stored value${samples.length === 1 ? '' : 's'} (key version${versions.size === 1 ? '' : 's'} ${[...versions].join(', ')})`);
}
