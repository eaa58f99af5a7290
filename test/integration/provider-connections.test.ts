/**
 * Provider connections over real HTTP against the fake TE Recruit, CareerPlug and Total Expert,
 * titled by the section each test proves (RFC 6749, RFC 7636, RFC 9700; reference/security.md
 * T26–T31) and the provider quirks of reference/providers.md §2–§4.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../server/events/kit-events.js';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let demo: TestDemo;
let api: ConnectApi;
const events: ConnectionEvent[] = [];

beforeAll(async () => {
  // This file starts more flows as one user than the default per-user limit allows (tested below with the default).
  demo = await startTestDemo({ timeoutMs: 2_000, kitOptions: { connections: { startsPerUser: 100 } } });
  api = await new ConnectApi(demo.kitUrl).signIn();
  for (const type of ['connection.connected', 'connection.needs_reconnect', 'connection.disconnected'] as const) demo.kit.on(type, (event) => void events.push(event));
});
afterAll(async () => {
  await demo?.stop();
});

/** Makes the stored access token look expired, as time passing would. */
const expire = (connectionId: string) =>
  (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connectionId).execute();

describe('RFC 6749 §4.1.1 and RFC 7636 §4.1–4.3: the authorization request', () => {
  it('sends response_type=code, the client id, a per-provider redirect URI, a 256-bit state and an S256 challenge', async () => {
    const { authorizationUrl: location, status, headers } = await api.start('te-recruit');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toContain('no-store');
    const params = location!.searchParams;
    expect(location!.origin).toBe(demo.providerUrls['te-recruit']);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('demo-te-client');
    expect(params.get('redirect_uri')).toBe(`${demo.kitUrl}/ats/connect/te-recruit/callback`);
    expect(params.get('scope')).toBe('read write');
    expect(Buffer.from(params.get('state')!, 'base64url')).toHaveLength(32);
    expect(params.get('code_challenge_method')).toBe('S256');

    const callbackUrl = await api.decide(location!, 'te-recruit');
    expect((await api.callback(callbackUrl)).status).toBe(200);
    const verifier = demo.providers['te-recruit'].lastTokenRequest!.form.get('code_verifier')!;
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(params.get('code_challenge'));
  });

  it('Total Expert gets its serviceProvider SSO name', async () => {
    const { authorizationUrl } = await api.start('total-expert', { serviceProvider: 'acme-sso' });
    expect(authorizationUrl!.searchParams.get('serviceProvider')).toBe('acme-sso');
    const byDefault = await api.start('total-expert');
    expect(byDefault.authorizationUrl!.searchParams.get('serviceProvider')).toBe('demo-sso');
  });

  it('an unknown provider or an unsigned-in browser gets an error, never an authorization URL', async () => {
    const unknown = await api.start('no-such-ats');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('ATS_NOT_FOUND');
    const anonymous = await new ConnectApi(demo.kitUrl).start('te-recruit');
    expect(anonymous.status).toBe(401);
    expect(anonymous.authorizationUrl).toBeNull();
  });
});

/** Flow rows in the store, to prove a refused start created none. */
const flowCount = async (kit = demo.kit) => (await (kit.store as KyselyStore).db.selectFrom('oauth_flows').select('state_hash').execute()).length;

describe('T3 on the connect start (issue 13 finding 6): only the kit’s own pages can start a flow', () => {
  it('a cross-site navigation to the start (GET, the old start link) creates no flow and is sent to no provider: 405, Allow: POST', async () => {
    const before = await flowCount();
    const query = new URLSearchParams({ flow: 'A'.repeat(24), mode: 'page', returnTo: `${demo.kitUrl}/connections`, serviceProvider: 'evil-sso' });
    // What the victim's browser sends when an attacker's page links or redirects there: the session rides along.
    const response = await fetch(`${demo.kitUrl}/ats/connect/total-expert/start?${query}`, {
      headers: { ...api.headers(), origin: '', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      redirect: 'manual',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('location')).toBeNull();
    expect(await flowCount()).toBe(before);
  });

  it.each<[string, Record<string, string>]>([
    ['no CSRF token', { 'x-ats-csrf': '' }],
    ['a wrong CSRF token', { 'x-ats-csrf': 'not-the-token' }],
    ['another Origin', { origin: 'https://evil.example' }],
    ['no Origin', { origin: '' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ])('a POST with %s → 403 and no flow', async (_name, override) => {
    const before = await flowCount();
    const headers = Object.fromEntries(Object.entries(api.headers(override)).filter(([, value]) => value !== ''));
    const response = await api.start('te-recruit', {}, headers);
    expect(response.status).toBe(403);
    expect(response.body.error).toMatch(/^ATS_(CSRF|ORIGIN)_MISMATCH$/);
    expect(response.authorizationUrl).toBeNull();
    expect(await flowCount()).toBe(before);
  });

  it('a serviceProvider outside the provider’s allow-list → 400 and no flow', async () => {
    const before = await flowCount();
    for (const [provider, serviceProvider] of [['total-expert', 'evil-sso'], ['total-expert', 'ACME-SSO'], ['te-recruit', 'demo-sso']] as const) {
      const response = await api.start(provider, { serviceProvider });
      expect(response.status, `${provider} ${serviceProvider}`).toBe(400);
      expect(response.body.error).toBe('ATS_INVALID_INPUT');
    }
    expect(await flowCount()).toBe(before);
    expect((await api.start('total-expert', { serviceProvider: 'acme-sso' })).status).toBe(200);
  });

  it('a malformed body (unknown field, bad flow id, bad mode) → 400 and no flow', async () => {
    const before = await flowCount();
    for (const body of [{ connection: 'x' }, { flowId: 'short' }, { mode: 'tab' }]) expect((await api.start('te-recruit', body)).status).toBe(400);
    expect(await flowCount()).toBe(before);
  });

  it('reconnecting a connection of another user → 404 and no flow', async () => {
    const id = await api.connect('careerplug');
    const intruder = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
    const before = await flowCount();
    expect((await intruder.start('careerplug', { connectionId: id })).status).toBe(404);
    expect((await api.start('te-recruit', { connectionId: id })).status).toBe(404); // the user's, but another provider's
    expect(await flowCount()).toBe(before);
  });

  it('a start purges flows that expired more than an hour ago, keeping recent ones for the status poll', async () => {
    const db = (demo.kit.store as KyselyStore).db;
    const row = (stateHash: string, expiresAt: number) => ({
      state_hash: stateHash,
      flow_id: stateHash,
      provider: 'te-recruit',
      tenant_id: 'tenant-acme',
      user_id: 'user-acme-admin',
      connection_id: null,
      code_verifier: null,
      redirect_uri: `${demo.kitUrl}/ats/connect/te-recruit/callback`,
      mode: 'popup' as const,
      return_to: null,
      service_provider: null,
      created_at: expiresAt - 600_000,
      expires_at: expiresAt,
      used_at: null,
      outcome: null,
      outcome_detail: null,
      result_connection_id: null,
    });
    await db.insertInto('oauth_flows').values([row('stale-flow-0000000001', Date.now() - 2 * 3600_000), row('recent-flow-000000001', Date.now() - 60_000)]).execute();
    expect((await api.start('te-recruit')).status).toBe(200);
    const left = (await db.selectFrom('oauth_flows').select('state_hash').execute()).map((entry) => entry.state_hash);
    expect(left).not.toContain('stale-flow-0000000001');
    expect(left).toContain('recent-flow-000000001');
  });
});

describe('starts are limited per user (default 20 per 10 minutes)', () => {
  let fresh: TestDemo;
  beforeAll(async () => {
    fresh = await startTestDemo({ timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await fresh?.stop();
  });

  it('the 21st start within the window → 429 with Retry-After, and no flow; another user is not affected', async () => {
    const flooder = await new ConnectApi(fresh.kitUrl).signIn();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => flooder.start('te-recruit').then((response) => response.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(await flowCount(fresh.kit)).toBe(20);
    const refused = await flooder.start('careerplug');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('ATS_CONNECT_START_THROTTLED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await flowCount(fresh.kit)).toBe(20);
    const other = await new ConnectApi(fresh.kitUrl).signIn('admin@globex.test');
    expect((await other.start('te-recruit')).status).toBe(200);
  });
});

describe('RFC 6749 §4.1.2 / RFC 9700 §4.7: the callback checks state first (T26)', () => {
  async function startedFlow(provider: 'te-recruit' | 'careerplug' = 'te-recruit') {
    const started = await api.start(provider);
    const callbackUrl = await api.decide(started.authorizationUrl!, provider);
    return { started, callbackUrl };
  }

  it.each([
    ['a wrong state', (url: URL) => url.searchParams.set('state', 'x'.repeat(43))],
    ['no state', (url: URL) => url.searchParams.delete('state')],
    ['the state twice', (url: URL) => url.searchParams.append('state', url.searchParams.get('state')!)],
    ['error=access_denied with a wrong state', (url: URL) => {
      url.searchParams.delete('code');
      url.searchParams.set('error', 'access_denied');
      url.searchParams.set('state', 'y'.repeat(43));
    }],
  ])('%s → 400 error page and no token request', async (_name, tamper) => {
    const { callbackUrl } = await startedFlow();
    const before = demo.providers['te-recruit'].counts.tokenRequests;
    tamper(callbackUrl);
    const response = await api.callback(callbackUrl);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(demo.providers['te-recruit'].counts.tokenRequests).toBe(before);
  });

  it('the same callback replayed after success → 400, no second exchange', async () => {
    const { callbackUrl } = await startedFlow();
    expect((await api.callback(callbackUrl)).status).toBe(200);
    const before = demo.providers['te-recruit'].counts.tokenRequests;
    expect((await api.callback(callbackUrl)).status).toBe(400);
    expect(demo.providers['te-recruit'].counts.tokenRequests).toBe(before);
  });

  it('RFC 9700 §4.4 mix-up: a response for TE Recruit arriving at CareerPlug’s callback is refused', async () => {
    const { callbackUrl } = await startedFlow('te-recruit');
    const wrong = new URL(callbackUrl.href.replace('/te-recruit/callback', '/careerplug/callback'));
    const before = [demo.providers.careerplug.counts.tokenRequests, demo.providers['te-recruit'].counts.tokenRequests];
    const response = await api.callback(wrong);
    expect(response.status).toBe(400);
    expect([demo.providers.careerplug.counts.tokenRequests, demo.providers['te-recruit'].counts.tokenRequests]).toEqual(before);
  });

  it('login CSRF: a callback in another user’s browser session → 403 and no token request', async () => {
    const { callbackUrl } = await startedFlow();
    const intruder = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
    const before = demo.providers['te-recruit'].counts.tokenRequests;
    const response = await intruder.callback(callbackUrl);
    expect(response.status).toBe(403);
    expect(demo.providers['te-recruit'].counts.tokenRequests).toBe(before);
  });

  it('T29: the popup result page has no-referrer, no external resources, and shows provider text inertly', async () => {
    const started = await api.start('careerplug');
    const denied = await api.decide(started.authorizationUrl!, 'careerplug', 'deny');
    denied.searchParams.set('error_description', '<script>alert(1)</script>');
    const response = await api.callback(denied);
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(response.html).not.toContain('<script>alert');
    expect(response.html).not.toMatch(/(src|href)="https?:/);
    expect(response.html).toContain('You did not allow access in CareerPlug');
    const status = await api.flowStatus(started.flowId);
    expect(status.body).toMatchObject({ status: 'denied', provider: 'careerplug', connectionId: null });
  });

  it('the full-page mode answers 303 to the validated returnTo; a foreign returnTo is refused', async () => {
    const evil = await api.start('careerplug', { mode: 'page', returnTo: 'https://evil.example/' });
    expect(evil.status).toBe(400);
    expect((await api.start('careerplug', { mode: 'page' })).status).toBe(400);
    const started = await api.start('careerplug', { mode: 'page', returnTo: `${demo.kitUrl}/connections` });
    const response = await api.callback(await api.decide(started.authorizationUrl!, 'careerplug'));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${demo.kitUrl}/connections`);
    expect(location.searchParams.get('ats_connect')).toBe('connected');
    expect(location.search).not.toContain('code=');
  });
});

describe('provider quirks (reference/providers.md §2–§4)', () => {
  it('TE Recruit: credentials and redirect_uri in the body of every token call, refresh included', async () => {
    const id = await api.connect('te-recruit');
    const fake = demo.providers['te-recruit'];
    expect(fake.lastTokenRequest!.authorization).toBeUndefined();
    expect(fake.lastTokenRequest!.form.get('client_secret')).toBe('demo-te-secret');
    await expire(id);
    await demo.kit.connections.getAccessToken(id);
    const refresh = fake.lastTokenRequest!;
    expect(refresh.form.get('grant_type')).toBe('refresh_token');
    expect(refresh.form.get('client_id')).toBe('demo-te-client');
    expect(refresh.form.get('client_secret')).toBe('demo-te-secret');
    expect(refresh.form.get('redirect_uri')).toBe(`${demo.kitUrl}/ats/connect/te-recruit/callback`);
  });

  it('CareerPlug: Accept-Version: v1 on API calls; the client credentials variant is re-requested on expiry', async () => {
    const id = await api.connect('careerplug');
    const me = await demo.kit.connections.fetch(id, '/me');
    expect((await me.json()).acceptVersion).toBe('v1');
    const partner = await demo.kit.connections.connectWithClientCredentials('careerplug', { id: 'user-acme-admin', tenantId: 'tenant-acme', displayName: 'Ada', email: 'a@acme.test' });
    expect(partner).toMatchObject({ grantType: 'client_credentials', status: 'connected' });
    expect(partner.expiresAt!.getTime() - Date.now()).toBeGreaterThan(47 * 3600_000);
    const before = demo.providers.careerplug.counts.byGrant.client_credentials ?? 0;
    await expire(partner.id);
    await demo.kit.connections.getAccessToken(partner.id);
    expect(demo.providers.careerplug.counts.byGrant.client_credentials).toBe(before + 1);
  });

  it('Total Expert: Basic of the raw client_id:client_secret, token_type "bearer" accepted, state always sent', async () => {
    const id = await api.connect('total-expert');
    const fake = demo.providers['total-expert'];
    expect(fake.lastTokenRequest!.authorization).toBe('Basic ' + Buffer.from('demo-tx-client:demo-tx-secret+/=').toString('base64'));
    expect(fake.lastTokenRequest!.form.get('client_secret')).toBeNull();
    expect((await api.start('total-expert')).authorizationUrl!.searchParams.get('state')).toBeTruthy();
    expect((await demo.kit.connections.fetch(id, '/me')).status).toBe(200);
  });

  it('RFC 6749 §6: a refresh response without refresh_token keeps the old one; when the provider deleted it, invalid_grant → needs_reconnect', async () => {
    const id = await api.connect('total-expert');
    const stored = async () => (await (demo.kit.store as KyselyStore).db.selectFrom('connections').select('refresh_token').where('id', '=', id).executeTakeFirst())!.refresh_token;
    const before = await stored();
    await expire(id);
    await demo.kit.connections.getAccessToken(id);
    expect(await stored()).toBe(before); // the response had none: the old one is kept
    // oauth2-server-php's default (unset_refresh_token_after_use) deleted it at the provider:
    await expire(id);
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toMatchObject({ code: 'ATS_NEEDS_RECONNECT' });
    expect((await demo.kit.connections.get(id))?.status).toBe('needs_reconnect');
    expect(events.filter((event) => event.type === 'connection.needs_reconnect' && event.data.connectionId === id)).toHaveLength(1);
    const callsBefore = demo.providers['total-expert'].counts.tokenRequests;
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toMatchObject({ code: 'ATS_NEEDS_RECONNECT' });
    expect(demo.providers['total-expert'].counts.tokenRequests).toBe(callsBefore); // no loop of failing refreshes
  });

  it('a user connection without a refresh token never falls back to the app’s client-credentials token', async () => {
    const id = await api.connect('careerplug');
    await (demo.kit.store as KyselyStore).db.updateTable('connections').set({ refresh_token: null, expires_at: Date.now() - 1 }).where('id', '=', id).execute();
    const before = demo.providers.careerplug.counts.byGrant.client_credentials ?? 0;
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toMatchObject({ code: 'ATS_NEEDS_RECONNECT' });
    expect(demo.providers.careerplug.counts.byGrant.client_credentials ?? 0).toBe(before);
    expect((await demo.kit.connections.get(id))?.status).toBe('needs_reconnect');
  });

  it('reconnect keeps the connection id', async () => {
    const id = await api.connect('total-expert');
    await expire(id);
    await demo.kit.connections.getAccessToken(id);
    await expire(id);
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toThrow();
    const again = await api.connect('total-expert', { connectionId: id });
    expect(again).toBe(id);
    expect((await demo.kit.connections.get(id))?.status).toBe('connected');
  });
});

describe('RFC 9700 §4.14 / T31: one refresh per connection at a time', () => {
  it('50 concurrent getAccessToken calls on an expired token make exactly one refresh request', async () => {
    const id = await api.connect('te-recruit');
    await expire(id);
    const fake = demo.providers['te-recruit'];
    const before = fake.counts.byGrant.refresh_token ?? 0;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => demo.kit.connections.getAccessToken(id)));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.counts.byGrant.refresh_token).toBe(before + 1);
    // Doorkeeper revoked the old refresh token at once: the rotated one was stored before use.
    await expire(id);
    await demo.kit.connections.getAccessToken(id);
    expect(fake.counts.byGrant.refresh_token).toBe(before + 2);
    expect((await demo.kit.connections.get(id))?.status).toBe('connected');
  });

  it('a 401 from the API refreshes once and replays once (RFC 6750 §3.1)', async () => {
    const id = await api.connect('careerplug');
    demo.providers.careerplug.expireAccessTokens();
    const before = demo.providers.careerplug.counts.byGrant.refresh_token ?? 0;
    const me = await demo.kit.connections.fetch(id, '/me');
    expect(me.status).toBe(200);
    expect(demo.providers.careerplug.counts.byGrant.refresh_token).toBe(before + 1);
  });

  it('an upstream failure during refresh is retryable and loses nothing', async () => {
    const id = await api.connect('te-recruit');
    await expire(id);
    demo.providers['te-recruit'].injectFault('status-500');
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toMatchObject({ code: 'ATS_UPSTREAM_UNAVAILABLE' });
    expect((await demo.kit.connections.get(id))?.status).toBe('connected');
    expect(await demo.kit.connections.getAccessToken(id)).toBeTruthy();
  });
});

describe('managing connections', () => {
  it('lists the user’s connections without tokens, disconnects over HTTP with CSRF, and fires events', async () => {
    const id = await api.connect('careerplug');
    const listed = (await (await fetch(`${demo.kitUrl}/ats/connect/bootstrap`, { headers: api.headers() })).json()) as { connections: Array<Record<string, unknown>> };
    const mine = listed.connections.find((entry) => entry.id === id)!;
    expect(Object.keys(mine).sort()).toEqual(['id', 'provider', 'providerName', 'status', 'updatedAt']);
    const noCsrf = await fetch(`${demo.kitUrl}/ats/connect/connections/${id}/disconnect`, { method: 'POST', headers: { ...api.headers(), 'x-ats-csrf': 'nope' } });
    expect(noCsrf.status).toBe(403);
    const intruder = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
    expect((await fetch(`${demo.kitUrl}/ats/connect/connections/${id}/disconnect`, { method: 'POST', headers: intruder.headers() })).status).toBe(404);
    const response = await fetch(`${demo.kitUrl}/ats/connect/connections/${id}/disconnect`, { method: 'POST', headers: api.headers() });
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe('disconnected');
    expect(events.map((event) => `${event.type}:${event.data.connectionId}`)).toEqual(expect.arrayContaining([`connection.connected:${id}`, `connection.disconnected:${id}`]));
    await expect(demo.kit.connections.getAccessToken(id)).rejects.toMatchObject({ code: 'ATS_NEEDS_RECONNECT' });
  });

  it('no provider token ever reaches the browser or a log line (T30)', async () => {
    const id = await api.connect('te-recruit');
    const token = await demo.kit.connections.getAccessToken(id);
    const page = await (await fetch(`${demo.kitUrl}/ats/connect/bootstrap`, { headers: api.headers() })).text();
    expect(page).not.toContain(token);
    expect(demo.logs.join('')).not.toContain(token);
    const row = await (demo.kit.store as KyselyStore).db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain(token);
  });
});
