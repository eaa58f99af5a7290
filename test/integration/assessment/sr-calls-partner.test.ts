/**
 * The endpoints SmartRecruiters calls on an assessment partner (seed 003 §2–§3; providers.md §1.5),
 * over real HTTP: package list, single package, orders, inline orders, disable. Each behind our
 * bearer tokens (RFC 6750), the company always the token's (T22), callback URLs pinned to SR's
 * origins (T37), orders stored before the answer and exactly once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentOrderEvent } from '../../../server/events/kit-events.js';
import { enableAssessment, inlineOrderBody, orderBody, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

let demo: TestDemo;
let token: string;
let otherToken: string;
const COMPANY = 'ACME-CALLS';
const OTHER = 'GLOBEX-CALLS';

beforeAll(async () => {
  demo = await startTestDemo();
  expect((await enableAssessment(demo, COMPANY)).approved.status).toBe(200);
  expect((await enableAssessment(demo, OTHER, 'admin@globex.test')).approved.status).toBe(200);
  token = await srToken(demo, COMPANY);
  otherToken = await srToken(demo, OTHER);
});
afterAll(async () => {
  await demo?.stop();
});

describe('RFC 6750 on every endpoint SR calls', () => {
  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', '/packages'],
    ['GET', '/packages/skills-js'],
    ['POST', '/orders', {}],
    ['POST', '/inline-orders', {}],
    ['DELETE', `/integrations/companies/${COMPANY}`],
  ];
  it.each(endpoints)('%s %s without a token → 401 with a bare Bearer challenge', async (method, path, body) => {
    const response = await srCall(demo, null, method, path, body);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });
  it.each(endpoints)('%s %s with an unknown token → 401 invalid_token, before the body is read', async (method, path) => {
    const response = await srCall(demo, 'not-a-token', method, path, method === 'GET' ? undefined : '{"not json');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
  it('a token in the query string → 400 invalid_request', async () => {
    const response = await srCall(demo, null, 'GET', `/packages?access_token=${token}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });
});

describe('GET packages (assessmentPackageListUrl)', () => {
  it('passes the requester, the location and the mapped fields to the partner’s catalogue', async () => {
    const answer = await srCall(demo, token, 'GET', '/packages?country-code=de&city=Berlin&remote=true&department=Engineering', undefined, {
      requester: JSON.stringify({ email: 'rita.recruiter@acme-assess.example' }),
    });
    expect(answer.status).toBe(200);
    const ids = (answer.body as Array<{ id: string }>).map((item) => item.id);
    expect(ids[0]).toBe('skills-js-de'); // a German-speaking location
    expect(ids).not.toContain('onsite-lab'); // a remote job
  });

  it.each(['not json', '{"email": 5}', '{"email": "not-an-address"}', '[]'])('a malformed requester header %j → 400', async (header) => {
    const answer = await srCall(demo, token, 'GET', '/packages', undefined, { requester: header });
    expect(answer.status).toBe(400);
  });

  it('a repeated or malformed query parameter → 400', async () => {
    expect((await srCall(demo, token, 'GET', '/packages?city=a&city=b')).status).toBe(400);
    expect((await srCall(demo, token, 'GET', '/packages?remote=maybe')).status).toBe(400);
  });

  it('one package by id (singleAssessmentPackageUrl + "/" + id), 404 when unknown', async () => {
    const found = await srCall(demo, token, 'GET', '/packages/video-intro');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: 'video-intro', type: 'VIDEO_INTERVIEW', assessments: [] });
    const missing = await srCall(demo, token, 'GET', '/packages/no-such-package');
    expect(missing.status).toBe(404);
    expect((missing.body as { error: string }).error).toBe('ATS_PACKAGE_NOT_FOUND');
  });
});

describe('POST orders (packageOrderUrl)', () => {
  it('stores the order before answering 202, fires assessment.order.created without personal data', async () => {
    const events: AssessmentOrderEvent[] = [];
    const off = demo.assessmentKit.on('assessment.order.created', (event) => void events.push(event));
    const { orderId, body } = orderBody(demo, COMPANY);
    try {
      const answer = await srCall(demo, token, 'POST', '/orders', body);
      expect(answer.status).toBe(202);
      const stored = await demo.assessmentKit.assessment.orders.get(orderId);
      expect(stored).toMatchObject({
        orderId,
        kind: 'standard',
        companyId: COMPANY,
        tenantId: 'tenant-acme',
        packageId: 'skills-js',
        jobId: 'job-1',
        status: 'received',
        candidate: { email: 'ada.lovelace@candidates.example', firstName: 'Ada' },
        requester: { userId: 'rec-1' },
        fields: { department: 'Engineering' },
        resultCallbackUrl: body.resultCallbackURL,
      });
      expect(stored!.candidate.id).toBe('cand-1'); // kept, inside the encrypted personal data
      await expect.poll(() => events.length).toBe(1);
    } finally {
      off();
    }
    expect(events[0]!.data).toEqual({ orderId, kind: 'standard', companyId: COMPANY, tenantId: 'tenant-acme', packageId: 'skills-js', jobId: 'job-1' });
    expect(JSON.stringify(events[0])).not.toContain('ada.lovelace');
  });

  it('the same resultCallbackURL again is the same order: 202, nothing stored twice', async () => {
    const { orderId, body } = orderBody(demo, COMPANY);
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    expect((await srCall(demo, token, 'POST', '/orders', { ...body, assessmentPackageId: 'video-intro' })).status).toBe(202);
    expect((await demo.assessmentKit.assessment.orders.get(orderId))!.packageId).toBe('skills-js');
  });

  it('50 identical orders at once → one stored order and one event', async () => {
    let created = 0;
    const off = demo.assessmentKit.on('assessment.order.created', () => void (created += 1));
    const { orderId, body } = orderBody(demo, COMPANY);
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => srCall(demo, token, 'POST', '/orders', body)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(202));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      off();
    }
    expect(created).toBe(1);
    expect((await demo.assessmentKit.assessment.orders.list({ companyId: COMPANY })).filter((order) => order.orderId === orderId)).toHaveLength(1);
  });

  it('an order naming another company than the token’s → 403, nothing stored (T22)', async () => {
    const { orderId, body } = orderBody(demo, OTHER);
    const answer = await srCall(demo, token, 'POST', '/orders', body);
    expect(answer.status).toBe(403);
    expect((answer.body as { error: string }).error).toBe('ATS_COMPANY_MISMATCH');
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeUndefined();
  });

  it('an order id another company already used → 409, the first order unchanged', async () => {
    const { orderId, body } = orderBody(demo, COMPANY);
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    const answer = await srCall(demo, otherToken, 'POST', '/orders', { ...body, companyId: OTHER });
    expect(answer.status).toBe(409);
    expect((await demo.assessmentKit.assessment.orders.get(orderId))!.companyId).toBe(COMPANY);
  });

  it('an unknown package → 404, nothing stored', async () => {
    const { orderId, body } = orderBody(demo, COMPANY, { assessmentPackageId: 'no-such-package' });
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(404);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeUndefined();
  });

  const hostile = (sr: string, id: string) => [
    `https://evil.example/assessment-api/v202010/orders/${id}/results`,
    `${sr}.evil.example/orders/${id}/results`,
    `${sr.replace('http://', 'http://user:pass@')}/orders/${id}/results`,
    `${sr.replace('127.0.0.1', '127.0.0.2')}/orders/${id}/results`,
    `${sr}/orders/not-a-uuid/results`,
    `${sr}/orders/${id}/results/${id.replace(/^0/, '1')}`,
    `${sr}/orders/${id}/results#x`,
    `javascript:alert(1)//${id}`,
    `/orders/${id}/results`,
    `${sr}\\@evil.example/orders/${id}`,
    `${sr}/identity/oauth/${id}`, // SR's origin, but not the order's results path
    `${sr}/assessment-api/v202010/orders/${id}/results?next=/elsewhere`,
    `${sr}/assessment-api/v202010/orders/${id}/results/attachment`,
  ];
  it('hostile resultCallbackURLs → 400, stored nowhere (T37)', async () => {
    for (const url of hostile(demo.srUrl, '0b5e1c2a-7d3f-4e8a-9c1b-ffffffffffff')) {
      const { orderId, body } = orderBody(demo, COMPANY);
      const answer = await srCall(demo, token, 'POST', '/orders', { ...body, resultCallbackURL: url.replace('0b5e1c2a-7d3f-4e8a-9c1b-ffffffffffff', orderId) });
      expect(answer.status, url).toBe(400);
      expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeUndefined();
    }
  });

  it.each([
    ['no candidate', { candidate: undefined }],
    ['a candidate without email', { candidate: { id: 'c', firstName: 'A', lastName: 'B' } }],
    ['no package', { assessmentPackageId: undefined }],
    ['no job', { jobId: undefined, job: undefined }],
    ['a number for the company', { companyId: 5 }],
  ])('%s → 400 naming the field, nothing stored', async (_name, overrides) => {
    const { orderId, body } = orderBody(demo, COMPANY, overrides);
    const answer = await srCall(demo, token, 'POST', '/orders', body);
    expect(answer.status).toBe(400);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeUndefined();
  });

  it('a body over 32 KB → 413, a non-JSON body → 415', async () => {
    const { body } = orderBody(demo, COMPANY, { fields: { note: 'x'.repeat(40_000) } });
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(413);
    const text = await fetch(`${demo.kitUrl}/ats-assessment/assessment/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
  });

  it('the candidate’s personal data is neither in the database file in clear nor in any log line', async () => {
    const { body } = orderBody(demo, COMPANY, { candidate: { id: 'c-pii', email: 'unique.person@pii.example', firstName: 'Uniquefirst', lastName: 'Uniquelast' } });
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    // The main file and its write-ahead log, where the newest pages are.
    const file = ['ats-assessment.sqlite', 'ats-assessment.sqlite-wal']
      .filter((name) => existsSync(join(demo.dataDir, name)))
      .map((name) => readFileSync(join(demo.dataDir, name)).toString('latin1'))
      .join('');
    expect(file).toContain('assessment_orders'); // the file was read (the table is there)
    for (const needle of ['unique.person@pii.example', 'Uniquefirst', 'Uniquelast', 'rita.recruiter', 'c-pii']) {
      expect(file).not.toContain(needle);
      expect(demo.logs.join('')).not.toContain(needle);
    }
  });
});

describe('POST inline-orders (inlineAssessmentPackageOrderUrl)', () => {
  it('stores the order and answers the partner’s URL; the same order again gets the same URL', async () => {
    const { orderId, body } = inlineOrderBody(demo, COMPANY);
    const first = await srCall(demo, token, 'POST', '/inline-orders', body);
    expect(first.status).toBe(200);
    expect((first.body as { url: string }).url).toMatch(new RegExp(`^${demo.kitUrl}/assessment/take/${orderId}/[\\w-]{43}$`));
    expect(await srCall(demo, token, 'POST', '/inline-orders', body)).toMatchObject({ status: 200, body: first.body });
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toMatchObject({
      kind: 'inline',
      completedAssessmentCallbackUrl: body.completedAssessmentCallbackUrl,
      assessmentUrl: (first.body as { url: string }).url,
    });
  });

  it('a completedAssessmentCallbackUrl off SmartRecruiters → 400, nothing stored', async () => {
    const { orderId, body } = inlineOrderBody(demo, COMPANY, { completedAssessmentCallbackUrl: 'https://evil.example/done' });
    expect((await srCall(demo, token, 'POST', '/inline-orders', body)).status).toBe(400);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeUndefined();
  });

  it('an order id already used by a standard order → 409', async () => {
    const { orderId, body } = orderBody(demo, COMPANY);
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    const inline = inlineOrderBody(demo, COMPANY, { resultCallbackURL: body.resultCallbackURL });
    expect((await srCall(demo, token, 'POST', '/inline-orders', inline.body)).status).toBe(409);
    expect((await demo.assessmentKit.assessment.orders.get(orderId))!.kind).toBe('standard');
  });
});

describe('orders for the partner’s code', () => {
  it('lists by company, tenant, status and date, newest first', async () => {
    const since = new Date();
    const { orderId } = orderBody(demo, COMPANY);
    const { body } = orderBody(demo, COMPANY);
    body.resultCallbackURL = body.resultCallbackURL.replace(/[0-9a-f-]{36}/, orderId);
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    const recent = await demo.assessmentKit.assessment.orders.list({ companyId: COMPANY, since });
    expect(recent.map((order) => order.orderId)).toEqual([orderId]);
    expect(await demo.assessmentKit.assessment.orders.list({ tenantId: 'tenant-globex' })).toEqual([]);
    expect((await demo.assessmentKit.assessment.orders.list({ status: 'received', limit: 2 })).length).toBe(2);
  });
});

describe('DELETE integrations/companies/{companyId} (integrationDisableUrl)', () => {
  it('another company’s id → 403 and nothing changes (T22)', async () => {
    const answer = await srCall(demo, token, 'DELETE', `/integrations/companies/${OTHER}`);
    expect(answer.status).toBe(403);
    expect((await demo.assessmentKit.integrations.get(OTHER))!.state).toBe('active');
    expect((await demo.assessmentKit.integrations.get(COMPANY))!.state).toBe('active');
  });

  it('disables the token’s integration: 204, again 204, and SR’s calls are refused from then on', async () => {
    const companyId = 'ACME-DISABLE';
    expect((await enableAssessment(demo, companyId)).approved.status).toBe(200);
    const disableToken = await srToken(demo, companyId);
    expect((await srCall(demo, disableToken, 'DELETE', `/integrations/companies/${companyId}`)).status).toBe(204);
    expect((await srCall(demo, disableToken, 'DELETE', `/integrations/companies/${companyId}`)).status).toBe(204);
    expect((await demo.assessmentKit.integrations.get(companyId))!.state).toBe('disabled');
    expect((await srCall(demo, disableToken, 'GET', '/packages')).status).toBe(401);
    const { body } = orderBody(demo, companyId);
    expect((await srCall(demo, disableToken, 'POST', '/orders', body)).status).toBe(401);
  });
});
