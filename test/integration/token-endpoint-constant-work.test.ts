/**
 * T18: an unknown client, a wrong secret and a disabled client cost the same work and get the same
 * answer. Timing itself is measured by `npm run bench`; here the work is counted: one HMAC per key
 * version and one authenticate-and-issue statement, whatever the outcome.
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
  work: string[] = [];
  override candidateHashes(secret: string): string[] {
    this.work.push(`candidates(${secret.length})`);
    return super.candidateHashes(secret);
  }
  override hash(secret: string): string {
    this.work.push(`hash(${secret.length})`);
    return super.hash(secret);
  }
}

describe('TokenEndpoint constant work (T18)', () => {
  it('unknown client, wrong secret and disabled client: the same hashing and the same single statement', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-t18-')), 'db.sqlite') });
    const keys = new Map([
      [1, randomBytes(32)],
      [2, randomBytes(32)],
    ]);
    const hasher = new CountingHasher(keys, 2);
    const secret = randomSecret();
    for (const [companyId, clientId] of [['LIVE', 'ats_known'], ['GONE', 'ats_disabled']] as const) {
      await store.integrations.insertPending(
        { id: `row-${companyId}`, companyId, tenantId: 't', approvedBy: 'u', issuedClientId: clientId, issuedSecretHash: hasher.hash(secret), issuedSecretPending: 'x' },
        Date.now(),
      );
    }
    await store.integrations.disable('row-GONE', Date.now());
    const statements: string[] = [];
    const issueForClient = store.tokens.issueForClient.bind(store.tokens);
    store.tokens.issueForClient = (...args) => {
      statements.push('issueForClient');
      return issueForClient(...args);
    };
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
      hasher.work = [];
      statements.length = 0;
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
      const outcome = await endpoint.issue({ hasQuery: false, isForm: true, authorization: undefined, body }).then(
        () => 'issued',
        (error: { code: string; description: string }) => `${error.code}: ${error.description}`,
      );
      return { outcome, work: [...hasher.work], statements: [...statements] };
    };
    const wrongSecret = await attempt('ats_known', randomSecret());
    const unknownClient = await attempt('ats_unknown', randomSecret());
    const disabledClient = await attempt('ats_disabled', secret);
    expect(wrongSecret.outcome).toBe('invalid_client: Client authentication failed.');
    expect(unknownClient).toEqual(wrongSecret);
    expect(disabledClient).toEqual(wrongSecret);
    expect(wrongSecret.work).toEqual(['candidates(43)', 'hash(43)']); // the presented secret under each key version, and the token
    expect(wrongSecret.statements).toEqual(['issueForClient']);
    expect((await attempt('ats_known', secret)).outcome).toBe('issued');
    await store.close();
  });
});
