/**
 * The partner API (issue 14) over real HTTP on loopback, on the shared PostgreSQL, with a second
 * kit instance on the same database: keys and scopes, tenant restriction, revocation across
 * instances, RFC 6750 challenges, RFC 9457 problems, the event feed against the webhook, the
 * health probes. Every answer of an operation is checked against the served OpenAPI document, and
 * the file fails if an operation of the document was never exercised.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiKeyMaker } from '../../helpers/partner-api-client.js';
import { createApp } from '../../../server/app.js';
import { createConsentKit, type ConsentKit } from '../../../server/kit.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { connectCompany } from '../../helpers/integration-fixture.js';
import { OpenApiChecker, type CheckedAnswer } from '../../helpers/openapi-check.js';
import { createDatabase } from '../../helpers/postgres.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

const BASE = '/ats/partner/v1';
/** Tags whose operations another file of this directory exercises (and checks it did), by that file. */
const COVERED_IN_OTHER_FILES: Record<string, string> = { connections: './connections.test.ts', proxy: './proxy.test.ts' };
let demo: TestDemo;
let receiver: WebhookReceiver;
let second: { kit: ConsentKit; server: Server; url: string; logs: string[] };
let checker: OpenApiChecker;
let document: Record<string, unknown>;
/** Every answer body and header seen, and every key created: searched for secrets at the end. */
const answers: string[] = [];
const secrets: string[] = [];
const keys: Record<'read' | 'write' | 'acme' | 'acmeWriter' | 'admin', string> = {} as never;

interface CallOptions {
  key?: string;
  headers?: Record<string, string>;
  body?: string;
  base?: string;
  /** Check the answer against the document (default true; false for paths outside every operation). */
  check?: boolean;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<CheckedAnswer & { json: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch((options.base ?? demo.kitUrl) + BASE + path, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // asserted below by the checker
  }
  answers.push(text, JSON.stringify([...response.headers]));
  const answer = { status: response.status, headers: response.headers, body, text };
  if (options.check !== false) checker.check(method, BASE + path, answer);
  return { ...answer, json: (body ?? {}) as Record<string, unknown> };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'partnerapi');
  demo = await startTestDemo({ kitOptions: { databaseUrl, webhook: { url: receiver.url, secret: 'w'.repeat(32) } } });
  // A second instance of the same kit on the same database (another node behind a load balancer).
  const logs: string[] = [];
  const kit = await createConsentKit(demo.kitOptions, {
    logDestination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }),
  });
  const server = createApp(kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  second = { kit, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs };

  for (const company of ['ACME-PA1', 'ACME-PA2', 'ACME-PA3']) secrets.push((await connectCompany(demo, company, 'admin@acme.test')).clientSecret);
  secrets.push((await connectCompany(demo, 'GLOBEX-PA1', 'admin@globex.test')).clientSecret);
  // The kit's own secrets and SmartRecruiters' customer-level secrets the kit holds for us, encrypted.
  secrets.push(demo.kitOptions.sessionSecret, demo.kitOptions.encryptionKey, demo.kitOptions.smartRecruiters.clientSecret, 'w'.repeat(32));
  for (const integration of demo.fakeSr.integrations.values()) secrets.push(integration.srClientSecret);
  const create = apiKeyMaker(demo.kit, secrets);
  keys.read = await create('reader', ['read']);
  keys.write = await create('writer', ['read', 'write']);
  keys.acme = await create('acme reader', ['read'], 'tenant-acme');
  keys.acmeWriter = await create('acme writer', ['read', 'write'], 'tenant-acme');
  keys.admin = await create('admin', ['admin']);

  const served = await fetch(demo.kitUrl + BASE + '/openapi.json');
  document = (await served.json()) as Record<string, unknown>;
  checker = new OpenApiChecker(document, BASE);
});

afterAll(async () => {
  await new Promise<void>((resolve) => second?.server.close(() => resolve()));
  await second?.kit.close();
  await demo?.stop();
  await receiver?.stop();
});

describe('the OpenAPI document', () => {
  it('is served without a key, is OpenAPI 3.1, and passes @readme/openapi-parser validation', async () => {
    const answer = await call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.json.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(checker.operationIds.sort()).toEqual([
      'disableIntegration',
      'disconnectConnection',
      'getConnection',
      'getIntegration',
      'getOpenApiDocument',
      'listConnections',
      'listEvents',
      'listIntegrations',
      'proxyConnectionDelete',
      'proxyConnectionGet',
      'proxyConnectionPatch',
      'proxyConnectionPost',
      'proxyConnectionPut',
      'rotateIntegrationCredentials',
    ]);
    expect((document.servers as Array<{ url: string }>)[0]!.url).toBe(demo.kitUrl + BASE);
  });

  it("matches the README's operation table, row for row (method, path, scope)", () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('### Operations'), readme.indexOf('Every key-protected operation may also answer'));
    const rows = [...table.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (\w+) \|/gm)].map(([, method, path, scope]) => `${method} ${path} ${scope}`);
    const documented = Object.entries(document.paths as Record<string, Record<string, { security: Array<Record<string, string[]>> }>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.security[0]?.apiKey?.join(',') ?? 'none'}`),
    );
    expect(rows.sort()).toEqual(documented.sort());
  });
});

describe('authentication (RFC 6750) and scopes', () => {
  it('no key: 401 with a bare Bearer challenge; a problem with a stable type and the request id', async () => {
    const answer = await call('GET', '/integrations');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer realm="${demo.kitUrl}"`);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.json).toMatchObject({ type: 'https://ats-consent.dev/problems/unauthorized', status: 401, code: 'unauthorized', request_id: answer.headers.get('x-request-id') });
  });

  it('a malformed header: 400 invalid_request; an unknown but well-formed key: 401 invalid_token', async () => {
    const malformed = await call('GET', '/integrations', { headers: { authorization: 'Bearer a b' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('www-authenticate')).toContain('error="invalid_request"');
    const unknown = await call('GET', '/integrations', { key: keys.read.slice(0, 5) + 'x'.repeat(49) });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(unknown.json.type).toBe('https://ats-consent.dev/problems/invalid-key');
  });

  it('a key in the query string is refused, even with a valid header', async () => {
    for (const name of ['access_token', 'api_key']) {
      const answer = await call('GET', `/integrations?${name}=${keys.read}`, { key: keys.read });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
    }
  });

  it('a read key cannot write: 403 insufficient_scope naming the scope, and nothing changes', async () => {
    const answer = await call('POST', '/integrations/ACME-PA1/disable', { key: keys.read });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="write"/);
    expect(answer.json.type).toBe('https://ats-consent.dev/problems/insufficient-scope');
    expect((await demo.kit.integrations.get('ACME-PA1'))!.state).toBe('active');
    const admin = await call('GET', '/integrations', { key: keys.admin });
    expect(admin.status).toBe(403); // scopes are not implied by one another
  });

  it('a revoked key fails on the other instance at its very next request', async () => {
    const created = await demo.kit.apiKeys.create({ name: 'short-lived', scopes: ['read'] });
    secrets.push(created.key);
    expect((await call('GET', '/integrations', { key: created.key, base: second.url })).status).toBe(200);
    expect(await demo.kit.apiKeys.revoke(created.id)).toBe(true);
    const after = await call('GET', '/integrations', { key: created.key, base: second.url });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('last use is recorded (at most once a minute), and list never shows a key', async () => {
    await call('GET', '/integrations', { key: keys.read });
    const listed = (await demo.kit.apiKeys.list()).find((key) => key.name === 'reader')!;
    expect(listed.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(await demo.kit.apiKeys.list())).not.toContain(keys.read);
  });
});

describe('integrations', () => {
  it('lists every integration a page at a time with an opaque cursor, no secrets', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call('GET', `/integrations?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: keys.read });
      expect(page.status).toBe(200);
      const data = page.json.data as Array<{ companyId: string }>;
      expect(data.length).toBeLessThanOrEqual(1);
      seen.push(...data.map((item) => item.companyId));
      cursor = page.json.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(['ACME-PA1', 'ACME-PA2', 'ACME-PA3', 'GLOBEX-PA1']);
    const all = await call('GET', '/integrations', { key: keys.read });
    expect(all.json.next_cursor).toBeNull();
    expect(all.text).not.toMatch(/secret|credentials/i);
  });

  it('bad input: a clear 400 naming the field, for limit, cursor, unknown or repeated parameters and path ids', async () => {
    for (const [query, field, type] of [
      ['limit=0', 'limit', 'invalid-request'],
      ['limit=101', 'limit', 'invalid-request'],
      ['limit=abc', 'limit', 'invalid-request'],
      ['limit=1&limit=2', 'limit', 'invalid-request'],
      ['cursor=not-ours', 'cursor', 'invalid-cursor'],
      ['sort=desc', 'sort', 'invalid-request'],
    ] as const) {
      const answer = await call('GET', `/integrations?${query}`, { key: keys.read });
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toMatchObject({ type: `https://ats-consent.dev/problems/${type}`, field });
    }
    const badId = await call('GET', '/integrations/bad$id', { key: keys.read });
    expect(badId.status).toBe(400);
    expect(badId.json).toMatchObject({ field: 'companyId', errors: [{ in: 'path', field: 'companyId' }] });
  });

  it('gets one; an unknown company is 404', async () => {
    const one = await call('GET', '/integrations/GLOBEX-PA1', { key: keys.read });
    expect(one.json).toMatchObject({ companyId: 'GLOBEX-PA1', tenantId: 'tenant-globex', state: 'active' });
    expect((await call('GET', '/integrations/NOPE-1', { key: keys.read })).status).toBe(404);
  });

  it("a tenant-restricted key sees nothing of another tenant's: list, get, disable, rotate", async () => {
    const list = await call('GET', '/integrations', { key: keys.acme });
    expect((list.json.data as Array<{ tenantId: string }>).map((item) => item.tenantId)).toEqual(['tenant-acme', 'tenant-acme', 'tenant-acme']);
    const get = await call('GET', '/integrations/GLOBEX-PA1', { key: keys.acme });
    expect(get.status).toBe(404);
    expect(get.json.detail).toBe((await call('GET', '/integrations/NOPE-2', { key: keys.acme })).json.detail); // no existence oracle
    expect((await call('POST', '/integrations/GLOBEX-PA1/disable', { key: keys.acmeWriter })).status).toBe(404);
    expect((await call('POST', '/integrations/GLOBEX-PA1/rotate-credentials', { key: keys.acmeWriter })).status).toBe(404);
    expect((await demo.kit.integrations.get('GLOBEX-PA1'))!.state).toBe('active');
  });

  it('disables (write scope): changed, then a no-op on repeat; a body is refused', async () => {
    const withBody = await call('POST', '/integrations/ACME-PA2/disable', { key: keys.write, body: '{"x":1}', headers: { 'content-type': 'application/json' } });
    expect(withBody.status).toBe(400);
    expect((await demo.kit.integrations.get('ACME-PA2'))!.state).toBe('active');
    const first = await call('POST', '/integrations/ACME-PA2/disable', { key: keys.write });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ changed: true, integration: { companyId: 'ACME-PA2', state: 'disabled' } });
    const again = await call('POST', '/integrations/ACME-PA2/disable', { key: keys.acmeWriter });
    expect(again.json).toMatchObject({ changed: false });
  });

  it('rotates credentials (write scope); a disabled integration is 409 not-active', async () => {
    const rotated = await call('POST', '/integrations/ACME-PA3/rotate-credentials', { key: keys.write });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json).toMatchObject({ integration: { companyId: 'ACME-PA3', state: 'active' } });
    const fresh = demo.fakeSr.integrations.get('ACME-PA3')!;
    secrets.push(fresh.partnerClientSecret!);
    const disabled = await call('POST', '/integrations/ACME-PA2/rotate-credentials', { key: keys.write });
    expect(disabled.status).toBe(409);
    expect(disabled.json.type).toBe('https://ats-consent.dev/problems/not-active');
  });
});

describe('the event feed', () => {
  it('carries the webhook\'s events, the same documents in the same order, and pages by event id', async () => {
    await demo.kit.webhookIdle();
    const feed: Array<{ id: string }> = [];
    let after: string | undefined;
    for (;;) {
      const page = await call('GET', `/events?limit=2${after ? `&after=${after}` : ''}`, { key: keys.read });
      expect(page.status).toBe(200);
      const data = page.json.data as Array<{ id: string }>;
      feed.push(...data);
      if (!page.json.has_more) break;
      after = data[data.length - 1]!.id;
    }
    await receiver.waitFor(feed.length);
    const delivered = new Map(receiver.received.map((delivery) => [String(delivery.headers['x-ats-event-id']), JSON.parse(delivery.body) as unknown]));
    expect(feed.length).toBeGreaterThanOrEqual(5); // 4 enabled, 1 disabled
    for (const event of feed) expect(delivered.get(event.id)).toEqual(event);
    const types = feed.map((event) => (event as unknown as { type: string }).type);
    expect(types.filter((type) => type === 'integration.enabled')).toHaveLength(4);
    expect(types.lastIndexOf('integration.enabled')).toBeLessThan(types.indexOf('integration.disabled'));
  });

  it("a tenant-restricted key reads only its tenant's events; another tenant's event id is unknown to it", async () => {
    const mine = await call('GET', '/events?limit=100', { key: keys.acme });
    const events = mine.json.data as Array<{ id: string; data: { tenantId: string } }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.data.tenantId === 'tenant-acme')).toBe(true);
    const all = (await call('GET', '/events?limit=100', { key: keys.read })).json.data as Array<{ id: string; data: { tenantId: string } }>;
    const globex = all.find((event) => event.data.tenantId === 'tenant-globex')!;
    const foreign = await call('GET', `/events?after=${globex.id}`, { key: keys.acme });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toMatchObject({ type: 'https://ats-consent.dev/problems/unknown-event', field: 'after' });
    expect((await call('GET', `/events?after=${globex.id}`, { key: keys.read })).status).toBe(200);
  });
});

describe('conventions', () => {
  it('X-Request-Id: a sane one is echoed, anything else replaced by a generated one', async () => {
    const echoed = await call('GET', '/openapi.json', { headers: { 'x-request-id': 'partner-123.abc' } });
    expect(echoed.headers.get('x-request-id')).toBe('partner-123.abc');
    const replaced = await call('GET', '/integrations', { headers: { 'x-request-id': 'a b\tc' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
    expect(replaced.json.request_id).toBe(replaced.headers.get('x-request-id'));
  });

  it('unknown paths and methods under the API are problems too', async () => {
    const missing = await call('GET', '/nothing-here', { check: false });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const method = await call('DELETE', '/integrations', { check: false, key: keys.read });
    expect(method.status, method.text).toBe(405);
    expect(method.json.type).toBe('https://ats-consent.dev/problems/method-not-allowed');
  });

  it('healthz and readyz answer without a key and without secrets', async () => {
    const health = await fetch(demo.kitUrl + '/ats/healthz');
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(demo.kitUrl + '/ats/readyz');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as Record<string, unknown>;
    answers.push(JSON.stringify(body));
    expect(body).toEqual({ status: 'ready', checks: { database: { ok: true }, smartRecruitersMasterToken: { ok: true } } });
  });

  it('failed authentications are throttled per address: 429 with Retry-After; a valid key still passes', async () => {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 12; i++) last = await call('GET', '/integrations', { key: 'atsk_' + 'y'.repeat(49), base: second.url });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.json.type).toBe('https://ats-consent.dev/problems/too-many-requests');
    expect((await call('GET', '/integrations', { key: keys.read, base: second.url })).status).toBe(200);
  });
});

describe('coverage and secrets', () => {
  it('every operation of the document was exercised, and no answer or log line holds a key, a secret or a token', () => {
    const exercised = new Set([...checker.seen].map((entry) => entry.split(' ')[0]));
    // Operations with a test file of their own, which fails when one of its operations is not exercised.
    const elsewhere = Object.entries(COVERED_IN_OTHER_FILES).flatMap(([tag, file]) => {
      expect(existsSync(new URL(file, import.meta.url)), file).toBe(true);
      return Object.values(document.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>)
        .flatMap((item) => Object.values(item))
        .filter((operation) => operation.tags.includes(tag))
        .map((operation) => operation.operationId);
    });
    expect([...checker.operationIds].filter((id) => !exercised.has(id) && !elsewhere.includes(id))).toEqual([]);
    const everything = [...answers, ...demo.logs, ...second.logs].join('\n');
    for (const secret of secrets) expect(everything.includes(secret), `a secret (${secret.slice(0, 6)}…) leaked`).toBe(false);
    expect(everything).not.toMatch(/atsk_[0-9A-Za-z]{49}/);
  });
});
