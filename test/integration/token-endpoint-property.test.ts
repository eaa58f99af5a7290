/**
 * Property tests (fast-check) against the token endpoint and the callback over real HTTP: whatever
 * arrives, never a 5xx, and never a token (or a 2xx callback) without the right credential.
 * At least 5 000 generated token requests and 1 500 callback requests reach the server per run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';
import { basicHeader, connectCompany, requestToken, type IssuedCredentials } from '../helpers/integration-fixture.js';

let demo: TestDemo;
let client: IssuedCredentials;
let validToken: string;

beforeAll(async () => {
  demo = await startTestDemo({ logLevel: 'silent' });
  client = await connectCompany(demo, 'PROPERTY-CO');
  const issued = await requestToken(demo.kitUrl + demo.kit.paths.token, {
    form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
  });
  validToken = String(issued.body.access_token);
});
afterAll(async () => {
  await demo?.stop();
});

/** Any code points: for bodies. */
const junk = fc.string({ maxLength: 40, unit: 'binary' });
/** Printable ASCII: what can travel in a header at all. */
const headerJunk = fc.string({ maxLength: 40 });

describe('RFC 6749 §5.2 under generated input (token endpoint)', () => {
  it('never answers 5xx and never issues a token without the right client secret', async () => {
    let sent = 0;
    let issued = 0;
    const tokenUrl = demo.kitUrl + demo.kit.paths.token;
    const clientId = fc.oneof(fc.constant(client.clientId), junk, fc.constant(''));
    const secret = fc.oneof(fc.constant(client.clientSecret), fc.constant(client.clientSecret + 'x'), fc.constant(client.clientSecret.slice(1)), junk);
    const param = fc.tuple(
      fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'code', 'refresh_token', 'x'),
      fc.oneof(fc.constantFrom('client_credentials', 'password', 'authorization_code', ''), junk, clientId, secret),
    );
    const legitimate = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString();
    const body = fc.oneof(
      fc.constant(legitimate),
      fc.record({ grantType: fc.constantFrom('client_credentials', 'password', ''), clientId, secret, extra: fc.array(param, { maxLength: 3 }) }).map(
        ({ grantType, clientId: id, secret: s, extra }) => {
          const form = new URLSearchParams({ grant_type: grantType, client_id: id, client_secret: s });
          for (const [name, value] of extra) form.append(name, value);
          return form.toString();
        },
      ),
      fc.array(param, { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
      junk,
    );
    const authorization = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      fc.tuple(clientId, secret).map(([id, s]) => basicHeader(id, s)),
      { arbitrary: junk.map((value) => 'Basic ' + Buffer.from(value).toString('base64')), weight: 1 },
      { arbitrary: headerJunk, weight: 1 },
    );
    const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x');
    const query = fc.constantFrom('', '', '?client_secret=x', '?grant_type=client_credentials');

    await fc.assert(
      fc.asyncProperty(body, authorization, contentType, query, async (form, auth, type, search) => {
        const headers: Record<string, string> = { 'content-type': type };
        if (auth !== undefined) headers.authorization = auth;
        let response: Awaited<ReturnType<typeof requestToken>>;
        try {
          response = await requestToken(tokenUrl, { form, headers, query: search });
        } catch {
          return true; // undici refused to send an invalid header value: nothing reached the server
        }
        sent += 1;
        expect(response.status).toBeLessThan(500);
        if (response.status === 200) {
          issued += 1;
          const posted = new URLSearchParams(form);
          const viaPost = posted.get('client_id') === client.clientId && posted.get('client_secret') === client.clientSecret;
          const viaBasic = auth === basicHeader(client.clientId, client.clientSecret);
          expect(viaPost || viaBasic).toBe(true);
          expect(type).toBe('application/x-www-form-urlencoded');
          expect(search).toBe('');
        }
        return true;
      }),
      { numRuns: 5_200 },
    );
    // Most generated requests must actually reach the server, and some must be legitimate.
    expect(sent).toBeGreaterThanOrEqual(5_000);
    expect(issued).toBeGreaterThan(0);
  });
});

describe('RFC 6750 §3 under generated input (callback)', () => {
  it('never answers 5xx and never acknowledges without a valid bearer token', async () => {
    let sent = 0;
    const callbackUrl = demo.kitUrl + demo.kit.paths.callback;
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constant(`Bearer ${validToken}`),
      fc.constant(`bearer ${validToken}`),
      headerJunk.map((value) => `Bearer ${value}`),
      headerJunk,
    );
    const body = fc.oneof(
      fc.constant('{"eventType":"INTEGRATION_DISABLED"}'),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.record({ eventType: fc.oneof(junk, fc.integer(), fc.constant(null)) }).map((value) => JSON.stringify(value)),
      junk,
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded');
    await fc.assert(
      fc.asyncProperty(authorization, body, contentType, async (auth, payload, type) => {
        const headers: Record<string, string> = { 'content-type': type };
        if (auth !== undefined) headers.authorization = auth;
        let response: Response;
        try {
          response = await fetch(callbackUrl, { method: 'POST', headers, body: payload });
        } catch {
          return true; // an invalid header value never left the client
        }
        sent += 1;
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        if (response.status < 300) expect(auth?.toLowerCase()).toBe(`bearer ${validToken}`.toLowerCase());
        return true;
      }),
      { numRuns: 1_600 },
    );
    expect(sent).toBeGreaterThanOrEqual(1_500);
  });
});
