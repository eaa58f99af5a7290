/**
 * The fake SmartRecruiters, Assessment side (seed 003; reference/providers.md §1.4–§1.8), over real
 * HTTP on loopback, on its own: the fake SR, and a stand-in partner that receives SR's token,
 * package, order and disable calls. No kit involved.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { CUSTOMER_SCOPE, FakeSmartRecruitersAssessment, MASTER_SCOPE } from '../../demo/providers/fake-sr-assessment.js';
import { DEFAULT_COMPANY, DEMO_COMPANIES } from '../../demo/providers/fake-sr-assessment-data.js';

const BASE = '/assessment-api/v202010';
const ACME = DEMO_COMPANIES[0]!;
const GLOBEX = DEMO_COMPANIES[1]!;
const ADA = ACME.candidates[0]!;

let assessment: FakeSmartRecruitersAssessment;
let fakeSr: FakeSmartRecruiters;
let srServer: Server;
let srUrl = '';
let partnerServer: Server;
let partnerUrl = '';
const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
/** Per-path answer overrides for the stand-in partner. */
const partnerAnswers = new Map<string, { status: number; body?: unknown }>();

const PACKAGES = [
  { id: 'pkg-skills', type: 'SKILL_TEST', name: 'Skills test', description: 'Coding', assessments: [{ id: 'a-1', type: 'SKILL_TEST', description: 'Algorithms' }] },
  { id: 'inline/1', type: 'INLINE_ASSESSMENT', name: 'Inline quiz', description: 'At application', assessments: [{}] },
];

async function partnerHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
  const path = new URL(req.url!, partnerUrl).pathname;
  const send = (status: number, answer?: unknown, type = 'application/json') => {
    res.writeHead(status, answer === undefined ? {} : { 'content-type': type, 'cache-control': 'no-store' });
    res.end(answer === undefined ? undefined : JSON.stringify(answer));
  };
  const override = partnerAnswers.get(`${req.method} ${path}`);
  if (override) return send(override.status, override.body);
  if (req.method === 'POST' && path === '/oauth/token') {
    const form = new URLSearchParams(body);
    const known = [...assessment.integrations.values()].some((row) => row.partnerClientId === form.get('client_id') && row.partnerClientSecret === form.get('client_secret'));
    return known ? send(200, { access_token: 'partner-token', token_type: 'Bearer', expires_in: 300 }) : send(400, { error: 'invalid_client' });
  }
  if (req.headers.authorization !== 'Bearer partner-token') return send(401, { error: 'invalid_token' });
  if (req.method === 'GET' && path === '/packages') return send(200, PACKAGES);
  const single = /^\/packages\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && single) {
    const found = PACKAGES.find((entry) => entry.id === decodeURIComponent(single[1]!));
    return found ? send(200, found) : send(404, { error: 'not found' });
  }
  if (req.method === 'POST' && path === '/orders') return send(202, {});
  if (req.method === 'POST' && path === '/inline-orders') return send(200, { url: `${partnerUrl}/take?order=1` });
  if (req.method === 'DELETE' && path.startsWith('/integrations/companies/')) return send(204);
  send(404, { error: 'unknown' });
}

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

beforeAll(async () => {
  assessment = new FakeSmartRecruitersAssessment({
    masterClientId: 'assess-master',
    masterClientSecret: 'assess-master-secret',
    faultDelayMs: 400,
    partnerTimeoutMs: 2_000,
    apiOrigin: () => srUrl,
  });
  fakeSr = new FakeSmartRecruiters({ appId: 'app', masterClientId: 'general-master', masterClientSecret: 'general-secret', assessment });
  srServer = createServer(fakeSr.handle);
  partnerServer = createServer((req, res) => void partnerHandler(req, res));
  [srUrl, partnerUrl] = await Promise.all([listen(srServer), listen(partnerServer)]);
});
afterAll(async () => {
  srServer.closeAllConnections();
  partnerServer.closeAllConnections();
  await Promise.all([srServer, partnerServer].map((server) => new Promise((resolve) => server.close(resolve))));
});
beforeEach(() => assessment.rateLimiter.reset());

async function tokenFor(clientId: string, clientSecret: string) {
  const response = await fetch(`${srUrl}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const masterToken = async () => (await tokenFor('assess-master', 'assess-master-secret')).body.access_token as string;

async function api(method: string, path: string, token: string | null, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${srUrl}${BASE}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': contentType } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

const validConfig = () => ({
  consentUrl: `${partnerUrl}/consent`,
  consentDisplayMode: 'POPUP',
  assessmentPackageListUrl: `${partnerUrl}/packages`,
  singleAssessmentPackageUrl: `${partnerUrl}/packages`,
  packageOrderUrl: `${partnerUrl}/orders`,
  inlineAssessmentPackageOrderUrl: `${partnerUrl}/inline-orders`,
  oauthTokenUrl: `${partnerUrl}/oauth/token`,
  integrationDisableUrl: `${partnerUrl}/integrations/companies`,
  fields: [{ id: 'department', name: 'Department', description: 'Which department hires' }],
  supportedAssessmentTypes: ['SKILL_TEST', 'INLINE_ASSESSMENT'],
});

/** Consent + exchange for a company; returns SR's customer-level credentials. */
async function integrate(companyId: string) {
  assessment.recordConsent(companyId);
  const answer = await api('POST', `/integration/company/${encodeURIComponent(companyId)}`, await masterToken(), {
    clientId: `partner-${companyId}`,
    clientSecret: `partner-secret-${companyId}`,
  });
  expect(answer.status).toBe(200);
  return answer.body as { clientId: string; clientSecret: string };
}

describe('token endpoint (shared with the general side)', () => {
  it('issues assessment master tokens with scope partner_configuration_manage, and still general ones', async () => {
    const master = await tokenFor('assess-master', 'assess-master-secret');
    expect(master.status).toBe(200);
    expect(master.body).toMatchObject({ token_type: 'bearer', expires_in: 1800, scope: MASTER_SCOPE });
    const general = await tokenFor('general-master', 'general-secret');
    expect(general.status).toBe(200);
    expect(general.body.scope).toBeUndefined();
    expect((await tokenFor('assess-master', 'wrong')).status).toBe(401);
    // A general-side token is no assessment token.
    expect((await api('GET', '/partner/configuration', general.body.access_token as string)).status).toBe(401);
  });
});

describe('PUT|GET /partner/configuration', () => {
  it('answers 404 to the exchange before any configuration, and GET 404 "Configuration does not exist"', async () => {
    const token = await masterToken();
    assessment.recordConsent('EARLY');
    const exchange = await api('POST', '/integration/company/EARLY', token, { clientId: 'a', clientSecret: 'b' });
    expect(exchange.status).toBe(404);
    expect(exchange.body.errors[0].message).toBe('Partner configuration does not exist');
    const get = await api('GET', '/partner/configuration', token);
    expect(get.status).toBe(404);
    expect(get.body.errors[0]).toMatchObject({ code: expect.any(String), message: 'Configuration does not exist' });
  });

  it('401 without or with a bad token, in the SR error shape with the rate-limit headers', async () => {
    for (const token of [null, 'not-a-token']) {
      const answer = await api('GET', '/partner/configuration', token);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0].code).toBe('UNAUTHORIZED');
      expect(answer.headers.get('x-ratelimit-limit')).toBe('10');
    }
  });

  it('400 on every violation of PartnerConfigurationRequest', async () => {
    const token = await masterToken();
    const without = (key: string) => {
      const config: Record<string, unknown> = validConfig();
      delete config[key];
      return config;
    };
    const cases: Array<[string, unknown]> = [
      ['not an object', [validConfig()]],
      ['missing consentUrl', without('consentUrl')],
      ['missing consentDisplayMode', without('consentDisplayMode')],
      ['missing assessmentPackageListUrl', without('assessmentPackageListUrl')],
      ['missing singleAssessmentPackageUrl', without('singleAssessmentPackageUrl')],
      ['missing oauthTokenUrl', without('oauthTokenUrl')],
      ['missing supportedAssessmentTypes', without('supportedAssessmentTypes')],
      ['relative consentUrl', { ...validConfig(), consentUrl: '/consent' }],
      ['empty oauthTokenUrl', { ...validConfig(), oauthTokenUrl: '' }],
      ['relative optional packageOrderUrl', { ...validConfig(), packageOrderUrl: 'orders' }],
      ['bad integrationDisableUrl', { ...validConfig(), integrationDisableUrl: 'http://a b' }],
      ['unknown display mode', { ...validConfig(), consentDisplayMode: 'popup' }],
      ['no types', { ...validConfig(), supportedAssessmentTypes: [] }],
      ['seven types', { ...validConfig(), supportedAssessmentTypes: ['SKILL_TEST', 'VIDEO_INTERVIEW', 'BACKGROUND_CHECK', 'REFERENCE_CHECK', 'BEHAVIORAL_ASSESSMENT', 'INLINE_ASSESSMENT', 'SKILL_TEST'] }],
      ['unknown type', { ...validConfig(), supportedAssessmentTypes: ['IQ_TEST'] }],
      ['duplicate type', { ...validConfig(), supportedAssessmentTypes: ['SKILL_TEST', 'SKILL_TEST'] }],
      ['six fields', { ...validConfig(), fields: Array.from({ length: 6 }, (_, i) => ({ id: `f${i}`, name: 'n', description: 'd' })) }],
      ['field without description', { ...validConfig(), fields: [{ id: 'f', name: 'n' }] }],
      ['field with empty id', { ...validConfig(), fields: [{ id: '', name: 'n', description: 'd' }] }],
      ['fields not an array', { ...validConfig(), fields: { id: 'f', name: 'n', description: 'd' } }],
    ];
    for (const [name, body] of cases) {
      assessment.rateLimiter.reset();
      const answer = await api('PUT', '/partner/configuration', token, body);
      expect(answer.status, name).toBe(400);
      expect(answer.body.errors[0].code, name).toBe('INVALID_CONFIGURATION');
    }
    expect((await api('PUT', '/partner/configuration', token, '{"consentUrl":')).status).toBe(400);
    expect((await api('PUT', '/partner/configuration', token, JSON.stringify(validConfig()), 'text/plain')).status).toBe(415);
    expect(assessment.configuration).toBeNull();
  });

  it('200 echoes the stored configuration (unknown properties dropped, an empty optional URL absent); GET returns it', async () => {
    const token = await masterToken();
    const put = await api('PUT', '/partner/configuration', token, { ...validConfig(), companyIntegrationUrl: `${partnerUrl}/x`, integrationDisableUrl: '' });
    expect(put.status).toBe(200);
    const { integrationDisableUrl: _dropped, ...expected } = validConfig();
    expect(put.body).toEqual(expected);
    const final = await api('PUT', '/partner/configuration', token, validConfig());
    expect(final.body).toEqual(validConfig());
    const get = await api('GET', '/partner/configuration', token);
    expect(get.status).toBe(200);
    expect(get.body).toEqual(validConfig());
    expect(assessment.counts.configurationPuts).toBeGreaterThan(20);
  });
});

describe('POST /integration/company/{companyId}', () => {
  it('400 on a bad body, 403 without consent, 200 with SR credentials, 409 on an identical replay', async () => {
    const token = await masterToken();
    const path = `/integration/company/${ACME.id}`;
    for (const body of [{}, { clientId: 'x' }, { clientId: '', clientSecret: 's' }, { clientId: 1, clientSecret: 's' }]) {
      expect((await api('POST', path, token, body)).status).toBe(400);
    }
    const credentials = { clientId: 'partner-acme', clientSecret: 'partner-acme-secret' };
    const refused = await api('POST', path, token, credentials);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].message).toMatch(/did not give consent/);
    assessment.recordConsent(ACME.id);
    const created = await api('POST', path, token, credentials);
    expect(created.status).toBe(200);
    expect(Object.keys(created.body).sort()).toEqual(['clientId', 'clientSecret']);
    const replay = await api('POST', path, token, credentials);
    expect(replay.status).toBe(409);
    expect(replay.body.errors[0].message).toBe('Partner already integrated for company');
    expect(assessment.integrations.get(ACME.id)).toMatchObject({ partnerClientId: 'partner-acme', srClientId: created.body.clientId });

    const customer = await tokenFor(created.body.clientId, created.body.clientSecret);
    expect(customer.body.scope).toBe(CUSTOMER_SCOPE);
    const customerToken = customer.body.access_token as string;
    expect((await api('GET', '/partner/configuration', customerToken)).status).toBe(403);
    expect((await api('PUT', '/partner/configuration', customerToken, validConfig())).status).toBe(403);
    expect((await api('POST', '/integration/company/OTHER', customerToken, credentials)).status).toBe(403);
  });

  it('a dropped answer has committed: the replay gets 409', async () => {
    assessment.recordConsent('DROPPED');
    assessment.injectFault('exchange', 'drop');
    const token = await masterToken();
    const body = { clientId: 'p-dropped', clientSecret: 's-dropped' };
    await expect(api('POST', '/integration/company/DROPPED', token, body)).rejects.toThrow();
    expect(assessment.integrations.has('DROPPED')).toBe(true);
    expect((await api('POST', '/integration/company/DROPPED', token, body)).status).toBe(409);
    assessment.injectFault('exchange', 'status-429');
    assessment.recordConsent('LIMITED');
    const limited = await api('POST', '/integration/company/LIMITED', token, body);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].code).toBe('TOO_MANY_REQUESTS');
    expect(assessment.integrations.has('LIMITED')).toBe(false);
  });
});

describe('rate limits (10 req/s, 8 concurrent per credential)', () => {
  it('the 11th request within a second is 429, every response carries the four headers', async () => {
    const token = await masterToken();
    const answers = [];
    for (let i = 0; i < 11; i += 1) answers.push(await api('GET', '/partner/configuration', token));
    expect(answers.slice(0, 10).map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '0']);
    const limited = answers[10]!;
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].code).toBe('TOO_MANY_REQUESTS');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('x-ratelimit-concurrent-limit')).toBe('8');
    expect(limited.headers.get('x-ratelimit-concurrent-remaining')).toBe('8');
    // Another token of the same credential shares the limit.
    expect((await api('GET', '/partner/configuration', await masterToken())).status).toBe(429);
  });

  it('a 9th concurrent request is 429 while 8 slow ones are in flight', async () => {
    const sr = await integrate('CONCURRENT');
    const token = (await tokenFor(sr.clientId, sr.clientSecret)).body.access_token as string;
    const order = await assessment.orderAssessment('CONCURRENT', DEFAULT_COMPANY.candidates[0]!.id);
    expect(order.ok, order.problems.join('; ')).toBe(true);
    assessment.injectFault('results', 'slow', 8);
    const answers = await Promise.all(Array.from({ length: 9 }, () => api('PATCH', `/orders/${order.orderId}/results`, token, { status: 'PENDING' })));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.headers.get('x-ratelimit-concurrent-remaining')).toBe('0');
    expect(limited[0]!.body.errors[0].message).toMatch(/concurrent/i);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(8);
    expect(assessment.rateLimiter.inFlight(sr.clientId)).toBe(0);
  });
});

describe('SR calling the partner', () => {
  it('orders an assessment: token, package list, single package, order — exactly as configured', async () => {
    received.length = 0;
    const outcome = await assessment.orderAssessment(ACME.id, ADA.id);
    expect(outcome.ok, outcome.problems.join('; ')).toBe(true);
    expect(received.map((call) => `${call.method} ${new URL(call.url, partnerUrl).pathname}`)).toEqual([
      'POST /oauth/token',
      'GET /packages',
      'POST /oauth/token',
      'GET /packages/pkg-skills',
      'POST /orders',
    ]);
    const [token, list, , , order] = received;
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({ grant_type: 'client_credentials', client_id: 'partner-acme', client_secret: 'partner-acme-secret' });
    expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(list!.headers.requester as string)).toEqual({ email: ACME.recruiter.email });
    expect(Object.fromEntries(new URL(list!.url, partnerUrl).searchParams)).toEqual({
      'country-code': 'us',
      'region-abbr': 'CA',
      city: 'San Francisco',
      address: '500 Howard St',
      'postal-code': '94105',
      remote: 'false',
      department: 'Engineering',
    });
    const job = ACME.jobs[0]!;
    expect(JSON.parse(order!.body)).toEqual({
      resultCallbackURL: `${srUrl}${BASE}/orders/${outcome.orderId}/results`,
      candidate: { id: ADA.id, email: ADA.email, firstName: 'Ada', lastName: 'Lovelace', applicationLanguage: 'en' },
      requester: { userId: ACME.recruiter.userId, email: ACME.recruiter.email },
      assessmentPackageId: 'pkg-skills',
      jobId: job.id,
      job: { id: job.id },
      companyId: ACME.id,
      fields: { department: 'Engineering' },
    });
    expect(assessment.orders.get(outcome.orderId!)).toMatchObject({ kind: 'standard', partnerStatus: 202 });
  });

  it('applies as candidate (inline order → {url}) and refuses attachments on that order', async () => {
    received.length = 0;
    const outcome = await assessment.applyAsCandidate(ACME.id, ADA.id);
    expect(outcome.ok, outcome.problems.join('; ')).toBe(true);
    expect(outcome.url).toBe(`${partnerUrl}/take?order=1`);
    const inline = JSON.parse(received.at(-1)!.body);
    expect(inline).toMatchObject({
      assessmentPackageId: 'inline/1',
      candidate: { email: ADA.email, firstName: 'Ada', lastName: 'Lovelace', applicationLanguage: 'en' },
      completedAssessmentCallbackUrl: `${srUrl}/assessment/candidate-done?order=${outcome.orderId}`,
      resultCallbackURL: `${srUrl}${BASE}/orders/${outcome.orderId}/results`,
    });
    expect(inline.candidate.id).toBeUndefined();
    const token = (await tokenFor(assessment.integrations.get(ACME.id)!.srClientId, assessment.integrations.get(ACME.id)!.srClientSecret)).body.access_token as string;
    const form = new FormData();
    form.append('file', new Blob(['report']), 'report.pdf');
    const refused = await fetch(`${srUrl}${BASE}/orders/${outcome.orderId}/results/attachment`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].code).toBe('INLINE_ORDER_ATTACHMENT_NOT_SUPPORTED');
    const done = await fetch(`${srUrl}/assessment/candidate-done?order=${outcome.orderId}`);
    expect(await done.text()).toContain('Application complete');
  });

  it('reports a partner token answer that falls short, and calls nothing else', async () => {
    partnerAnswers.set('POST /oauth/token', { status: 200, body: { access_token: 'x', token_type: 'mac', expires_in: '300' } });
    try {
      const outcome = await assessment.listPackages(ACME.id, ADA.id);
      expect(outcome.ok).toBe(false);
      expect(outcome.problems).toEqual(['token_type is not "bearer"', 'expires_in is not a positive number']);
      expect(outcome.calls.map((call) => call.kind)).toEqual(['token']);
    } finally {
      partnerAnswers.clear();
    }
  });
});

describe('PATCH /orders/{orderId}/results', () => {
  let orderId: string;
  let acmeToken: string;
  beforeAll(async () => {
    const outcome = await assessment.orderAssessment(ACME.id, ADA.id, 'pkg-skills');
    orderId = outcome.orderId!;
    const row = assessment.integrations.get(ACME.id)!;
    acmeToken = (await tokenFor(row.srClientId, row.srClientSecret)).body.access_token as string;
  });

  it('401, 404, 403, 415 as documented', async () => {
    expect((await api('PATCH', `/orders/${orderId}/results`, null, { status: 'PENDING' })).status).toBe(401);
    const unknown = await api('PATCH', '/orders/00000000-0000-4000-8000-000000000000/results', acmeToken, { status: 'PENDING' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].message).toBe('Order with given id does not exist');
    expect((await api('PATCH', '/orders/not-a-uuid/results', acmeToken, { status: 'PENDING' })).status).toBe(404);
    expect((await api('PATCH', `/orders/${orderId}/results`, await masterToken(), { status: 'PENDING' })).status).toBe(403);
    const globex = await integrate(GLOBEX.id);
    const globexToken = (await tokenFor(globex.clientId, globex.clientSecret)).body.access_token as string;
    expect((await api('PATCH', `/orders/${orderId}/results`, globexToken, { status: 'PENDING' })).status).toBe(403);
    expect((await api('PATCH', `/orders/${orderId}/results`, acmeToken, 'status=PENDING', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('400 on an invalid PackageResult', async () => {
    const cases: Array<[string, unknown]> = [
      ['not JSON', '{"status":'],
      ['an array', [{ status: 'PENDING' }]],
      ['bad status', { status: 'DONE' }],
      ['score without max', { score: { raw: 1, min: 0 } }],
      ['fractional score', { score: { raw: 1.5, min: 0, max: 10 } }],
      ['bad attachment type', { attachments: [{ type: 'IMAGE_URL', url: 'https://x.example/a' }] }],
      ['relative attachment url', { attachments: [{ type: 'PDF_URL', url: '/a.pdf' }] }],
      ['assessment result without id', { assessmentResults: [{ status: 'COMPLETED' }] }],
      ['bad date', { submissionDate: '28/08/2020' }],
      ['summary not a string', { summary: 5 }],
    ];
    for (const [name, body] of cases) {
      assessment.rateLimiter.reset();
      const answer = await api('PATCH', `/orders/${orderId}/results`, acmeToken, body);
      expect(answer.status, name).toBe(400);
    }
    expect(assessment.orders.get(orderId)!.result).toBeNull();
  });

  it('merges patches per RFC 7396 and echoes the stored result', async () => {
    const first = await api('PATCH', `/orders/${orderId}/results`, acmeToken, { status: 'IN_PROGRESS', assessmentPackageDate: '2020-08-28T20:36:28.618Z', assessmentDate: '2020-08-28T20:36:28Z', extra: 'dropped' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'IN_PROGRESS', assessmentPackageDate: '2020-08-28T20:36:28.618Z', assessmentDate: '2020-08-28T20:36:28Z' });
    const second = await api('PATCH', `/orders/${orderId}/results`, acmeToken, {
      status: 'COMPLETED',
      score: { raw: 28, min: 20, max: 80 },
      summary: 'Good',
      attachments: [{ type: 'PDF_URL', url: 'https://partner.example/r.pdf' }],
      assessmentResults: [{ assessmentId: 'a-1', status: 'COMPLETED', score: { raw: 1, min: 0, max: 2 } }],
    });
    expect(second.status).toBe(200);
    const third = await api('PATCH', `/orders/${orderId}/results`, acmeToken, { summary: null, score: { raw: 30 } }, 'application/merge-patch+json');
    expect(third.status).toBe(200);
    expect(third.body).toEqual({
      status: 'COMPLETED',
      assessmentPackageDate: '2020-08-28T20:36:28.618Z',
      assessmentDate: '2020-08-28T20:36:28Z',
      score: { raw: 30, min: 20, max: 80 },
      attachments: [{ type: 'PDF_URL', url: 'https://partner.example/r.pdf' }],
      assessmentResults: [{ assessmentId: 'a-1', status: 'COMPLETED', score: { raw: 1, min: 0, max: 2 } }],
    });
    expect(assessment.orders.get(orderId)!.patches).toHaveLength(3);
    // A patch that would leave the score incomplete is refused and changes nothing.
    expect((await api('PATCH', `/orders/${orderId}/results`, acmeToken, { score: { max: null } })).status).toBe(400);
    expect(assessment.orders.get(orderId)!.result).toEqual(third.body);
  });

  it('attachment upload: 201 {url} for a `file` part, 400 without one, 404 for an unknown order; drop fault commits', async () => {
    const upload = (id: string, form: FormData) =>
      fetch(`${srUrl}${BASE}/orders/${id}/results/attachment`, { method: 'POST', headers: { authorization: `Bearer ${acmeToken}` }, body: form });
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4 report'], { type: 'application/pdf' }), 'report.pdf');
    const created = await upload(orderId, form);
    expect(created.status).toBe(201);
    const { url } = (await created.json()) as { url: string };
    expect(await (await fetch(url)).text()).toBe('%PDF-1.4 report');
    const other = new FormData();
    other.append('document', new Blob(['x']), 'x.pdf');
    expect((await upload(orderId, other)).status).toBe(400);
    expect((await upload('00000000-0000-4000-8000-000000000000', form)).status).toBe(404);
    assessment.injectFault('results', 'drop');
    await expect(api('PATCH', `/orders/${orderId}/results`, acmeToken, { scoreLabel: '30/80' })).rejects.toThrow();
    expect(assessment.orders.get(orderId)!.result?.scoreLabel).toBe('30/80');
    assessment.injectFault('results', 'status-503');
    expect((await api('PATCH', `/orders/${orderId}/results`, acmeToken, { scoreLabel: 'x' })).status).toBe(503);
    expect(assessment.orders.get(orderId)!.attachments).toHaveLength(1);
  });
});

describe('disable and the QA page', () => {
  it('disable: token, DELETE integrationDisableUrl/{companyId} → 204, then SR drops integration, consent and customer tokens', async () => {
    const row = assessment.integrations.get(ACME.id)!;
    const customerToken = (await tokenFor(row.srClientId, row.srClientSecret)).body.access_token as string;
    received.length = 0;
    const outcome = await assessment.disable(ACME.id);
    expect(outcome).toMatchObject({ ok: true, removed: true, notified: true });
    expect(received.map((call) => `${call.method} ${call.url}`)).toEqual(['POST /oauth/token', `DELETE /integrations/companies/${ACME.id}`]);
    expect(received[1]!.headers.authorization).toBe('Bearer partner-token');
    expect(assessment.integrations.has(ACME.id)).toBe(false);
    expect(assessment.consents.has(ACME.id)).toBe(false);
    expect((await api('GET', '/partner/configuration', customerToken)).status).toBe(401);
    expect(assessment.counts.partnerCalls.disable).toBe(1);
  });

  it('serves the QA page with the named controls, escaped, under a CSP; control routes need JSON', async () => {
    const page = await fetch(`${srUrl}/assessment?error=%3Cscript%3E`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    for (const name of ['Enable (POPUP)', 'Enable (REDIRECT)', 'Disable', 'Order assessment', 'Apply as candidate']) expect(html).toContain(`>${name}</button>`);
    expect(html).toContain('O&#39;Brien-Ünal');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<script src="/assessment/qa.js"></script>');
    expect((await fetch(`${srUrl}/assessment/qa.js`)).headers.get('content-type')).toContain('javascript');
    const form = await fetch(`${srUrl}/__fake/assessment/consent`, { method: 'POST', body: new URLSearchParams({ companyId: 'X' }) });
    expect(form.status).toBe(415);
    const consent = await fetch(`${srUrl}/__fake/assessment/consent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyId: 'QA-1' }) });
    expect(consent.status).toBe(200);
    const state = (await (await fetch(`${srUrl}/__fake/assessment/state`)).json()) as any;
    expect(state.consents['QA-1']).toBeTypeOf('string');
    expect(JSON.stringify(state)).not.toContain('partner-secret');
    expect(JSON.stringify(state)).not.toContain('partner-token');
  });
});
