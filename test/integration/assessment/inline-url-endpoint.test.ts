/**
 * The inline-order URL from the partner's own endpoint (`ATS_ASSESSMENT_INLINE_URL_ENDPOINT`,
 * server/assessment/inline-url-endpoint.ts): SR's inline order (seed 003 §3) is answered with the
 * URL a partner backend in any language returns, signed so that backend can tell the kit's calls
 * from anyone's, within the hook budget, never following a redirect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AssessmentPackage } from '../../../server/assessment/sr-assessment-types.js';
import { optionsFromEnv } from '../../../server/config-env.js';
import { verifyWebhookSignature } from '../../../server/events/webhook-signature.js';
import { enableAssessment, inlineOrderBody, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

const SECRET = 'inline-endpoint-secret-'.padEnd(40, 'x');
const COMPANY = 'ACME-INLINE-ENDPOINT';
const PACKAGES: AssessmentPackage[] = [{ id: 'apply-quiz', type: 'INLINE_ASSESSMENT', name: 'Quiz', description: 'While applying', assessments: [] }];

type Mode = 'ok' | 'slow' | 'redirect' | 'error' | 'huge' | 'no-url';
let mode: Mode = 'ok';
const received: Array<{ body: string; valid: boolean }> = [];
let endpoint: Server;
let endpointUrl: string;
/** Where the redirect points: it must receive nothing. */
let trap: Server;
let trapUrl: string;
const trapped: string[] = [];
let demo: TestDemo;
let token: string;

function answer(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const valid = verifyWebhookSignature(SECRET, { id: req.headers['x-ats-event-id'], timestamp: req.headers['x-ats-timestamp'], signature: req.headers['x-ats-signature'] }, body);
    received.push({ body, valid });
    const { orderId } = JSON.parse(body) as { orderId: string };
    if (!valid) return void res.writeHead(401).end();
    if (mode === 'slow') return; // never answers
    if (mode === 'redirect') return void res.writeHead(302, { location: `${trapUrl}/steal` }).end();
    if (mode === 'error') return void res.writeHead(500).end('{"url":"https://assess.example/wrong"}');
    if (mode === 'huge') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `https://assess.example/take/${orderId}`, pad: 'x'.repeat(20_000) }));
    if (mode === 'no-url') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"link":"https://assess.example/elsewhere"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `https://assess.example/take/${orderId}` }));
  });
}

beforeAll(async () => {
  endpoint = createServer(answer);
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/inline-url`;
  trap = createServer((req, res) => {
    trapped.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  // The hook exactly as the standalone server builds it from its environment.
  const fromEnv = optionsFromEnv(
    {
      ATS_SR_PRODUCT: 'assessment',
      ATS_PUBLIC_URL: 'http://localhost:3000',
      ATS_ASSESSMENT_INLINE_URL_ENDPOINT: endpointUrl,
      ATS_ASSESSMENT_INLINE_URL_SECRET: SECRET,
      ATS_ASSESSMENT_HOOK_TIMEOUT_MS: '400',
    },
    async () => null,
  );
  demo = await startTestDemo({
    assessmentKitOptions: {
      assessment: {
        supportedAssessmentTypes: ['SKILL_TEST', 'INLINE_ASSESSMENT'],
        hookTimeoutMs: 400,
        packages: () => PACKAGES,
        inlineOrderUrl: fromEnv.assessment!.inlineOrderUrl,
      },
    },
  });
  expect((await enableAssessment(demo, COMPANY)).approved.status).toBe(200);
  token = await srToken(demo, COMPANY);
});
afterAll(async () => {
  await demo?.stop();
  await new Promise<void>((resolve) => trap?.close(() => resolve()));
  endpoint?.closeAllConnections();
  await new Promise<void>((resolve) => endpoint?.close(() => resolve()));
});
beforeEach(() => {
  mode = 'ok';
  received.length = 0;
});

describe("the inline-order URL from the partner's endpoint", () => {
  it('SR gets the URL the endpoint answered; the endpoint got a signed order with the candidate and no callback URL', async () => {
    const { orderId, body } = inlineOrderBody(demo, COMPANY);
    const placed = await srCall(demo, token, 'POST', '/inline-orders', body);
    expect(placed).toMatchObject({ status: 200, body: { url: `https://assess.example/take/${orderId}` } });
    expect(received).toHaveLength(1);
    expect(received[0]!.valid).toBe(true);
    const sent = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ orderId, companyId: COMPANY, packageId: 'apply-quiz', jobId: 'job-2', candidate: { email: 'grace.hopper@candidates.example' } });
    expect(received[0]!.body).not.toContain('callback');
    // SR asking again for the same order gets the stored URL without another call.
    expect(await srCall(demo, token, 'POST', '/inline-orders', body)).toMatchObject({ status: 200, body: { url: `https://assess.example/take/${orderId}` } });
    expect(received).toHaveLength(1);
  });

  it.each<Mode>(['slow', 'error', 'huge', 'no-url'])('%s: 503 within the budget, the order kept, and the retry gets the URL once the endpoint answers', async (failure) => {
    const { orderId, body } = inlineOrderBody(demo, COMPANY);
    mode = failure;
    const started = Date.now();
    const failed = await srCall(demo, token, 'POST', '/inline-orders', body);
    expect(failed.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toMatchObject({ assessmentUrl: null });
    mode = 'ok';
    expect(await srCall(demo, token, 'POST', '/inline-orders', body)).toMatchObject({ status: 200, body: { url: `https://assess.example/take/${orderId}` } });
  });

  it('a redirect is not followed: the order goes nowhere else', async () => {
    const { body } = inlineOrderBody(demo, COMPANY);
    mode = 'redirect';
    expect((await srCall(demo, token, 'POST', '/inline-orders', body)).status).toBe(503);
    expect(received).toHaveLength(1);
    expect(trapped).toEqual([]);
  });
});

describe('its configuration', () => {
  const base = { ATS_SR_PRODUCT: 'assessment', ATS_PUBLIC_URL: 'https://partner.example' };
  const fails = (env: Record<string, string>) => () => optionsFromEnv({ ...base, ...env }, async () => null);
  it('refuses a short secret, plain http off loopback, credentials in the URL, and the template beside it, naming the variable', () => {
    expect(fails({ ATS_ASSESSMENT_INLINE_URL_ENDPOINT: 'https://backend.example/url', ATS_ASSESSMENT_INLINE_URL_SECRET: 'short' })).toThrow(/ATS_ASSESSMENT_INLINE_URL_SECRET/);
    expect(fails({ ATS_ASSESSMENT_INLINE_URL_ENDPOINT: 'http://backend.example/url', ATS_ASSESSMENT_INLINE_URL_SECRET: SECRET })).toThrow(/ATS_ASSESSMENT_INLINE_URL_ENDPOINT.*https/);
    expect(fails({ ATS_ASSESSMENT_INLINE_URL_ENDPOINT: 'https://user:pw@backend.example/url', ATS_ASSESSMENT_INLINE_URL_SECRET: SECRET })).toThrow(/credentials/);
    expect(fails({ ATS_ASSESSMENT_INLINE_URL_ENDPOINT: 'https://backend.example/url', ATS_ASSESSMENT_INLINE_URL_SECRET: SECRET, ATS_ASSESSMENT_INLINE_URL_TEMPLATE: 'https://a.example/{orderId}' })).toThrow(/choose one/);
    expect(fails({ ATS_ASSESSMENT_INLINE_URL_ENDPOINT: 'https://backend.example/url', ATS_ASSESSMENT_INLINE_URL_SECRET: SECRET })()).toMatchObject({ assessment: { inlineOrderUrl: expect.any(Function) } });
  });
});
