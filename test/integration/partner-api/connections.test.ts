/**
 * Provider connections over the partner API (issue 14 item 2): list by cursor with filters, get,
 * disconnect — over real HTTP on loopback, real SQLite, connections made through the fake TE
 * Recruit, CareerPlug and Total Expert exactly as a user makes them. Scopes (read cannot
 * disconnect), tenant restriction (another tenant's connection is a 404 like an id never issued),
 * and no token in any answer or log line. Every answer is checked against the served OpenAPI
 * document; the file fails if an operation tagged `connections` was never exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../../server/events/kit-events.js';
import { ConnectApi } from '../../helpers/connect-api.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { apiKeyMaker, PartnerApiClient } from '../../helpers/partner-api-client.js';

let demo: TestDemo;
let api: PartnerApiClient;
const keys = {} as Record<'read' | 'write' | 'proxy' | 'acme' | 'acmeWriter', string>;
const ids = {} as Record<'acmeTe' | 'acmeCp' | 'acmeTx' | 'globexTe', string>;
const events: ConnectionEvent[] = [];

beforeAll(async () => {
  demo = await startTestDemo({ kitOptions: { connections: { startsPerUser: 100 } } });
  api = new PartnerApiClient(demo.kitUrl);
  const acme = await new ConnectApi(demo.kitUrl).signIn('admin@acme.test');
  const globex = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
  ids.acmeTe = await acme.connect('te-recruit');
  ids.acmeCp = await acme.connect('careerplug');
  ids.acmeTx = await acme.connect('total-expert');
  ids.globexTe = await globex.connect('te-recruit');
  const create = apiKeyMaker(demo.kit);
  keys.read = await create('reader', ['read']);
  keys.write = await create('writer', ['read', 'write']);
  keys.proxy = await create('proxy only', ['proxy']);
  keys.acme = await create('acme reader', ['read'], 'tenant-acme');
  keys.acmeWriter = await create('acme writer', ['read', 'write'], 'tenant-acme');
  demo.kit.on('connection.disconnected', (event) => void events.push(event));
  await api.loadDocument();
});

afterAll(async () => {
  await demo?.stop();
});

type Listed = Array<{ id: string; provider: string; tenantId: string; userId: string; status: string }>;

describe('GET /connections', () => {
  it('lists every connection a page at a time, in id order, with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.call('GET', `/connections?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: keys.read });
      expect(page.status).toBe(200);
      const data = page.json.data as Listed;
      expect(data.length).toBeLessThanOrEqual(1);
      seen.push(...data.map((item) => item.id));
      cursor = page.json.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(Object.values(ids).sort());
    const all = await api.call('GET', '/connections', { key: keys.read });
    expect(all.json.next_cursor).toBeNull();
    const te = (all.json.data as Listed).find((item) => item.id === ids.acmeTe)!;
    expect(te).toMatchObject({ provider: 'te-recruit', providerName: 'TE Recruit', tenantId: 'tenant-acme', userId: 'user-acme-admin', grantType: 'authorization_code', status: 'connected', scope: 'read write', lastError: null });
    expect(all.text).not.toMatch(/token"|refresh|secret/i);
  });

  it('filters by provider, tenant, user and status (all together narrow)', async () => {
    const byProvider = await api.call('GET', '/connections?provider=te-recruit', { key: keys.read });
    expect((byProvider.json.data as Listed).map((item) => item.id).sort()).toEqual([ids.acmeTe, ids.globexTe].sort());
    const byTenant = await api.call('GET', '/connections?tenantId=tenant-globex', { key: keys.read });
    expect((byTenant.json.data as Listed).map((item) => item.id)).toEqual([ids.globexTe]);
    const byUser = await api.call('GET', '/connections?userId=user-acme-admin&provider=careerplug&status=connected', { key: keys.read });
    expect((byUser.json.data as Listed).map((item) => item.id)).toEqual([ids.acmeCp]);
    const none = await api.call('GET', '/connections?status=needs_reconnect', { key: keys.read });
    expect(none.json).toEqual({ data: [], next_cursor: null });
  });

  it('bad input: a clear 400 naming the parameter', async () => {
    for (const [query, field, type] of [
      ['limit=0', 'limit', 'invalid-request'],
      ['limit=101', 'limit', 'invalid-request'],
      ['provider=TE_RECRUIT', 'provider', 'invalid-request'],
      ['status=gone', 'status', 'invalid-request'],
      ['userId=a&userId=b', 'userId', 'invalid-request'],
      ['cursor=not-ours', 'cursor', 'invalid-cursor'],
      ['ownerId=x', 'ownerId', 'invalid-request'],
    ] as const) {
      const answer = await api.call('GET', `/connections?${query}`, { key: keys.read });
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toMatchObject({ type: `https://ats-consent.dev/problems/${type}`, field });
    }
  });
});

describe('GET /connections/{id}', () => {
  it('answers the connection, as kit.connections.get has it, without tokens', async () => {
    const one = await api.call('GET', `/connections/${ids.acmeTx}`, { key: keys.read });
    expect(one.status).toBe(200);
    const summary = (await demo.kit.connections.get(ids.acmeTx))!;
    expect(one.json).toEqual({ ...summary, expiresAt: summary.expiresAt!.toISOString(), createdAt: summary.createdAt.toISOString(), updatedAt: summary.updatedAt.toISOString() });
  });

  it('an unknown id is 404; a malformed one 400 naming the parameter', async () => {
    expect((await api.call('GET', '/connections/AAAAAAAAAAAAAAAAAAAAAA', { key: keys.read })).status).toBe(404);
    const malformed = await api.call('GET', '/connections/bad$id', { key: keys.read });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ field: 'id', errors: [{ in: 'path', field: 'id' }] });
  });
});

describe('scopes and tenants', () => {
  it('a read key cannot disconnect; a proxy-only key cannot list: 403 insufficient_scope naming the scope', async () => {
    const disconnect = await api.call('DELETE', `/connections/${ids.acmeCp}`, { key: keys.read });
    expect(disconnect.status).toBe(403);
    expect(disconnect.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="write"/);
    expect((await demo.kit.connections.get(ids.acmeCp))!.status).toBe('connected');
    const list = await api.call('GET', '/connections', { key: keys.proxy });
    expect(list.status).toBe(403);
    expect(list.headers.get('www-authenticate')).toContain('scope="read"');
    expect((await api.call('GET', '/connections')).status).toBe(401);
  });

  it("a tenant-restricted key sees nothing of another tenant's: list, filter, get, disconnect", async () => {
    const list = await api.call('GET', '/connections', { key: keys.acme });
    expect((list.json.data as Listed).map((item) => item.tenantId)).toEqual(['tenant-acme', 'tenant-acme', 'tenant-acme']);
    const foreignFilter = await api.call('GET', '/connections?tenantId=tenant-globex', { key: keys.acme });
    expect(foreignFilter.json).toEqual({ data: [], next_cursor: null });
    const foreign = await api.call('GET', `/connections/${ids.globexTe}`, { key: keys.acme });
    const unknown = await api.call('GET', '/connections/AAAAAAAAAAAAAAAAAAAAAA', { key: keys.acme });
    expect(foreign.status).toBe(404);
    // No existence oracle: the same problem as for an id never issued (but the instance and request id).
    const strip = ({ instance: _i, request_id: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(foreign.json)).toEqual(strip(unknown.json));
    expect((await api.call('DELETE', `/connections/${ids.globexTe}`, { key: keys.acmeWriter })).status).toBe(404);
    expect((await demo.kit.connections.get(ids.globexTe))!.status).toBe('connected');
  });
});

describe('DELETE /connections/{id}', () => {
  it('disconnects (write scope): the tokens are gone, the event is announced; repeating changes nothing', async () => {
    const first = await api.call('DELETE', `/connections/${ids.acmeCp}`, { key: keys.acmeWriter });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ changed: true, connection: { id: ids.acmeCp, status: 'disconnected', expiresAt: null } });
    const again = await api.call('DELETE', `/connections/${ids.acmeCp}`, { key: keys.write });
    expect(again.json).toMatchObject({ changed: false, connection: { status: 'disconnected' } });
    expect(events.filter((event) => event.data.connectionId === ids.acmeCp)).toHaveLength(1);
    const row = await demo.kit.store.connections.find(ids.acmeCp);
    expect([row!.access_token, row!.refresh_token]).toEqual([null, null]);
    const listed = await api.call('GET', '/connections?status=disconnected', { key: keys.read });
    expect((listed.json.data as Listed).map((item) => item.id)).toEqual([ids.acmeCp]);
  });

  it('a body is refused with 400, and nothing changes', async () => {
    const answer = await api.call('DELETE', `/connections/${ids.acmeTe}`, { key: keys.write, body: '{}', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect((await demo.kit.connections.get(ids.acmeTe))!.status).toBe('connected');
  });
});

describe('coverage and secrets', () => {
  it('every connections operation of the document was exercised; no token or key in any answer or log line', () => {
    expect(api.unexercisedTagged('connections')).toEqual([]);
    const tokens = Object.values(demo.providers).flatMap((fake) => fake.issuedTokens);
    expect(tokens.length).toBeGreaterThan(4);
    const everything = [...api.answers, ...demo.logs].join('\n');
    for (const token of tokens) expect(everything.includes(token), `a provider token (${token.slice(0, 6)}…) leaked`).toBe(false);
    for (const key of Object.values(keys)) expect(everything.includes(key), 'an API key leaked').toBe(false);
  });
});
