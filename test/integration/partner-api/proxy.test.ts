/**
 * The connection proxy (issue 14 item 2, item 7): `ANY /connections/{id}/proxy/{path}` over real
 * HTTP on loopback, real SQLite, against the fake TE Recruit (Doorkeeper) and Total Expert
 * (oauth2-server-php) APIs. Proved here:
 *
 * - the request reaches the provider's API base with the connection's token, the caller's query,
 *   body and allowed headers, and never the caller's key or cookie; the answer comes back as the
 *   provider gave it, marked `X-Ats-Proxied: 1`, while the kit's own errors are unmarked problems;
 * - the token goes nowhere else: absolute URLs, `//host`, dot segments plain or encoded, encoded
 *   slashes, backslashes, header overrides and a provider redirect all leave a second "attacker"
 *   server on loopback with nothing (reference/security.md T37);
 * - a 401 from the provider → one refresh, one replay; GET/HEAD are retried once after a failure,
 *   a POST never (unless it carries an Idempotency-Key) (RFC 9110 §9.2; T34); a deadline (504),
 *   request and response size caps (413, 502);
 * - scopes (read or write cannot proxy), tenants (another tenant's connection is a 404 like none);
 * - no token in any answer or log line.
 *
 * Every answer is checked against the served OpenAPI document; the file fails if a proxy
 * operation was never exercised.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { createConsentKit, type ConsentKit } from '../../../server/kit.js';
import { PROXY_MAX_REQUEST_BYTES } from '../../../server/partner-api/operations/connection-proxy.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { ConnectApi } from '../../helpers/connect-api.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { apiKeyMaker, PARTNER_BASE, PartnerApiClient, type PartnerAnswer } from '../../helpers/partner-api-client.js';

let demo: TestDemo;
let api: PartnerApiClient;
let attacker: { url: string; host: string; received: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>; server: Server };
let other: { kit: ConsentKit; server: Server; client: PartnerApiClient; logs: string[] };
const keys = {} as Record<'proxy' | 'read' | 'write' | 'acmeProxy', string>;
const ids = {} as Record<'te' | 'tx' | 'globex' | 'gone' | 'reconnect', string>;

const te = () => demo.providers['te-recruit'];
const proxy = (id: string, path: string) => `/connections/${id}/proxy/${path}`;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 2_000, faultDelayMs: 3_000, kitOptions: { connections: { startsPerUser: 100 } } });
  api = new PartnerApiClient(demo.kitUrl);
  const acme = await new ConnectApi(demo.kitUrl).signIn('admin@acme.test');
  const globex = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
  ids.te = await acme.connect('te-recruit');
  ids.tx = await acme.connect('total-expert');
  ids.gone = await acme.connect('te-recruit');
  ids.reconnect = await acme.connect('te-recruit');
  ids.globex = await globex.connect('te-recruit');
  const create = apiKeyMaker(demo.kit);
  keys.proxy = await create('proxy', ['proxy']);
  keys.read = await create('reader', ['read']);
  keys.write = await create('writer', ['read', 'write']);
  keys.acmeProxy = await create('acme proxy', ['proxy'], 'tenant-acme');
  await api.loadDocument();

  // The attacker: a second server on loopback that must never receive a request, a token above all.
  const received: typeof attacker.received = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"stolen":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  attacker = { url: `http://${host}`, host, received, server };
  te().api.redirectTo = `${attacker.url}/steal`;
  te().api.largeBodyBytes = 5 * 1024 * 1024;

  // Another kit on the same database, with a custom provider that has no API base configured.
  const logs: string[] = [];
  const cp = demo.providers.careerplug;
  const kit = await createConsentKit(
    {
      ...demo.kitOptions,
      providers: {
        ...demo.kitOptions.providers,
        'my-ats': {
          displayName: 'My ATS',
          clientId: cp.options.clientId,
          clientSecret: cp.options.clientSecret,
          authorizationEndpoint: demo.providerUrls.careerplug + cp.paths.authorize,
          tokenEndpoint: demo.providerUrls.careerplug + cp.paths.token,
          clientAuth: 'client_secret_post',
          clientCredentials: true,
        },
      },
    },
    { logDestination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }) },
  );
  const appServer = createApp(kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => appServer.once('listening', resolve));
  const client = new PartnerApiClient(`http://127.0.0.1:${(appServer.address() as AddressInfo).port}`);
  await client.loadDocument();
  other = { kit, server: appServer, client, logs };
});

afterAll(async () => {
  await new Promise<void>((resolve) => other?.server.close(() => resolve()));
  await other?.kit.close();
  await new Promise<void>((resolve) => attacker?.server.close(() => resolve()));
  await demo?.stop();
});

/** Sends bytes as they are and answers what came back. */
function rawRequest(bytes: string): Promise<string> {
  const url = new URL(demo.kitUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
}

/** Makes the stored access token look expired, as time passing would: the next call refreshes first. */
const expireInKit = (connectionId: string) =>
  (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connectionId).execute();

/** The fake TE Recruit API's requests since `from`. */
const upstreamSince = (from: number) => te().api.requests.slice(from);

function expectPassedThrough(answer: PartnerAnswer, status: number): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('x-ats-proxied')).toBe('1');
}

function expectProblem(answer: PartnerAnswer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.headers.get('x-ats-proxied')).toBeNull();
  expect(answer.json.code).toBe(code);
}

describe('what goes to the provider and what comes back', () => {
  it('POST creates at the provider (201, marked); GET reads it back; the token is the connection’s, never the caller’s key', async () => {
    const from = te().api.requests.length;
    const created = await api.call('POST', proxy(ids.te, 'people'), {
      key: keys.proxy,
      headers: { ...json, cookie: 'kit_session=abc', 'x-forwarded-host': attacker.host, accept: 'application/json', 'x-custom': 'dropped' },
      body: JSON.stringify({ person: { first_name: 'Ada', last_name: 'Lovelace', status: 'active' } }),
    });
    expectPassedThrough(created, 201);
    const person = (created.json.person as { id: number; first_name: string });
    expect(person.first_name).toBe('Ada');
    const [sent] = upstreamSince(from);
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe('/api/people');
    expect(JSON.parse(sent!.body.toString('utf8'))).toEqual({ person: { first_name: 'Ada', last_name: 'Lovelace', status: 'active' } });
    const token = /^Bearer (\S+)$/.exec(sent!.headers.authorization!)![1]!;
    expect(te().issuedTokens).toContain(token);
    expect(sent!.headers.authorization).not.toContain(keys.proxy);
    expect(sent!.headers.cookie).toBeUndefined();
    expect(sent!.headers['x-forwarded-host']).toBeUndefined();
    expect(sent!.headers['x-custom']).toBeUndefined();
    expect(sent!.headers.accept).toBe('application/json');
    expect(sent!.headers.host).toBe(new URL(demo.providerUrls['te-recruit']).host);

    const read = await api.call('GET', proxy(ids.te, `people/${person.id}`), { key: keys.proxy });
    expectPassedThrough(read, 200);
    expect(read.json).toEqual({ person: { ...person, last_name: 'Lovelace', status: 'active' } });
    expect(read.headers.get('etag')).toMatch(/^W\//);
    expect(read.headers.get('set-cookie')).toBeNull(); // the provider's cookie stays with the provider
    expect(read.headers.get('x-request-id')).toMatch(/^req_/); // the kit's request id, not the provider's
  });

  it('the query string goes on as sent (repeated parameters, brackets, encoded CR LF as data)', async () => {
    const from = te().api.requests.length;
    const answer = await api.call('GET', proxy(ids.te, 'hotlists?record_type=person&scope=my&name=Hot%20list&page=2&ids[]=1&ids[]=2&x=%0D%0A'), { key: keys.proxy });
    expectPassedThrough(answer, 200);
    expect(answer.json).toEqual({ entries: [{ id: 1, name: 'Hot list', record_type: 'person' }], pagination: { total_pages: 1, current_page: 2 } });
    const [sent] = upstreamSince(from);
    expect(sent!.search).toBe('?record_type=person&scope=my&name=Hot%20list&page=2&ids[]=1&ids[]=2&x=%0D%0A');
    expect(Object.keys(sent!.headers)).not.toContain('x-injected');
  });

  it('HEAD (on the GET operation), 304 to a conditional GET, 204 to a DELETE: all passed through', async () => {
    const created = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: json, body: JSON.stringify({ person: { first_name: 'Grace', last_name: 'Hopper' } }) });
    const id = (created.json.person as { id: number }).id;
    const head = await api.call('HEAD', proxy(ids.te, `people/${id}`), { key: keys.proxy });
    expectPassedThrough(head, 200);
    expect(head.text).toBe('');
    const etag = (await api.call('GET', proxy(ids.te, `people/${id}`), { key: keys.proxy })).headers.get('etag')!;
    const notModified = await api.call('GET', proxy(ids.te, `people/${id}`), { key: keys.proxy, headers: { 'if-none-match': etag } });
    expectPassedThrough(notModified, 304);
    const deleted = await api.call('DELETE', proxy(ids.te, `people/${id}`), { key: keys.proxy });
    expectPassedThrough(deleted, 204);
  });

  it("the provider's errors pass through marked (404, 415, 422, PUT and PATCH it does not serve), unlike the kit's own 404", async () => {
    const missing = await api.call('GET', proxy(ids.te, 'people/999999'), { key: keys.proxy });
    expectPassedThrough(missing, 404);
    expect(missing.json).toEqual({ error: 'not_found' });
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    const unsupported = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: { 'content-type': 'text/plain' }, body: 'Ada' });
    expectPassedThrough(unsupported, 415);
    const invalid = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: json, body: '{"person":{}}' });
    expectPassedThrough(invalid, 422);
    expect(invalid.json).toEqual({ errors: { first_name: ["can't be blank"], last_name: ["can't be blank"] } });
    expectPassedThrough(await api.call('PUT', proxy(ids.te, 'people/1'), { key: keys.proxy, headers: json, body: '{}' }), 404);
    expectPassedThrough(await api.call('PATCH', proxy(ids.te, 'people/1'), { key: keys.proxy, headers: json, body: '{}' }), 404);
    const kitOwn = await api.call('GET', proxy('AAAAAAAAAAAAAAAAAAAAAA', 'people'), { key: keys.proxy });
    expectProblem(kitOwn, 404, 'not-found');
  });

  it('Total Expert (oauth2-server-php flavour) works the same way', async () => {
    const created = await api.call('POST', proxy(ids.tx, 'people'), { key: keys.proxy, headers: json, body: JSON.stringify({ person: { first_name: 'Lin', last_name: 'Ma' } }) });
    expectPassedThrough(created, 201);
    const sent = demo.providers['total-expert'].api.requests.at(-1)!;
    expect(demo.providers['total-expert'].issuedTokens).toContain(sent.headers.authorization!.slice('Bearer '.length));
  });
});

describe('the token goes to the provider’s API base and nowhere else (T37)', () => {
  const escapes = () => [
    `/${attacker.host}/steal`, // → …/proxy//127.0.0.1:port/steal: a network-path reference
    `http://${attacker.host}/steal`,
    `https:/${attacker.host}`,
    `http:%2F%2F${attacker.host}/steal`,
    `%2F%2F${attacker.host}/steal`,
    '../../oauth/token',
    '..',
    './people',
    'people/../../../steal',
    '%2e%2e/%2e%2e/oauth/token',
    '%2E%2E/steal',
    '.%2e/steal',
    '..%2F..%2Fsteal',
    'people%2F..%2F..%2Fsteal',
    '%252e%252e/steal',
    'people\\..\\..\\steal',
    'people%5C..%5Csteal',
    'people%0D%0AX-Injected:%201',
    'people%00',
    `@${attacker.host}/..`,
  ];

  it('refuses absolute URLs, //host, dot segments plain or encoded, encoded slashes, backslashes and encoded CR LF: 400 naming the path', async () => {
    const from = te().api.requests.length;
    for (const path of escapes()) {
      const answer = await api.call('GET', proxy(ids.te, path), { key: keys.proxy });
      expectProblem(answer, 400, 'invalid-request');
      expect(answer.json, path).toMatchObject({ field: 'path', errors: [{ in: 'path', field: 'path' }] });
    }
    expect(upstreamSince(from)).toEqual([]);
    expect(attacker.received).toEqual([]);
  });

  it('a path that merely looks like a host stays a path under the base', async () => {
    const from = te().api.requests.length;
    const answer = await api.call('GET', proxy(ids.te, `people/@${attacker.host}/steal`), { key: keys.proxy });
    expectPassedThrough(answer, 404);
    expect(upstreamSince(from).map((sent) => sent.path)).toEqual([`/api/people/@${attacker.host}/steal`]);
    expect(attacker.received).toEqual([]);
  });

  it('no header moves the call: Host, X-Forwarded-Host, Forwarded, Base-Url-Override and the like are not passed on', async () => {
    const from = te().api.requests.length;
    const answer = await api.call('GET', proxy(ids.te, 'people/999999'), {
      key: keys.proxy,
      headers: {
        host: attacker.host,
        'x-forwarded-host': attacker.host,
        'x-forwarded-proto': 'http',
        forwarded: `host=${attacker.host}`,
        'base-url-override': attacker.url,
        'nango-proxy-base-url-override': attacker.url,
        'x-original-url': `${attacker.url}/steal`,
      },
    });
    expectPassedThrough(answer, 404);
    const [sent] = upstreamSince(from);
    expect(sent!.headers.host).toBe(new URL(demo.providerUrls['te-recruit']).host);
    for (const name of ['x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'base-url-override', 'nango-proxy-base-url-override', 'x-original-url']) expect(sent!.headers[name]).toBeUndefined();
    expect(attacker.received).toEqual([]);
  });

  it('header injection: a CR, LF or other control character in a header never reaches the provider', async () => {
    const from = te().api.requests.length;
    // Raw bytes on the socket (a client library would refuse to send them): Node's parser answers
    // 400 before the kit sees the request; the kit refuses any control character that got through.
    for (const header of ['Accept: a\rX-Injected: 1', 'Accept: a\nX-Injected: 1', 'If-None-Match: a\u0001b']) {
      const answer = await rawRequest(`GET ${PARTNER_BASE}${proxy(ids.te, 'people/1')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys.proxy}\r\n${header}\r\nConnection: close\r\n\r\n`);
      expect(answer, header).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).not.toContain('x-ats-proxied');
    }
    expect(upstreamSince(from)).toEqual([]);
  });

  it('a redirect from the provider is neither followed nor passed on: 502 provider-redirect, the attacker gets nothing', async () => {
    te().api.injectFault('redirect');
    const answer = await api.call('GET', proxy(ids.te, 'people/1'), { key: keys.proxy });
    expectProblem(answer, 502, 'provider-redirect');
    expect(answer.headers.get('location')).toBeNull();
    expect(answer.text).not.toContain(attacker.host);
    expect(attacker.received).toEqual([]);
  });
});

describe('refresh, retries, deadline, size caps (RFC 6750 §3.1, RFC 9110 §9.2, T34)', () => {
  it('a 401 from the provider: one refresh, one replay (a POST too: the provider refused it unread)', async () => {
    const refreshes = te().counts.byGrant.refresh_token ?? 0;
    te().expireAccessTokens();
    const from = te().api.requests.length;
    const answer = await api.call('POST', proxy(ids.te, 'people/search'), { key: keys.proxy, headers: json, body: JSON.stringify({ person_search: { keyword: 'ada' } }) });
    expectPassedThrough(answer, 200);
    expect((answer.json.entries as unknown[]).length).toBeGreaterThan(0);
    expect(te().counts.byGrant.refresh_token).toBe(refreshes + 1);
    const sent = upstreamSince(from);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers.authorization).not.toBe(sent[1]!.headers.authorization);
  });

  it('Total Expert answers 401 with a JSON body: refreshed and replayed the same way', async () => {
    const fake = demo.providers['total-expert'];
    const refreshes = fake.counts.byGrant.refresh_token ?? 0;
    fake.expireAccessTokens();
    const answer = await api.call('GET', proxy(ids.tx, 'hotlists?name=x'), { key: keys.proxy });
    expectPassedThrough(answer, 200);
    expect(fake.counts.byGrant.refresh_token).toBe(refreshes + 1);
  });

  it('a refresh the provider refuses (invalid_grant): 409 needs-reconnect, and the connection says so', async () => {
    await expireInKit(ids.reconnect);
    te().injectFault('invalid_grant');
    const answer = await api.call('GET', proxy(ids.reconnect, 'people/1'), { key: keys.proxy });
    expectProblem(answer, 409, 'needs-reconnect');
    expect((await demo.kit.connections.get(ids.reconnect))!.status).toBe('needs_reconnect');
  });

  it('GET is retried once after a 503 or a reset connection; a second failure is passed through', async () => {
    let from = te().api.requests.length;
    te().api.injectFault('status-503');
    expectPassedThrough(await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy }), 200);
    expect(upstreamSince(from)).toHaveLength(2);
    from = te().api.requests.length;
    te().api.injectFault('reset');
    expectPassedThrough(await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy }), 200);
    expect(upstreamSince(from)).toHaveLength(2);
    from = te().api.requests.length;
    te().api.injectFault('status-503', 2);
    expectPassedThrough(await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy }), 503);
    expect(upstreamSince(from)).toHaveLength(2);
  });

  it('a 429 is passed through with its Retry-After, never retried by the kit', async () => {
    const from = te().api.requests.length;
    te().api.injectFault('status-429');
    const answer = await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy });
    expectPassedThrough(answer, 429);
    expect(answer.headers.get('retry-after')).toBe('30');
    expect(upstreamSince(from)).toHaveLength(1);
  });

  it('a POST that fails is sent once: a 500 passed through, a reset connection 502; nothing created twice', async () => {
    let from = te().api.requests.length;
    te().api.injectFault('status-500');
    const failed = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: json, body: JSON.stringify({ person: { first_name: 'Once', last_name: 'Only' } }) });
    expectPassedThrough(failed, 500);
    expect(upstreamSince(from)).toHaveLength(1);
    from = te().api.requests.length;
    te().api.injectFault('reset');
    const reset = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: json, body: JSON.stringify({ person: { first_name: 'Once', last_name: 'Only' } }) });
    expectProblem(reset, 502, 'provider-unavailable');
    expect(upstreamSince(from)).toHaveLength(1);
    from = te().api.requests.length;
    te().api.injectFault('status-503');
    expectPassedThrough(await api.call('PATCH', proxy(ids.te, 'people/1'), { key: keys.proxy, headers: json, body: '{}' }), 503);
    expect(upstreamSince(from)).toHaveLength(1);
  });

  it('a POST with an Idempotency-Key may be retried once, the key passed on each time', async () => {
    const from = te().api.requests.length;
    te().api.injectFault('status-503');
    const answer = await api.call('POST', proxy(ids.te, 'people'), {
      key: keys.proxy,
      headers: { ...json, 'idempotency-key': 'order-42-person' },
      body: JSON.stringify({ person: { first_name: 'Idem', last_name: 'Potent' } }),
    });
    expectPassedThrough(answer, 201);
    const sent = upstreamSince(from);
    expect(sent).toHaveLength(2);
    expect(sent.map((request) => request.headers['idempotency-key'])).toEqual(['order-42-person', 'order-42-person']);
  });

  it('a provider slower than the deadline: 504 provider-timeout, not retried', async () => {
    const from = te().api.requests.length;
    te().api.injectFault('delay');
    const started = Date.now();
    const answer = await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy });
    expectProblem(answer, 504, 'provider-timeout');
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(upstreamSince(from)).toHaveLength(1);
  });

  it('an answer over the cap: 502 provider-response-too-large; a body over the cap: 413, nothing sent', async () => {
    te().api.injectFault('large');
    expectProblem(await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy }), 502, 'provider-response-too-large');
    const from = te().api.requests.length;
    const tooLarge = await api.call('POST', proxy(ids.te, 'people'), { key: keys.proxy, headers: json, body: Buffer.alloc(PROXY_MAX_REQUEST_BYTES + 1, 0x20) });
    expectProblem(tooLarge, 413, 'payload-too-large');
    const getWithBody = await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.proxy, headers: json, body: '{}' });
    expectProblem(getWithBody, 400, 'invalid-request');
    expect(upstreamSince(from)).toEqual([]);
  });
});

describe('who may proxy what', () => {
  it('a read or write key cannot proxy: 403 insufficient_scope naming proxy; nothing sent', async () => {
    const from = te().api.requests.length;
    for (const [method, key] of [['GET', keys.read], ['POST', keys.write], ['DELETE', keys.write]] as const) {
      const answer = await api.call(method, proxy(ids.te, 'people/1'), { key });
      expectProblem(answer, 403, 'insufficient-scope');
      expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="proxy"/);
    }
    expectProblem(await api.call('GET', proxy(ids.te, 'people/1')), 401, 'unauthorized');
    expect(upstreamSince(from)).toEqual([]);
  });

  it("a tenant-restricted key cannot proxy another tenant's connection: the 404 of an id never issued, nothing sent", async () => {
    const from = te().api.requests.length;
    const foreign = await api.call('GET', proxy(ids.globex, 'people/1'), { key: keys.acmeProxy });
    const unknown = await api.call('GET', proxy('AAAAAAAAAAAAAAAAAAAAAA', 'people/1'), { key: keys.acmeProxy });
    expectProblem(foreign, 404, 'not-found');
    const strip = ({ instance: _i, request_id: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(foreign.json)).toEqual(strip(unknown.json));
    expect(upstreamSince(from)).toEqual([]);
    expectPassedThrough(await api.call('GET', proxy(ids.te, 'hotlists'), { key: keys.acmeProxy }), 200);
    expectPassedThrough(await api.call('GET', proxy(ids.globex, 'hotlists'), { key: keys.proxy }), 200);
  });

  it('a disconnected connection: 409 needs-reconnect', async () => {
    await demo.kit.connections.disconnect(ids.gone);
    expectProblem(await api.call('PUT', proxy(ids.gone, 'people/1'), { key: keys.proxy, headers: json, body: '{}' }), 409, 'needs-reconnect');
  });

  it('a provider with no API base configured: 501 provider-api-not-configured naming the option', async () => {
    const mine = await other.kit.connections.connectWithClientCredentials('my-ats', { id: 'user-acme-admin', tenantId: 'tenant-acme', displayName: 'Ada', email: 'a@acme.test' });
    const answer = await other.client.call('GET', proxy(mine.id, 'jobs'), { key: keys.proxy });
    expectProblem(answer, 501, 'provider-api-not-configured');
    expect(answer.json.detail).toContain('providers.my-ats.apiBaseUrl');
  });
});

describe('coverage and secrets', () => {
  it('every proxy operation of the document was exercised, with passed-through and problem answers', () => {
    expect(api.unexercisedTagged('proxy')).toEqual([]);
    for (const id of ['proxyConnectionGet', 'proxyConnectionPost', 'proxyConnectionPut', 'proxyConnectionPatch', 'proxyConnectionDelete']) expect(api.checker.seen).toContain(`${id} default`);
  });

  it('no provider token or API key in any answer or log line; each proxied call is logged without path, query or token', () => {
    const tokens = Object.values(demo.providers).flatMap((fake) => fake.issuedTokens);
    expect(tokens.length).toBeGreaterThan(5);
    const everything = [...api.answers, ...other.client.answers, ...demo.logs, ...other.logs].join('\n');
    for (const token of tokens) expect(everything.includes(token), `a provider token (${token.slice(0, 6)}…) leaked`).toBe(false);
    for (const key of Object.values(keys)) expect(everything.includes(key), 'an API key leaked').toBe(false);
    const proxied = demo.logs.filter((line) => line.includes('partner API proxy call'));
    expect(proxied.length).toBeGreaterThan(10);
    for (const line of proxied) {
      expect(line).not.toMatch(/hotlists|people|record_type/);
      expect(JSON.parse(line)).toMatchObject({ upstreamStatus: expect.any(Number), attempts: expect.any(Number) });
    }
    expect(attacker.received).toEqual([]);
  });
});
