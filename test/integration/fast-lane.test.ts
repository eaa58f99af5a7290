/**
 * The standalone server's fast lane (server/http/fast-lane.ts) answers SmartRecruiters' token
 * endpoint and integration check without Koa. Its promise: it changes where a request is answered,
 * never what it is answered. So the same kit is served twice — by `createKitServer` (the lane, as
 * `ats-consent serve` and the demo run it) and by a plain Koa app mounting `kit.middleware` (as a
 * partner mounts it) — and every request below, good and bad, must get the same status, headers
 * and body from both, and the same request log line.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';
import { basicHeader, connectCompany, type IssuedCredentials } from '../helpers/integration-fixture.js';

let demo: TestDemo;
let koaOnly: Server;
let koaUrl: string;
let client: IssuedCredentials;
let disabledClient: IssuedCredentials;

beforeAll(async () => {
  // trustProxy: so X-Forwarded-Proto decides HSTS in both, the one header computed per request.
  demo = await startTestDemo({ kitOptions: { trustProxy: 1, clientAuthThrottle: { maxFailures: 3, windowSeconds: 60 } } });
  koaOnly = createApp(demo.kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => koaOnly.once('listening', resolve));
  // The kit's public origin is the demo's: requests name it as Host, whichever server takes them.
  koaUrl = `http://127.0.0.1:${(koaOnly.address() as AddressInfo).port}`;
  client = await connectCompany(demo, 'LANE-CO');
  disabledClient = await connectCompany(demo, 'LANE-OFF');
});
afterAll(async () => {
  await new Promise<void>((resolve) => koaOnly?.close(() => resolve()));
  await demo?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers that differ between any two responses (time, connection handling), not by route. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive']);

async function send(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(base + path, init);
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !PER_CONNECTION.has(name)));
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: response.status, headers, body };
}

/** Access tokens are fresh per request: compared by shape, everything else exactly. */
function comparable(answer: Answer): Answer {
  const body = answer.body as Record<string, unknown> | string;
  if (typeof body === 'object' && body !== null && typeof body.access_token === 'string') {
    return { ...answer, body: { ...body, access_token: `<${body.access_token.length} characters>` } };
  }
  return answer;
}

async function bothWays(path: string, init: () => RequestInit): Promise<{ lane: Answer; koa: Answer }> {
  const lane = comparable(await send(demo.kitUrl, path, init()));
  const koa = comparable(await send(koaUrl, path, init()));
  return { lane, koa };
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const tokenForm = (credentials: IssuedCredentials, extra: Record<string, string> = {}) =>
  form({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, ...extra });

describe('the fast lane answers exactly as the Koa stack does', () => {
  const tokenPath = () => demo.kit.paths.token;
  const checkPath = () => demo.kit.paths.integrationCheck;

  const tokenCases: Array<[string, () => RequestInit, number]> = [
    ['client_secret_post', () => tokenForm(client), 200],
    ['client_secret_basic', () => ({ ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicHeader(client.clientId, client.clientSecret) } }), 200],
    ['a content type with parameters', () => ({ ...tokenForm(client), headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8' } }), 200],
    ['a wrong secret', () => form({ grant_type: 'client_credentials', client_id: `unknown-${Math.random()}`, client_secret: 'x'.repeat(43) }), 401],
    ['no grant_type', () => form({ client_id: client.clientId, client_secret: client.clientSecret }), 400],
    ['another grant type', () => tokenForm(client, { grant_type: 'password' }), 400],
    ['a repeated parameter', () => ({ ...tokenForm(client), body: `${new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })}&client_id=x` }), 400],
    ['a JSON body', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) }), 400],
    ['no body at all', () => ({ method: 'POST' }), 400],
    ['a body over the 4 KB limit', () => tokenForm(client, { scope: 'a'.repeat(5000) }), 400],
    ['a scope that is not allowed', () => tokenForm(client, { scope: 'everything' }), 400],
    ['over https behind the trusted proxy (HSTS)', () => ({ ...tokenForm(client), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'HTTPS, http' } }), 200],
  ];
  it.each(tokenCases)('token endpoint: %s', async (_name, init, status) => {
    const { lane, koa } = await bothWays(tokenPath(), init);
    expect(lane.status).toBe(status);
    expect(lane).toEqual(koa);
  });

  it('token endpoint: a client throttled after its failures gets 429 + Retry-After from both', async () => {
    const unknown = { clientId: `throttled-${Date.now()}`, clientSecret: 'y'.repeat(43) };
    for (let attempt = 0; attempt < 3; attempt += 1) await send(demo.kitUrl, tokenPath(), tokenForm(unknown));
    const { lane, koa } = await bothWays(tokenPath(), () => tokenForm(unknown));
    expect(lane.status).toBe(429);
    // Seconds until the oldest failure leaves the window: the two answers may straddle a second.
    for (const answer of [lane, koa]) {
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      delete answer.headers['retry-after'];
    }
    expect(lane).toEqual(koa);
  });

  it('bearer route: every RFC 6750 outcome', async () => {
    const issue = async (credentials: IssuedCredentials) =>
      ((await send(demo.kitUrl, tokenPath(), tokenForm(credentials))).body as { access_token: string }).access_token;
    const token = await issue(client);
    const revoked = await issue(disabledClient);
    // Used once while valid (so its lookup key is remembered), then disabled: refused at once all the same.
    expect((await send(demo.kitUrl, checkPath(), { headers: { authorization: `Bearer ${revoked}` } })).status).toBe(200);
    expect(await demo.kit.integrations.disable('LANE-OFF')).toBe(true);
    const cases: Array<[string, Record<string, string>, number]> = [
      ['a valid token', { authorization: `Bearer ${token}` }, 200],
      ['the scheme in lower case', { authorization: `bearer ${token}` }, 200],
      ['the same token again (its lookup key remembered)', { authorization: `Bearer ${token}` }, 200],
      ['no credentials', {}, 401],
      ['another scheme', { authorization: basicHeader('a', 'b') }, 401],
      ['a malformed header', { authorization: 'Bearer a b' }, 400],
      ['an unknown token', { authorization: `Bearer ${token.slice(0, -4)}AAAA` }, 401],
      ['a token of a disabled integration', { authorization: `Bearer ${revoked}` }, 401],
    ];
    for (const [name, headers, status] of cases) {
      const { lane, koa } = await bothWays(checkPath(), () => ({ headers }));
      expect(lane.status, name).toBe(status);
      expect(lane, name).toEqual(koa);
    }
    const ok = await send(demo.kitUrl, checkPath(), { headers: { authorization: `Bearer ${token}` } });
    expect(ok.body).toEqual({ companyId: 'LANE-CO', tenantId: 'tenant-acme', state: 'active' });
  });

  it('requests the lane does not take (a query string, HEAD, another method, a trailing slash) are answered by Koa, the same from both', async () => {
    const cases: Array<[string, RequestInit, number]> = [
      [`${tokenPath()}?client_id=x`, tokenForm(client), 400],
      [tokenPath(), { method: 'GET' }, 405],
      // The router's own matching, which treats a trailing slash as the same route.
      [`${tokenPath()}/`, tokenForm(client), 200],
      [checkPath(), { method: 'HEAD' }, 401],
      [`${checkPath()}?access_token=abc`, {}, 400],
    ];
    for (const [path, init, status] of cases) {
      const { lane, koa } = await bothWays(path, () => init);
      expect(lane.status, path).toBe(status);
      expect(lane, path).toEqual(koa);
    }
  });

  it('logs the same request line from both, with no token or secret in it', async () => {
    const before = demo.logs.length;
    const init = () => tokenForm(client);
    await send(demo.kitUrl, tokenPath(), init());
    await send(koaUrl, tokenPath(), init());
    const lines = demo.logs
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request');
    expect(lines).toHaveLength(2);
    const [lane, koa] = lines.map(({ method, path, status }) => ({ method, path, status }));
    expect(lane).toEqual({ method: 'POST', path: tokenPath(), status: 200 });
    expect(lane).toEqual(koa);
    expect(demo.logs.slice(before).join('')).not.toContain(client.clientSecret);
  });
});
