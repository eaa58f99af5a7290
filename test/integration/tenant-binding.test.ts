/**
 * A SmartRecruiters company stays with the tenant whose approval created it (T2, issue 13 finding 1):
 * another tenant's approve never takes it over, whatever state a failed exchange left behind, and
 * sends nothing to SmartRecruiters. Only an explicit act moves it: the partner relinks it, or the
 * integration is disabled and a fresh consent follows. The partner's `authorizeCompany` hook decides
 * who may claim a company at all (the demo's: ids starting ACME are Acme's, GLOBEX Globex's), and
 * claims of companies not bound to the caller are rate-limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../demo/providers/fake-smartrecruiters.js';
import type { IntegrationEvent } from '../../server/events/kit-events.js';
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
const acme = (companyId: string) => new ConsentApi(demo.kitUrl).start(companyId, 'admin@acme.test');
const globex = (companyId: string) => new ConsentApi(demo.kitUrl).start(companyId, 'admin@globex.test');
const atSr = (companyId: string) => [...demo.fakeSr.integrations.values()].filter((integration) => integration.companyId === companyId);

describe('a failed approval keeps the company with its tenant (issue 13 finding 1)', () => {
  it.each<FaultKind>(['status-500', 'status-429', 'status-403', 'delay'])(
    'after %s, another tenant gets 409 with no request to SR, and the first tenant’s retry completes',
    async (fault) => {
      const companyId = nextCompany(`HIJACK-${fault}`);
      const owner = await acme(companyId);
      demo.fakeSr.injectFault(fault);
      expect((await owner.approve()).status).toBeGreaterThanOrEqual(400);

      const requests = demo.fakeSr.counts.integrationRequests;
      const intruder = await globex(companyId);
      const refused = await intruder.approve();
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('ATS_COMPANY_BOUND');
      expect(demo.fakeSr.counts.integrationRequests).toBe(requests); // nothing sent upstream
      expect((await demo.kit.integrations.get(companyId))?.tenantId).toBe('tenant-acme');

      expect((await owner.approve()).status).toBe(200);
      const integration = (await demo.kit.integrations.get(companyId))!;
      expect(integration).toMatchObject({ tenantId: 'tenant-acme', state: 'active' });
      expect(atSr(companyId)).toHaveLength(1);
      expect(atSr(companyId)[0]!.partnerClientId).toBe(integration.issuedClientId);
    },
  );

  it('after an ambiguous failure (SR committed, the answer was lost), the intruder cannot throw away the credentials SR holds', async () => {
    const companyId = nextCompany('HIJACK-DROP');
    const owner = await acme(companyId);
    demo.fakeSr.injectFault('drop');
    expect((await owner.approve()).status).toBe(502);
    const heldBySr = atSr(companyId)[0]!.partnerClientId;
    expect(heldBySr).toBe((await demo.kit.integrations.get(companyId))!.issuedClientId);

    const requests = demo.fakeSr.counts.integrationRequests;
    expect((await (await globex(companyId)).approve()).status).toBe(409);
    expect(demo.fakeSr.counts.integrationRequests).toBe(requests);

    // The owner's retry replays the identical body: SR answers it like the first, no upstream conflict.
    const retry = await owner.approve();
    expect(retry.status).toBe(200);
    expect((await demo.kit.integrations.get(companyId))).toMatchObject({ tenantId: 'tenant-acme', state: 'active', issuedClientId: heldBySr });
  });

  it('a company active for one tenant is refused to another with 409 and no call to SR', async () => {
    const companyId = nextCompany('BOUND');
    expect((await (await acme(companyId)).approve()).status).toBe(200);
    const requests = demo.fakeSr.counts.integrationRequests;
    const response = await (await globex(companyId)).approve();
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('ATS_COMPANY_BOUND');
    expect(demo.fakeSr.counts.integrationRequests).toBe(requests);
    expect((await demo.kit.integrations.get(companyId))!.tenantId).toBe('tenant-acme');
  });

  it('two tenants approving a new company at once: one wins, the other gets 409, one integration at SR', async () => {
    const companyId = nextCompany('RACE');
    const [first, second] = await Promise.all([acme(companyId), globex(companyId)]);
    const responses = await Promise.all([first.approve(), second.approve()]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    expect(atSr(companyId)).toHaveLength(1);
  });
});

describe('contention is audited and announced', () => {
  it('fires integration.contended and writes an audit row naming the contender, without secrets', async () => {
    const companyId = nextCompany('CONTENDED');
    expect((await (await acme(companyId)).approve()).status).toBe(200);
    const events: IntegrationEvent[] = [];
    const off = demo.kit.on('integration.contended', (event) => void events.push(event));
    try {
      expect((await (await globex(companyId)).approve()).status).toBe(409);
      await expect.poll(() => events.length).toBe(1);
    } finally {
      off();
    }
    expect(events[0]!.data).toMatchObject({ companyId, tenantId: 'tenant-acme', contenderTenantId: 'tenant-globex', contenderUserId: 'user-globex-admin' });
    const audit = await demo.kit.audit.list({ companyId });
    expect(audit.find((entry) => entry.event === 'contention')).toMatchObject({
      outcome: 'failure',
      actor: 'user-globex-admin',
      detail: { boundTenantId: 'tenant-acme', contenderTenantId: 'tenant-globex' },
    });
  });
});

describe('the partner decides who may claim a company (authorizeCompany)', () => {
  it('refuses with 403 before anything is stored or sent', async () => {
    const companyId = nextCompany('GLOBEX-OWNED');
    const requests = demo.fakeSr.counts.integrationRequests;
    const response = await (await acme(companyId)).approve();
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('ATS_COMPANY_NOT_AUTHORIZED');
    expect(demo.fakeSr.counts.integrationRequests).toBe(requests);
    expect(await demo.kit.integrations.get(companyId)).toBeUndefined();
    expect((await (await globex(companyId)).approve()).status).toBe(200);
  });
});

describe('the tenant changes only by an explicit act', () => {
  it('relink moves a failed company to another tenant with its pending credentials, and that tenant completes it', async () => {
    const companyId = nextCompany('RELINK');
    demo.fakeSr.injectFault('drop'); // SR holds our credentials; only a replay of the same body can finish
    expect((await (await acme(companyId)).approve()).status).toBe(502);
    const relinked: IntegrationEvent[] = [];
    const off = demo.kit.on('integration.relinked', (event) => void relinked.push(event));
    try {
      expect(await demo.kit.integrations.relink(companyId, 'tenant-globex', { actor: 'support@partner' })).toBe(true);
      expect(await demo.kit.integrations.relink(companyId, 'tenant-globex')).toBe(false); // already there
      await expect.poll(() => relinked.length).toBe(1);
    } finally {
      off();
    }
    expect(relinked[0]!.data).toMatchObject({ companyId, tenantId: 'tenant-globex', previousTenantId: 'tenant-acme' });
    expect((await (await globex(companyId)).approve()).status).toBe(200);
    expect((await (await acme(companyId)).approve()).status).toBe(409);
    expect(atSr(companyId)).toHaveLength(1);
  });

  it('a disabled integration binds nobody: a fresh consent by another tenant starts over with new credentials', async () => {
    const companyId = nextCompany('DISABLED');
    expect((await (await acme(companyId)).approve()).status).toBe(200);
    const before = (await demo.kit.integrations.get(companyId))!.issuedClientId;
    expect(await demo.kit.integrations.disable(companyId)).toBe(true);
    demo.fakeSr.integrations.delete(companyId); // SmartRecruiters' side of the disable
    expect((await (await globex(companyId)).approve()).status).toBe(200);
    const after = (await demo.kit.integrations.get(companyId))!;
    expect(after.tenantId).toBe('tenant-globex');
    expect(after.issuedClientId).not.toBe(before);
  });
});

describe('claims of companies not bound to the caller are rate-limited', () => {
  it('answers 429 with Retry-After past the per-user limit, sends nothing, and the caller’s own companies still work', async () => {
    const limited = await startTestDemo({ kitOptions: { companyClaims: { maxPerUser: 3, maxPerTenant: 10, windowSeconds: 600 } } });
    try {
      const owned = await new ConsentApi(limited.kitUrl).start('CLAIM-0', 'admin@acme.test');
      expect((await owned.approve()).status).toBe(200);
      for (const companyId of ['CLAIM-1', 'CLAIM-2']) {
        expect((await (await new ConsentApi(limited.kitUrl).start(companyId, 'admin@acme.test')).approve()).status).toBe(200);
      }
      const requests = limited.fakeSr.counts.integrationRequests;
      const throttled = await (await new ConsentApi(limited.kitUrl).start('CLAIM-3', 'admin@acme.test')).approve();
      expect(throttled.status).toBe(429);
      expect(throttled.body.error).toBe('ATS_COMPANY_CLAIMS_THROTTLED');
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.fakeSr.counts.integrationRequests).toBe(requests);
      expect(await limited.kit.integrations.get('CLAIM-3')).toBeUndefined();
      expect((await owned.approve()).status).toBe(200); // approving its own company again is no claim
      // Another user of another tenant has a budget of their own.
      expect((await (await new ConsentApi(limited.kitUrl).start('CLAIM-4', 'admin@globex.test')).approve()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
