/**
 * The credential exchange against the fake SmartRecruiters over real HTTP (seed 001 §2–4), one test
 * per fault, each ending with a retry that converges: exactly one integration at SR, one row here,
 * nothing lost (reference/security.md T32–T35).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../demo/providers/fake-smartrecruiters.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let demo: TestDemo;
beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000, faultDelayMs: 1_500 });
});
afterAll(async () => {
  await demo?.stop();
});

let companyCounter = 0;
const nextCompany = (label: string) => `${label}-${++companyCounter}`;

describe('approve happy path (seed 001 §2–3)', () => {
  it('creates one integration at SR and one active row, with SR credentials stored encrypted', async () => {
    const companyId = nextCompany('HAPPY');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    const response = await api.approve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'approved', companyId });

    const atSr = demo.fakeSr.integrations.get(companyId)!;
    expect(atSr.appId).toBe('demo-app');
    expect(atSr.partnerClientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const row = (await demo.kit.store.integrations.findByCompany(companyId))!;
    expect(row.state).toBe('active');
    expect(row.issued_client_id).toBe(atSr.partnerClientId);
    expect(row.issued_secret_pending).toBeNull(); // confirmed by SR: the encrypted copy is gone
    expect(row.sr_credentials).not.toContain(atSr.srClientSecret);
    expect(row.issued_secret_hash).not.toContain(atSr.partnerClientSecret!);
    expect(await demo.kit.integrations.smartRecruitersCredentials(companyId)).toEqual({
      clientId: atSr.srClientId,
      clientSecret: atSr.srClientSecret,
    });
  });

  it('reuses the cached master token across approvals (one token request per lifetime)', async () => {
    const before = demo.fakeSr.counts.tokenRequests;
    for (let i = 0; i < 3; i += 1) {
      const api = await new ConsentApi(demo.kitUrl).start(nextCompany('CACHED'));
      expect((await api.approve()).status).toBe(200);
    }
    expect(demo.fakeSr.counts.tokenRequests - before).toBeLessThanOrEqual(1);
  });

  it('approving an already active company again answers approved without calling SR', async () => {
    const companyId = nextCompany('TWICE');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    expect((await api.approve()).status).toBe(200);
    const calls = demo.fakeSr.counts.integrationRequests;
    expect((await api.approve()).status).toBe(200);
    expect(demo.fakeSr.counts.integrationRequests).toBe(calls);
  });
});

describe('master token renewed once on a 401 (T32)', () => {
  it('a single 401 renews the token and replays the call once', async () => {
    const companyId = nextCompany('RENEW');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    await api.approve(); // warm the token cache
    demo.fakeSr.revokeTokens();
    const other = await new ConsentApi(demo.kitUrl).start(nextCompany('RENEWED'));
    const tokensBefore = demo.fakeSr.counts.tokenRequests;
    expect((await other.approve()).status).toBe(200);
    expect(demo.fakeSr.counts.tokenRequests - tokensBefore).toBe(1);
  });

  it('a 401 on the replay too is reported, not looped', async () => {
    const api = await new ConsentApi(demo.kitUrl).start(nextCompany('NOLOOP'));
    demo.fakeSr.injectFault('status-401', 2);
    const requestsBefore = demo.fakeSr.counts.integrationRequests;
    const response = await api.approve();
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ error: 'ATS_UPSTREAM_UNAUTHORIZED', retryable: true });
    expect(demo.fakeSr.counts.integrationRequests - requestsBefore).toBe(2);
    expect((await api.approve()).status).toBe(200);
  });
});

const FAULTS: Array<{ fault: FaultKind; status: number; error: string; committedFirst: boolean }> = [
  { fault: 'status-403', status: 502, error: 'ATS_UPSTREAM_FORBIDDEN', committedFirst: false },
  { fault: 'status-409', status: 409, error: 'ATS_UPSTREAM_CONFLICT', committedFirst: false },
  { fault: 'status-429', status: 503, error: 'ATS_UPSTREAM_RATE_LIMITED', committedFirst: false },
  { fault: 'status-500', status: 502, error: 'ATS_UPSTREAM_UNAVAILABLE', committedFirst: false },
  { fault: 'delay', status: 504, error: 'ATS_UPSTREAM_TIMEOUT', committedFirst: true },
  { fault: 'malformed', status: 502, error: 'ATS_UPSTREAM_BAD_RESPONSE', committedFirst: true },
  { fault: 'drop', status: 502, error: 'ATS_UPSTREAM_UNAVAILABLE', committedFirst: true },
];

describe('upstream faults: a clear retryable error, then a retry that converges (T33, T34)', () => {
  it.each(FAULTS)('$fault → $status $error, retry → one integration', async ({ fault, status, error, committedFirst }) => {
    const companyId = nextCompany(fault.toUpperCase());
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    demo.fakeSr.injectFault(fault);

    const failed = await api.approve();
    expect(failed.status).toBe(status);
    expect(failed.body).toMatchObject({ error, retryable: true });
    expect(String(failed.body.error_description)).toMatch(/retry/i);
    if (fault === 'status-429') expect(failed.headers.get('retry-after')).toBe('2');
    expect(demo.fakeSr.integrations.has(companyId)).toBe(committedFirst);

    const row = (await demo.kit.store.integrations.findByCompany(companyId))!;
    expect(row.state).toBe('failed');
    expect(row.last_error).toBe(error);
    expect(row.issued_secret_pending).not.toBeNull(); // nothing lost: the same credentials go out again

    const retried = await api.approve();
    expect(retried.status).toBe(200);
    const atSr = [...demo.fakeSr.integrations.values()].filter((integration) => integration.companyId === companyId);
    expect(atSr).toHaveLength(1);
    expect(atSr[0]!.partnerClientId).toBe(row.issued_client_id);
    const active = (await demo.kit.store.integrations.findByCompany(companyId))!;
    expect(active.state).toBe('active');
    expect(active.sr_integration_id).toBe(atSr[0]!.integrationId);

    const exchanges = (await demo.kit.audit.list({ companyId })).filter((entry) => entry.event === 'exchange');
    expect(exchanges.map((entry) => entry.outcome)).toEqual(['failure', 'success']);
    expect(exchanges[0]!.detail).toMatchObject({ code: error });
  });

  it('a company SR already integrated with other credentials: 409, pending credentials kept', async () => {
    const companyId = nextCompany('TAKEN');
    demo.fakeSr.integrations.set(companyId, {
      integrationId: 'pre-existing',
      companyId,
      appId: 'demo-app',
      partnerClientId: 'someone-else',
      partnerClientSecret: 'x',
      srClientId: 'sr',
      srClientSecret: 'sr-secret',
      createdAt: new Date().toISOString(),
    });
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    const response = await api.approve();
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('ATS_UPSTREAM_CONFLICT');
    expect(demo.fakeSr.integrations.get(companyId)!.integrationId).toBe('pre-existing');
    expect((await demo.kit.store.integrations.findByCompany(companyId))!.issued_secret_pending).not.toBeNull();
  });
});

describe('idempotent approve (T3 e, T35)', () => {
  it('20 concurrent approvals from one session create one integration at SR and one row', async () => {
    const companyId = nextCompany('CONCURRENT');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    const before = demo.fakeSr.counts.integrationRequests;
    const responses = await Promise.all(Array.from({ length: 20 }, () => api.approve()));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(demo.fakeSr.counts.integrationRequests - before).toBe(1);
    expect((await demo.kit.integrations.list()).filter((row) => row.companyId === companyId)).toHaveLength(1);
  });

  it('two tabs (two sessions) approving at once give one integration', async () => {
    const companyId = nextCompany('TABS');
    const tabs = await Promise.all([new ConsentApi(demo.kitUrl).start(companyId), new ConsentApi(demo.kitUrl).start(companyId)]);
    const responses = await Promise.all(tabs.flatMap((tab) => [tab.approve(), tab.approve()]));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect([...demo.fakeSr.integrations.values()].filter((integration) => integration.companyId === companyId)).toHaveLength(1);
  });
});

describe('another process holds the exchange lease (T35)', () => {
  it('approve waits for the holder and returns its outcome without calling SR itself', async () => {
    const companyId = nextCompany('LEASED');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    // Act as a second kit instance: create the pending row and take the lease first.
    const store = demo.kit.store;
    await store.integrations.insertPending(
      { id: `other-${companyId}`, companyId, tenantId: 'tenant-acme', approvedBy: 'user-acme-admin', issuedClientId: `other-${companyId}`, issuedSecretHash: 'v1.x', issuedSecretPending: 'v1.y' },
      Date.now(),
    );
    expect(await store.integrations.acquireLease(companyId, 'other-instance', Date.now() + 60_000, Date.now())).toBe(true);
    const requests = demo.fakeSr.counts.integrationRequests;
    const waiting = api.approve();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.integrations.activate(companyId, 'other-instance', { srCredentials: 'v1.z', srIntegrationId: 'from-other' }, Date.now());
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(demo.fakeSr.counts.integrationRequests).toBe(requests);
    expect((await demo.kit.integrations.get(companyId))?.srIntegrationId).toBe('from-other');
  });

  it('a lease left by a crashed process expires and the next approve completes the exchange', async () => {
    const companyId = nextCompany('CRASHED');
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    demo.fakeSr.injectFault('status-500');
    expect((await api.approve()).status).toBe(502); // a row with pending credentials now exists
    const store = demo.kit.store;
    expect(await store.integrations.acquireLease(companyId, 'crashed-instance', Date.now() + 200, Date.now())).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api.approve()).status).toBe(200);
    expect((await demo.kit.integrations.get(companyId))?.state).toBe('active');
  });
});
