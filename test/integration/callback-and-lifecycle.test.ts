/**
 * What SmartRecruiters calls after the consent (seed 001 §1 `callbackUrl`) and the lifecycle API:
 * RFC 6750 §3 bearer errors, the INTEGRATION_DISABLED callback (T24, T25), partner events and the
 * signed webhook, partner-side disable, rotation, and SR access tokens for the partner's code.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../server/events/webhook-signature.js';
import type { IntegrationEvent } from '../../server/events/kit-events.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';
import { connectCompany, requestToken, type IssuedCredentials } from '../helpers/integration-fixture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const WEBHOOK_SECRET = 'w'.repeat(40);
let demo: TestDemo;
let receiver: WebhookReceiver;
let callbackUrl: string;
const events: IntegrationEvent[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver({ verifyWith: WEBHOOK_SECRET });
  demo = await startTestDemo({ kitOptions: { webhook: { url: receiver.url, secret: WEBHOOK_SECRET } } });
  callbackUrl = demo.kitUrl + demo.kit.paths.callback;
  for (const type of ['integration.enabled', 'integration.disabled', 'integration.failed'] as const) demo.kit.on(type, (event) => void events.push(event));
});
afterAll(async () => {
  await demo?.stop();
  await receiver?.stop();
});

async function tokenFor(credentials: IssuedCredentials): Promise<string> {
  const response = await requestToken(demo.kitUrl + demo.kit.paths.token, {
    form: { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret },
  });
  return String(response.body.access_token);
}

const callback = (token: string | undefined, body: string, headers: Record<string, string> = {}) =>
  fetch(callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });

const DISABLED = JSON.stringify({ eventType: 'INTEGRATION_DISABLED' });

const signedHeaders = (delivery: { headers: Record<string, string | string[] | undefined> }) => ({
  id: delivery.headers['x-ats-event-id'] as string,
  timestamp: delivery.headers['x-ats-timestamp'] as string,
  signature: delivery.headers['x-ats-signature'] as string,
});

describe('RFC 6750 §3 bearer errors on the callback (T24)', () => {
  it.each<[string, Record<string, string>, string, number, string]>([
    ['no credentials', {}, '', 401, `Bearer realm="REALM"`],
    ['another scheme', { authorization: 'Basic YTpi' }, '', 401, `Bearer realm="REALM"`],
    ['a malformed bearer header', { authorization: 'Bearer a b' }, '', 400, 'error="invalid_request"'],
    ['an unknown token', { authorization: 'Bearer ' + 'x'.repeat(43) }, '', 401, 'error="invalid_token"'],
    ['a token in the query string (§2.3)', {}, '?access_token=abc', 400, 'error="invalid_request"'],
  ])('%s → %i', async (_name, headers, query, status, challenge) => {
    const response = await fetch(callbackUrl + query, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: DISABLED });
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toContain(challenge.replace('REALM', demo.kitUrl));
    if (status === 401 && !challenge.includes('error=')) expect(response.headers.get('www-authenticate')).not.toContain('error=');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('authenticates before reading the body: no token + a 1 MB body → 401, not 413', async () => {
    const response = await callback(undefined, 'x'.repeat(1_000_000));
    expect(response.status).toBe(401);
  });
});

describe('INTEGRATION_DISABLED callback (seed 001 §1, T24, T25)', () => {
  it('disables only the token’s integration, revokes its credentials and tokens, audits, and tells the partner', async () => {
    const a = await connectCompany(demo, 'CB-A');
    const b = await connectCompany(demo, 'CB-B');
    const tokenA = await tokenFor(a);
    const tokenB = await tokenFor(b);
    const response = await callback(tokenA, DISABLED);
    expect(response.status).toBe(204);

    expect((await demo.kit.integrations.get('CB-A'))?.state).toBe('disabled');
    expect((await demo.kit.integrations.get('CB-B'))?.state).toBe('active');
    expect((await requestToken(demo.kitUrl + demo.kit.paths.token, { form: { grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret } })).status).toBe(401);
    const check = (token: string) => fetch(demo.kitUrl + demo.kit.paths.integrationCheck, { headers: { authorization: `Bearer ${token}` } });
    expect((await check(tokenA)).status).toBe(401);
    expect((await check(tokenB)).status).toBe(200);
    expect(await demo.kit.integrations.smartRecruitersCredentials('CB-A')).toBeUndefined();

    const audit = (await demo.kit.audit.list({ companyId: 'CB-A' })).filter((entry) => entry.event === 'disable');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', actor: 'smartrecruiters' })]);
    expect(events.filter((event) => event.type === 'integration.disabled' && event.data.companyId === 'CB-A')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ companyId: 'CB-A', tenantId: 'tenant-acme', disabledBy: 'smartrecruiters' }) }),
    ]);
  });

  it('a repeated delivery answers the same 204 and changes nothing', async () => {
    const c = await connectCompany(demo, 'CB-REPEAT');
    const token = await tokenFor(c);
    const first = await Promise.all([callback(token, DISABLED), callback(token, DISABLED)]);
    const again = await callback(token, DISABLED);
    expect([...first, again].map((response) => response.status)).toEqual([204, 204, 204]);
    const disables = (await demo.kit.audit.list({ companyId: 'CB-REPEAT' })).filter((entry) => entry.event === 'disable');
    expect(disables.filter((entry) => entry.outcome === 'success')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'integration.disabled' && event.data.companyId === 'CB-REPEAT')).toHaveLength(1);
  });

  it('an unknown event type is acknowledged (204), logged, and changes nothing', async () => {
    const d = await connectCompany(demo, 'CB-UNKNOWN');
    const response = await callback(await tokenFor(d), JSON.stringify({ eventType: 'SOMETHING_NEW' }));
    expect(response.status).toBe(204);
    expect((await demo.kit.integrations.get('CB-UNKNOWN'))?.state).toBe('active');
    expect(demo.logs.join('')).toContain('unknown SmartRecruiters callback event');
  });

  it.each([
    ['text/plain', 'eventType=INTEGRATION_DISABLED', 415],
    ['application/json', '{"eventType":', 400],
    ['application/json', '[]', 400],
    ['application/json', '{"eventType":42}', 400],
    ['application/json', JSON.stringify({ eventType: 'INTEGRATION_DISABLED', pad: 'x'.repeat(10_000) }), 413],
  ])('%s body %j → %i and nothing changes', async (type, body, status) => {
    const companyId = `CB-BAD-${status}-${Math.random().toString(36).slice(2, 6)}`;
    const e = await connectCompany(demo, companyId);
    const response = await callback(await tokenFor(e), body, { 'content-type': type });
    expect(response.status).toBe(status);
    expect((await demo.kit.integrations.get(companyId))?.state).toBe('active');
  });
});

describe('partner events and the signed webhook (item 4)', () => {
  it('integration.enabled and integration.disabled reach the webhook, signed over id.timestamp.body (v2)', async () => {
    const start = receiver.received.length;
    await connectCompany(demo, 'HOOKED');
    await demo.kit.integrations.disable('HOOKED', { actor: 'support@partner' });
    await receiver.waitFor(start + 2);
    const deliveries = receiver.received.slice(start).map((delivery) => ({ delivery, event: JSON.parse(delivery.body) as IntegrationEvent }));
    const mine = deliveries.filter(({ event }) => event.data.companyId === 'HOOKED');
    expect(mine.map(({ event }) => event.type).sort()).toEqual(['integration.disabled', 'integration.enabled']);
    for (const { delivery, event } of mine) {
      const headers = signedHeaders(delivery);
      expect(headers.signature).toMatch(/^v2=[0-9a-f]{64}$/); // v2 only: no v1 entry, which left the id unsigned
      expect(verifyWebhookSignature(WEBHOOK_SECRET, headers, delivery.body)).toBe(true);
      expect(verifyWebhookSignature(WEBHOOK_SECRET, headers, delivery.body.replace('HOOKED', 'HACKED'))).toBe(false);
      expect(verifyWebhookSignature('another-secret-of-the-same-length-xxxxxxx', headers, delivery.body)).toBe(false);
      expect(verifyWebhookSignature(WEBHOOK_SECRET, headers, delivery.body, { now: Date.now() + 10 * 60_000 })).toBe(false);
      expect(delivery.headers['x-ats-event-id']).toBe(event.id);
      expect(delivery.body).not.toMatch(/secret/i);
    }
    expect(mine.find(({ event }) => event.type === 'integration.disabled')!.event.data.disabledBy).toBe('partner');
  });

  it('the event id is signed: a captured delivery replayed with another X-Ats-Event-Id is refused (finding 8, T24)', async () => {
    const start = receiver.received.length;
    await connectCompany(demo, 'HOOK-REPLAY');
    await receiver.waitFor(start + 1);
    const captured = receiver.received.slice(start).find((delivery) => delivery.body.includes('HOOK-REPLAY'))!;
    const headers = signedHeaders(captured);
    expect(receiver.processed.filter((id) => id === headers.id)).toHaveLength(1);

    // The attack: the same bytes, within the 5-minute tolerance, under a fresh id to pass deduplication.
    const replay = (id: string) =>
      fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ats-event-id': id, 'x-ats-timestamp': headers.timestamp, 'x-ats-signature': headers.signature },
        body: captured.body,
      });
    const freshId = randomUUID();
    const processedBefore = receiver.processed.length;
    expect((await replay(freshId)).status).toBe(401);
    expect(receiver.processed).toHaveLength(processedBefore);
    expect(receiver.processed).not.toContain(freshId);
    // Replayed under its own id it verifies, and deduplication makes it a no-op.
    expect((await replay(headers.id)).status).toBe(204);
    expect(receiver.processed).toHaveLength(processedBefore);

    expect(verifyWebhookSignature(WEBHOOK_SECRET, headers, captured.body)).toBe(true);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, { ...headers, id: freshId }, captured.body)).toBe(false);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, { ...headers, id: undefined }, captured.body)).toBe(false);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, { ...headers, timestamp: String(Number(headers.timestamp) - 1) }, captured.body)).toBe(false);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, headers, captured.body.replace('HOOK-REPLAY', 'HOOK-REPLAZ'))).toBe(false);
    // A version-1 signature (timestamp.body, made with the right secret) is never accepted.
    const v1 = 'v1=' + createHmac('sha256', WEBHOOK_SECRET).update(`${headers.timestamp}.${captured.body}`).digest('hex');
    expect(verifyWebhookSignature(WEBHOOK_SECRET, { ...headers, signature: v1 }, captured.body)).toBe(false);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, { ...headers, signature: `${v1} ${headers.signature}` }, captured.body)).toBe(true);
  });

  it('a failing webhook is retried until delivered; nothing is lost', async () => {
    receiver.failNext(2);
    const start = receiver.received.length;
    await connectCompany(demo, 'HOOK-RETRY');
    await receiver.waitFor(start + 1, 20_000);
    await demo.kit.webhookIdle(); // the receiver has it; let the kit record the delivery
    expect(JSON.parse(receiver.received.at(-1)!.body).data.companyId).toBe('HOOK-RETRY');
    const outbox = (await demo.kit.store.outbox.list()).filter((row) => row.payload.includes('HOOK-RETRY'));
    expect(outbox[0]!.attempts).toBeGreaterThanOrEqual(3);
    expect(outbox[0]!.delivered_at).not.toBeNull();
  });

  it('integration.failed fires when the exchange fails', async () => {
    demo.fakeSr.injectFault('status-500');
    await expect(connectCompany(demo, 'HOOK-FAIL')).rejects.toThrow(/502/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((event) => event.type === 'integration.failed' && event.data.companyId === 'HOOK-FAIL')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ errorCode: 'ATS_UPSTREAM_UNAVAILABLE' }) }),
    ]);
  });
});

describe('lifecycle API (item 4)', () => {
  it('smartRecruitersAccessToken: SR customer-level credentials → a cached token, one request for 50 callers', async () => {
    await connectCompany(demo, 'SR-TOKEN');
    const before = demo.fakeSr.counts.tokenRequests;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => demo.kit.integrations.smartRecruitersAccessToken('SR-TOKEN')));
    expect(new Set(tokens).size).toBe(1);
    expect(demo.fakeSr.counts.tokenRequests - before).toBe(1);
    expect(await demo.kit.integrations.smartRecruitersAccessToken('SR-TOKEN')).toBe(tokens[0]);
    expect(demo.fakeSr.counts.tokenRequests - before).toBe(1);
  });

  it('smartRecruitersAccessToken for a company without an active integration → ATS_INTEGRATION_NOT_ACTIVE', async () => {
    await expect(demo.kit.integrations.smartRecruitersAccessToken('NOBODY')).rejects.toMatchObject({ code: 'ATS_INTEGRATION_NOT_ACTIVE' });
  });

  it('rotateCredentials: SR receives a new secret for the same client id; old works during the grace period, new works at once', async () => {
    const old = await connectCompany(demo, 'ROTATE');
    await demo.kit.integrations.rotateCredentials('ROTATE');
    const atSr = demo.fakeSr.integrations.get('ROTATE')!;
    expect(atSr.partnerClientId).toBe(old.clientId);
    expect(atSr.partnerClientSecret).not.toBe(old.clientSecret);
    const tokenUrl = demo.kitUrl + demo.kit.paths.token;
    const form = (secret: string) => ({ form: { grant_type: 'client_credentials', client_id: old.clientId, client_secret: secret } });
    expect((await requestToken(tokenUrl, form(atSr.partnerClientSecret!))).status).toBe(200);
    expect((await requestToken(tokenUrl, form(old.clientSecret))).status).toBe(200);
    expect((await demo.kit.integrations.get('ROTATE'))?.rotationPending).toBe(false);
  });

  it('a rotation SR does not confirm stays pending; the old secret keeps working and a retry sends the same new secret', async () => {
    const old = await connectCompany(demo, 'ROTATE-RETRY');
    demo.fakeSr.injectFault('status-500');
    await expect(demo.kit.integrations.rotateCredentials('ROTATE-RETRY')).rejects.toMatchObject({ code: 'ATS_UPSTREAM_UNAVAILABLE' });
    expect((await demo.kit.integrations.get('ROTATE-RETRY'))?.rotationPending).toBe(true);
    const tokenUrl = demo.kitUrl + demo.kit.paths.token;
    expect((await requestToken(tokenUrl, { form: { grant_type: 'client_credentials', client_id: old.clientId, client_secret: old.clientSecret } })).status).toBe(200);
    demo.fakeSr.injectFault('delay');
    await expect(demo.kit.integrations.rotateCredentials('ROTATE-RETRY')).rejects.toMatchObject({ code: 'ATS_UPSTREAM_TIMEOUT' });
    const sentDuringTimeout = demo.fakeSr.integrations.get('ROTATE-RETRY')!.partnerClientSecret;
    await demo.kit.integrations.rotateCredentials('ROTATE-RETRY');
    expect(demo.fakeSr.integrations.get('ROTATE-RETRY')!.partnerClientSecret).toBe(sentDuringTimeout);
  });

  it('disable from the partner side is idempotent', async () => {
    await connectCompany(demo, 'PARTNER-OFF');
    expect(await demo.kit.integrations.disable('PARTNER-OFF')).toBe(true);
    expect(await demo.kit.integrations.disable('PARTNER-OFF')).toBe(false);
    expect(await demo.kit.integrations.disable('NEVER-CONNECTED')).toBe(false);
  });

  it('tokens issued before a disable stay dead when the company is connected again, even by another tenant', async () => {
    const old = await connectCompany(demo, 'REVIVE');
    const token = await tokenFor(old);
    expect((await callback(token, DISABLED)).status).toBe(204);
    demo.fakeSr.integrations.delete('REVIVE');
    const fresh = await connectCompany(demo, 'REVIVE', 'admin@globex.test');
    expect(fresh.clientId).not.toBe(old.clientId);
    expect((await demo.kit.integrations.get('REVIVE'))?.tenantId).toBe('tenant-globex');
    const check = await fetch(demo.kitUrl + demo.kit.paths.integrationCheck, { headers: { authorization: `Bearer ${token}` } });
    expect(check.status).toBe(401);
    expect((await callback(token, DISABLED)).status).toBe(401); // cannot disable the new integration
    expect((await demo.kit.integrations.get('REVIVE'))?.state).toBe('active');
  });

  it('a disabled company can be connected again with new credentials', async () => {
    const first = await connectCompany(demo, 'COMEBACK');
    await demo.kit.integrations.disable('COMEBACK');
    demo.fakeSr.integrations.delete('COMEBACK'); // SR's side was disabled too
    const second = await connectCompany(demo, 'COMEBACK');
    expect(second.clientId).not.toBe(first.clientId);
    expect((await demo.kit.integrations.get('COMEBACK'))?.state).toBe('active');
  });
});

describe('the fake SmartRecruiters plays its side (item 7)', () => {
  it('"Disable integration": SR gets a token from our endpoint, checks it strictly, and the callback disables', async () => {
    await connectCompany(demo, 'SR-DISABLES');
    const outcome = await demo.fakeSr.disable('SR-DISABLES');
    expect(outcome).toEqual({ companyId: 'SR-DISABLES', tokenStatus: 200, callbackStatus: 204, problems: [] });
    expect((await demo.kit.integrations.get('SR-DISABLES'))?.state).toBe('disabled');
  });
});

describe('INTEGRATION_DISABLED in the middle of the exchange (T35)', () => {
  it('the disable wins: the approval reports it and nothing is left active', async () => {
    const api = await new ConsentApi(demo.kitUrl).start('MID-SETUP');
    demo.fakeSr.options.faultDelayMs = 800; // SR commits, then answers slowly but within our timeout
    demo.fakeSr.injectFault('delay');
    const approving = api.approve();
    // SR already holds our pending credentials: it gets a token and disables before answering us.
    let atSr = demo.fakeSr.integrations.get('MID-SETUP');
    while (!atSr) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      atSr = demo.fakeSr.integrations.get('MID-SETUP');
    }
    const token = await tokenFor({ clientId: atSr.partnerClientId!, clientSecret: atSr.partnerClientSecret! });
    expect((await callback(token, DISABLED)).status).toBe(204);
    const response = await approving;
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('ATS_INTEGRATION_DISABLED');
    const row = (await demo.kit.store.integrations.findByCompany('MID-SETUP'))!;
    expect(row.state).toBe('disabled');
    expect(row.sr_credentials).toBeNull();
    expect(row.issued_secret_pending).toBeNull();
  });
});
