/**
 * T18: an unknown client, a wrong secret and a disabled client cost the same work and get the same
 * answer. Timing itself is measured by `npm run bench`; here the work is counted: one HMAC per key
 * version, one authenticate-and-issue statement, and one throttle check and update keyed by the
 * presented client id, whatever the outcome and whether or not the id exists.
 *
 * The throttle is counted because it is the one cost that varies (issue 13, finding 11): it grows
 * with the failures the id has had in the window. Measured in-process with interleaved pairs, a
 * known id reused thousands of times against fresh unknown ids differed by ~110-130 µs at the
 * median, the same known id against one reused unknown id by 0.2-2 µs (two unknown ids: ±1 µs),
 * and with the throttle stubbed out the first comparison also fell to <1 µs
 * (test/bench/token-endpoint-timing.ts). So the work depends on an id's history, never on its
 * existence, which is what the per-attempt counts below pin down.
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

class CountingThrottle extends FailureThrottle {
  work: string[] = [];
  override retryAfterSeconds(key: string, limit: number): number {
    this.work.push(`throttle.check(${key.replace(/:.*/, ':<id>')}, ${limit})`);
    return super.retryAfterSeconds(key, limit);
  }
  override recordFailure(key: string, limit: number): void {
    this.work.push(`throttle.record(${key.replace(/:.*/, ':<id>')}, ${limit})`);
    super.recordFailure(key, limit);
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
    const throttle = new CountingThrottle({ windowSeconds: 60 });
    const endpoint = new TokenEndpoint({
      store,
      hasher,
      throttle,
      realm: 'https://partner.example',
      lifetimeSeconds: 3600,
      allowedScopes: [],
      maxFailuresPerClient: 1000,
      previousSecretGraceMs: 0,
      now: Date.now,
    });
    const attempt = async (clientId: string, clientSecret: string) => {
      hasher.work = [];
      throttle.work = [];
      statements.length = 0;
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
      const outcome = await endpoint.issue({ hasQuery: false, isForm: true, authorization: undefined, body }).then(
        () => 'issued',
        (error: { code: string; description: string }) => `${error.code}: ${error.description}`,
      );
      return { outcome, work: [...hasher.work, ...throttle.work], statements: [...statements] };
    };
    const wrongSecret = await attempt('ats_known', randomSecret());
    const unknownClient = await attempt('ats_unknown', randomSecret());
    const disabledClient = await attempt('ats_disabled', secret);
    expect(wrongSecret.outcome).toBe('invalid_client: Client authentication failed.');
    expect(unknownClient).toEqual(wrongSecret);
    expect(disabledClient).toEqual(wrongSecret);
    // The presented secret under each key version, the token (issuance time + 43), and the throttle for the presented id.
    expect(wrongSecret.work).toEqual(['candidates(43)', 'hash(53)', 'throttle.check(client:<id>, 1000)', 'throttle.record(client:<id>, 1000)']);
    expect(wrongSecret.statements).toEqual(['issueForClient']);
    expect((await attempt('ats_known', secret)).outcome).toBe('issued');
    await store.close();
  });
});
