/**
 * Two kit processes behind one (imaginary) load balancer, sharing one real PostgreSQL: whichever
 * instance a request reaches, the flow works (issue 3 item 6). The fake SmartRecruiters runs here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { requestToken } from '../helpers/integration-fixture.js';
import { startKitProcess, type KitProcess } from '../helpers/kit-process.js';
import { createDatabase } from '../helpers/postgres.js';

let fakeSr: FakeSmartRecruiters;
let srServer: Server;
let a: KitProcess;
let b: KitProcess;
let publicOrigin: string;

beforeAll(async () => {
  fakeSr = new FakeSmartRecruiters({ appId: 'app', masterClientId: 'master', masterClientSecret: 'master-secret' });
  srServer = createServer(fakeSr.handle);
  await new Promise<void>((resolve) => srServer.listen(0, '127.0.0.1', resolve));
  const srUrl = `http://127.0.0.1:${(srServer.address() as AddressInfo).port}`;
  // The public URL of the pair; requests below go to each instance directly with this Origin.
  publicOrigin = 'http://localhost:8443';
  const env = {
    ATS_PUBLIC_URL: publicOrigin,
    ATS_PARTNER_NAME: 'Two Instances',
    ATS_SR_API_BASE_URL: srUrl,
    ATS_SR_APP_ID: 'app',
    ATS_SR_CLIENT_ID: 'master',
    ATS_SR_CLIENT_SECRET: 'master-secret',
    ATS_SR_ALLOWED_ORIGINS: srUrl,
    ATS_SESSION_SECRET: 's'.repeat(40),
    ATS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    ATS_DATABASE_URL: await createDatabase(inject('postgresUrl'), 'twoinstances'),
    ATS_USERS_FILE: 'demo/users.example.json',
  };
  [a, b] = await Promise.all([startKitProcess(env), startKitProcess(env)]);
  fakeSr.links = { consentUrl: '', returnUrl: '', oauthTokenUrl: `${b.url}/ats/oauth/token`, callbackUrl: `${b.url}/ats/smartrecruiters/callback` };
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await new Promise<void>((resolve) => srServer?.close(() => resolve()));
});

const credentialsOf = (companyId: string) => {
  const row = fakeSr.integrations.get(companyId)!;
  return { grant_type: 'client_credentials', client_id: row.partnerClientId!, client_secret: row.partnerClientSecret! };
};

describe('two kit instances on one PostgreSQL', () => {
  it('a consent begun on instance A completes on instance B', async () => {
    const onA = await new ConsentApi(a.url, '/ats/consent', publicOrigin).start('SHARED-1');
    const onB = new ConsentApi(b.url, '/ats/consent', publicOrigin);
    onB.session = onA.session;
    onB.csrf = onA.csrf;
    const response = await onB.approve();
    expect(response.status).toBe(200);
    expect(fakeSr.integrations.has('SHARED-1')).toBe(true);
  });

  it('concurrent approvals spread over both instances give one integration (the lease works across processes)', async () => {
    const session = await new ConsentApi(a.url, '/ats/consent', publicOrigin).start('SHARED-RACE');
    const clients = [a, b].map((instance) => Object.assign(new ConsentApi(instance.url, '/ats/consent', publicOrigin), { session: session.session, csrf: session.csrf }));
    const before = fakeSr.counts.integrationRequests;
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 2]!.approve()));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(fakeSr.counts.integrationRequests - before).toBe(1);
  });

  it('a token issued by A is accepted by B, and a disable delivered to B revokes the tokens A issued', async () => {
    const issued = await requestToken(`${a.url}/ats/oauth/token`, { form: credentialsOf('SHARED-1') });
    expect(issued.status).toBe(200);
    const token = String(issued.body.access_token);
    const check = (instance: KitProcess) => fetch(`${instance.url}/ats/smartrecruiters/integration`, { headers: { authorization: `Bearer ${token}` } });
    expect((await check(b)).status).toBe(200);

    const disabled = await fetch(`${b.url}/ats/smartrecruiters/callback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'INTEGRATION_DISABLED' }),
    });
    expect(disabled.status).toBe(204);
    expect((await check(a)).status).toBe(401);
    expect((await requestToken(`${a.url}/ats/oauth/token`, { form: credentialsOf('SHARED-1') })).status).toBe(401);
  });

  it('the fake SmartRecruiters disables through instance B (its token endpoint and callback)', async () => {
    const credentials = credentialsOf('SHARED-RACE');
    expect((await requestToken(`${a.url}/ats/oauth/token`, { form: credentials })).status).toBe(200);
    const outcome = await fakeSr.disable('SHARED-RACE');
    expect(outcome).toEqual({ companyId: 'SHARED-RACE', tokenStatus: 200, callbackStatus: 204, problems: [] });
    expect((await requestToken(`${a.url}/ats/oauth/token`, { form: credentials })).status).toBe(401);
  });
});
