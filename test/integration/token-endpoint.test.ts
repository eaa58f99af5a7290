/**
 * Our token endpoint (`oauthTokenUrl`, seed 001 §1) over real HTTP, titled by the RFC 6749 section
 * each test proves; reference/security.md T17–T23.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';
import { basicHeader, connectCompany, requestToken, type IssuedCredentials } from '../helpers/integration-fixture.js';

let demo: TestDemo;
let tokenUrl: string;
let client: IssuedCredentials;

beforeAll(async () => {
  demo = await startTestDemo({ kitOptions: { clientAuthThrottle: { maxFailures: 5, windowSeconds: 60 } } });
  tokenUrl = demo.kitUrl + demo.kit.paths.token;
  client = await connectCompany(demo, 'TOKEN-CO');
});
afterAll(async () => {
  await demo?.stop();
});

const post = (credentials: IssuedCredentials, extra: Record<string, string> = {}) => ({
  form: { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, ...extra },
});

function expectNoStore(headers: Headers) {
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('pragma')).toBe('no-cache');
}

describe('RFC 6749 §4.4 client credentials grant and §5.1 successful response', () => {
  it('client_secret_post (SmartRecruiters’ documented form) → 200 with exactly access_token, token_type, expires_in', async () => {
    const response = await requestToken(tokenUrl, post(client));
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(response.body.token_type).toBe('Bearer');
    expect(response.body.expires_in).toBe(3600);
    // <issuance time, base36>.<256 random bits, base64url> (server/oauth/access-tokens.ts)
    const [issued, secret] = String(response.body.access_token).split('.');
    expect(issued).toMatch(/^[0-9a-z]{9}$/);
    expect(Buffer.from(secret!, 'base64url')).toHaveLength(32);
    expect(response.headers.get('content-type')).toContain('application/json');
    expectNoStore(response.headers);
  });

  it('client_secret_basic → 200', async () => {
    const response = await requestToken(tokenUrl, { form: { grant_type: 'client_credentials' }, basic: client });
    expect(response.status).toBe(200);
  });

  it('Appendix B: a Basic header with every character percent-encoded decodes to the same credentials', async () => {
    const percent = (value: string) => [...Buffer.from(value)].map((byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
    const header = 'Basic ' + Buffer.from(`${percent(client.clientId)}:${percent(client.clientSecret)}`).toString('base64');
    const response = await requestToken(tokenUrl, { form: { grant_type: 'client_credentials' }, headers: { authorization: header } });
    expect(response.status).toBe(200);
  });

  it('issued tokens are opaque, unique, and stored only as a hash', async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, async () => String((await requestToken(tokenUrl, post(client))).body.access_token)));
    expect(new Set(tokens).size).toBe(5);
    const rows = await (demo.kit.store as KyselyStore).db.selectFrom('issued_tokens').selectAll().execute();
    const dump = JSON.stringify(rows);
    for (const token of tokens) expect(dump).not.toContain(token);
    expect(rows.every((row) => Number(row.expires_at) > Date.now())).toBe(true);
  });

  it('an independent client (oauth4webapi, as SmartRecruiters would use one) obtains a token and uses it', async () => {
    const as: oauth.AuthorizationServer = { issuer: demo.kitUrl, token_endpoint: tokenUrl };
    const oauthClient: oauth.Client = { client_id: client.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, oauthClient, oauth.ClientSecretPost(client.clientSecret), new URLSearchParams(), {
      [oauth.allowInsecureRequests]: true,
    });
    const result = await oauth.processClientCredentialsResponse(as, oauthClient, response);
    expect(result.token_type).toBe('bearer');
    expect(result.expires_in).toBe(3600);
    const check = await oauth.protectedResourceRequest(result.access_token, 'GET', new URL(demo.kitUrl + demo.kit.paths.integrationCheck), undefined, undefined, {
      [oauth.allowInsecureRequests]: true,
    });
    expect(check.status).toBe(200);
    expect(await check.json()).toEqual({ companyId: 'TOKEN-CO', tenantId: 'tenant-acme', state: 'active' });

    const basicResponse = await oauth.clientCredentialsGrantRequest(as, oauthClient, oauth.ClientSecretBasic(client.clientSecret), new URLSearchParams(), {
      [oauth.allowInsecureRequests]: true,
    });
    expect((await oauth.processClientCredentialsResponse(as, oauthClient, basicResponse)).access_token).toBeTruthy();
  });
});

describe('RFC 6749 §5.2 error response', () => {
  it.each<[string, Parameters<typeof requestToken>[1], number, string]>([
    ['missing grant_type', { form: { client_id: 'x', client_secret: 'y' } }, 400, 'invalid_request'],
    ['grant_type=password', { form: { grant_type: 'password', username: 'a', password: 'b' } }, 400, 'unsupported_grant_type'],
    ['grant_type=authorization_code', { form: { grant_type: 'authorization_code', code: 'x' } }, 400, 'unsupported_grant_type'],
    ['grant_type twice (§3.2)', { form: 'grant_type=client_credentials&grant_type=client_credentials' }, 400, 'invalid_request'],
    ['client_id twice (§3.2)', { form: 'grant_type=client_credentials&client_id=a&client_id=a&client_secret=b' }, 400, 'invalid_request'],
    ['credentials in the query string', { form: { grant_type: 'client_credentials' }, query: '?client_id=a&client_secret=b' }, 400, 'invalid_request'],
    ['a JSON body', { form: '{"grant_type":"client_credentials"}', headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
    ['Basic and client_secret in the body', { form: { grant_type: 'client_credentials', client_secret: 'x' }, headers: { authorization: basicHeader('a', 'b') } }, 400, 'invalid_request'],
    ['Authorization: Bearer', { form: { grant_type: 'client_credentials' }, headers: { authorization: 'Bearer x' } }, 400, 'invalid_request'],
    ['malformed Basic', { form: { grant_type: 'client_credentials' }, headers: { authorization: 'Basic Zm9v' } }, 400, 'invalid_request'],
    ['an empty secret', { form: { grant_type: 'client_credentials', client_id: 'a', client_secret: '' } }, 400, 'invalid_request'],
    ['no client authentication', { form: { grant_type: 'client_credentials' } }, 401, 'invalid_client'],
    ['a 5 kB body', { form: { grant_type: 'client_credentials', pad: 'x'.repeat(5000) } }, 400, 'invalid_request'],
  ])('%s → %i %s', async (_name, request, status, error) => {
    const response = await requestToken(tokenUrl, request);
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(Object.keys(response.body).every((key) => ['error', 'error_description'].includes(key))).toBe(true);
    expect(String(response.body.error_description)).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
    expectNoStore(response.headers);
  });

  it('a secret sent in the query string is refused and never reaches a log line (T17)', async () => {
    const leaked = 'query-secret-' + Math.random().toString(36).slice(2);
    const response = await requestToken(tokenUrl, { ...post(client), query: `?client_secret=${leaked}` });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
    expect(demo.logs.join('')).not.toContain(leaked);
  });

  it('invalid_scope: a scope outside the allow-list, and a malformed scope', async () => {
    for (const scope of ['candidates_read', 'a\nb', 'a  b']) {
      const response = await requestToken(tokenUrl, post(client, { scope }));
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_scope');
    }
  });

  it('401 invalid_client carries WWW-Authenticate: Basic when Basic was used, and none otherwise', async () => {
    const basic = await requestToken(tokenUrl, { form: { grant_type: 'client_credentials' }, basic: { clientId: client.clientId, clientSecret: 'wrong' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe(`Basic realm="${demo.kitUrl}"`);
    const posted = await requestToken(tokenUrl, post({ clientId: client.clientId, clientSecret: 'wrong' }));
    expect(posted.status).toBe(401);
    expect(posted.headers.get('www-authenticate')).toBeNull();
  });

  it('an unknown client and a wrong secret get byte-identical answers (T18)', async () => {
    const wrong = await requestToken(tokenUrl, post({ clientId: client.clientId, clientSecret: 'x'.repeat(43) }));
    const unknown = await requestToken(tokenUrl, post({ clientId: 'ats_unknown_client_id_x', clientSecret: 'x'.repeat(43) }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    const headers = (h: Headers) => [...h.entries()].filter(([name]) => !['date', 'content-length'].includes(name));
    expect(headers(wrong.headers)).toEqual(headers(unknown.headers));
  });

  it('405 with Allow: POST for GET and PUT, still no-store (T23)', async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await fetch(tokenUrl, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expectNoStore(response.headers);
    }
  });

  it('no CORS headers, even for a preflight from another origin (T23)', async () => {
    const response = await fetch(tokenUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('RFC 6749 §2.3.1 brute-force protection (T20)', () => {
  it('throttles failures per client with 429 + Retry-After, and the right secret still works', async () => {
    const victim = await connectCompany(demo, 'THROTTLED-CO');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      statuses.push((await requestToken(tokenUrl, post({ clientId: victim.clientId, clientSecret: `guess-${attempt}` }))).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const throttled = await requestToken(tokenUrl, post({ clientId: victim.clientId, clientSecret: 'guess-again' }));
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expectNoStore(throttled.headers);
    const legitimate = await requestToken(tokenUrl, post(victim));
    expect(legitimate.status).toBe(200);
    const log = demo.logs.join('');
    expect(log).toContain('client authentication failed at the token endpoint');
    expect(log).not.toContain(victim.clientSecret);
  });
});

describe('T22: tokens are bound to one integration and die with it', () => {
  it('after a disable, the credentials get invalid_client and earlier tokens get invalid_token', async () => {
    const doomed = await connectCompany(demo, 'DOOMED-CO');
    const token = String((await requestToken(tokenUrl, post(doomed))).body.access_token);
    expect(await demo.kit.integrations.disable('DOOMED-CO')).toBe(true);
    const again = await requestToken(tokenUrl, post(doomed));
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_client');
    const check = await fetch(demo.kitUrl + demo.kit.paths.integrationCheck, { headers: { authorization: `Bearer ${token}` } });
    expect(check.status).toBe(401);
    expect(check.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
