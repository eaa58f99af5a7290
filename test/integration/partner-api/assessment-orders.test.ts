/**
 * Orders, results, attachments and SmartRecruiters reads over the partner API (issue 14 item 2),
 * against the demo's assessment app and the fake SmartRecruiters over real HTTP: orders the fake SR
 * places through the kit are listed and read with their delivery state and result history; a
 * PATCHed result and a POSTed PDF actually reach the fake SR (and SR's refusal shows as `failed`
 * with SR's error); reads go to SR with the order's company's token. Keys without `write` and
 * tenant-restricted keys change and see nothing they should not. Every answer is checked against
 * the served document; the README's table of these operations is checked against it too.
 */
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableAssessment, orderBody, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { apiKeyMaker, ASSESSMENT_OPERATIONS, PartnerApiClient, type PartnerAnswer } from '../../helpers/partner-api-client.js';

let demo: TestDemo;
let api: PartnerApiClient;
const keys: Record<'read' | 'write' | 'acme' | 'acmeWriter', string> = {} as never;
const secrets: string[] = [];
const ACME = 'ACME-ASSESS';
const GLOBEX = 'GLOBEX-ASSESS';
const ADA = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
const GLOBEX_CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c411';
const UNKNOWN_ORDER = '0b5e1c2a-7d3f-4e8a-9c1b-00000000dead';
const PDF = new TextEncoder().encode('%PDF-1.4\n% a report\n%%EOF\n');

/** An order the fake SR placed through the kit (so SR knows it and takes its results). */
async function srOrder(company = ACME, candidate = ADA): Promise<string> {
  const ordered = await demo.fakeSr.assessment!.orderAssessment(company, candidate, 'video-intro');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  return ordered.orderId!;
}
const atSr = (orderId: string) => demo.fakeSr.assessment!.orders.get(orderId)!;
const order = (orderId: string, key = keys.read) => api.call('GET', `/assessment/orders/${orderId}`, { key });
const deliveryOf = async (orderId: string) => (await order(orderId)).json.delivery as Record<string, unknown>;
const pollState = (orderId: string) => expect.poll(async () => (await deliveryOf(orderId)).state, { timeout: 15_000, interval: 100 });

let globexOrder: string;

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000, faultDelayMs: 1_500 });
  expect((await enableAssessment(demo, ACME)).approved.status).toBe(200);
  expect((await enableAssessment(demo, GLOBEX, 'admin@globex.test')).approved.status).toBe(200);
  api = new PartnerApiClient(demo.kitUrl, demo.assessmentKit.paths.partnerApi);
  await api.loadDocument();
  const create = apiKeyMaker(demo.assessmentKit, secrets);
  keys.read = await create('reader', ['read']);
  keys.write = await create('writer', ['read', 'write']);
  keys.acme = await create('acme reader', ['read'], 'tenant-acme');
  keys.acmeWriter = await create('acme writer', ['read', 'write'], 'tenant-acme');
  secrets.push(demo.kitOptions.encryptionKey, demo.kitOptions.sessionSecret);
  for (const integration of demo.fakeSr.assessment!.integrations.values()) secrets.push(integration.srClientSecret, integration.partnerClientSecret);
  globexOrder = await srOrder(GLOBEX, GLOBEX_CANDIDATE);
});

afterAll(async () => {
  await demo?.stop();
});

describe('the document and the README', () => {
  it("an assessment kit's document (header parameters, file bodies, ETag and Location headers) passes @readme/openapi-parser validation", async () => {
    const result = await validate(structuredClone(api.document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    const attachments = (api.document.paths as Record<string, Record<string, { requestBody: { content: Record<string, unknown> } }>>)['/assessment/orders/{orderId}/attachments']!.post!;
    expect(Object.keys(attachments.requestBody.content).sort()).toEqual(['application/pdf', 'multipart/form-data']);
    const put = (api.document.paths as Record<string, Record<string, { parameters: Array<{ in: string; name: string }> }>>)['/assessment/packages']!.put!;
    expect(put.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'If-Match' }));
  });

  it('an assessment kit documents the assessment operations; the README table lists each with its scope', () => {
    expect(api.operationsTagged('assessment').sort()).toEqual([...ASSESSMENT_OPERATIONS.packages, ...ASSESSMENT_OPERATIONS.orders].sort());
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('### Assessment operations'), readme.indexOf('Every assessment operation may also answer'));
    const rows = [...table.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (\w+) \|/gm)].map(([, method, path, scope]) => `${method} ${path} ${scope}`);
    const documented = Object.entries(api.document.paths as Record<string, Record<string, { tags: string[]; security: Array<Record<string, string[]>> }>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.tags.includes('assessment'))
        .map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.security[0]!.apiKey!.join(',')}`),
    );
    expect(rows.sort()).toEqual(documented.sort());
  });

  it('a General Partner kit has none of them (it takes no orders)', async () => {
    const general = (await (await fetch(demo.kitUrl + demo.kit.paths.partnerApi + '/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(general.paths).filter((path) => path.startsWith('/assessment'))).toEqual([]);
  });
});

describe('listing and reading orders', () => {
  it('lists new orders (status none), oldest first, a page at a time, without personal data', async () => {
    const first = await srOrder();
    const second = await srOrder();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: PartnerAnswer = await api.call('GET', `/assessment/orders?companyId=${ACME}&status=none&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: keys.read });
      expect(page.status, page.text).toBe(200);
      const data = page.json.data as Array<{ orderId: string; delivery: { state: string } }>;
      expect(data.length).toBeLessThanOrEqual(1);
      for (const item of data) expect(item.delivery.state).toBe('none');
      seen.push(...data.map((item) => item.orderId));
      cursor = page.json.next_cursor as string | null;
    } while (cursor);
    expect(seen.indexOf(first)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(second)).toBeGreaterThan(seen.indexOf(first));
    const all = await api.call('GET', '/assessment/orders?limit=100', { key: keys.read });
    expect(all.text).not.toContain('ada.lovelace');
    expect(all.json.data).toContainEqual(expect.objectContaining({ orderId: first, companyId: ACME, tenantId: 'tenant-acme', packageId: 'video-intro', kind: 'standard' }));
  });

  it('filters by creation and change time', async () => {
    const before = new Date(Date.now() - 1).toISOString();
    const fresh = await srOrder();
    const created = await api.call('GET', `/assessment/orders?created_after=${before}`, { key: keys.read });
    expect((created.json.data as Array<{ orderId: string }>).map((item) => item.orderId)).toEqual([fresh]);
    const older = await api.call('GET', `/assessment/orders?created_before=${before}&limit=100`, { key: keys.read });
    expect((older.json.data as Array<{ orderId: string }>).map((item) => item.orderId)).not.toContain(fresh);
    const updated = await api.call('GET', `/assessment/orders?updated_after=${before}`, { key: keys.read });
    expect((updated.json.data as Array<{ orderId: string }>).map((item) => item.orderId)).toEqual([fresh]);
  });

  it('reads one order with what it needs: the candidate, the requester, the fields, no result yet', async () => {
    const orderId = await srOrder();
    const one = await order(orderId);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      orderId,
      companyId: ACME,
      candidate: { id: ADA, email: 'ada.lovelace@candidates.example', firstName: 'Ada', lastName: 'Lovelace' },
      requester: { email: expect.any(String) },
      delivery: { state: 'none', attempts: 0, nextAttemptAt: null, lastStatus: null, lastError: null },
      result: {},
      history: [],
      attachments: [],
    });
    expect((await order(orderId.toUpperCase())).json.orderId).toBe(orderId);
  });

  it('bad input: 400 naming the parameter; an unknown order is 404', async () => {
    for (const [query, field, type] of [
      ['status=done', 'status', 'invalid-request'],
      ['created_after=yesterday', 'created_after', 'invalid-request'],
      ['limit=0', 'limit', 'invalid-request'],
      ['cursor=not-ours', 'cursor', 'invalid-cursor'],
      ['candidate=ada', 'candidate', 'invalid-request'],
    ] as const) {
      const answer = await api.call('GET', `/assessment/orders?${query}`, { key: keys.read });
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toMatchObject({ type: `https://ats-consent.dev/problems/${type}`, field });
    }
    expect((await order('not-a-uuid')).json).toMatchObject({ status: 400, field: 'orderId' });
    expect((await order(UNKNOWN_ORDER)).status).toBe(404);
  });
});

describe('results (PATCH …/result)', () => {
  it('IN_PROGRESS, then COMPLETED with a score: 202 with the queued delivery; SR ends up with exactly that; the history has both', async () => {
    const orderId = await srOrder();
    const started = await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, json: { status: 'IN_PROGRESS' } });
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get('location')).toBe(`${demo.assessmentKit.paths.partnerApi}/assessment/orders/${orderId}`);
    expect(started.json).toMatchObject({ orderId, updateId: expect.any(String), delivery: { state: 'pending' }, result: { status: 'IN_PROGRESS' } });
    await pollState(orderId).toBe('delivered');
    const completed = { status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 }, scoreLabel: '42/50', assessmentDate: '2026-12-01T09:00:00.000Z' };
    // RFC 7396's own media type is taken as well as application/json.
    const done = await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, headers: { 'content-type': 'application/merge-patch+json' }, json: completed });
    expect(done.status).toBe(202);
    await pollState(orderId).toBe('delivered');
    const expected = { status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 }, scoreLabel: '42/50', assessmentPackageDate: '2026-12-01T09:00:00.000Z' };
    expect(atSr(orderId).result).toEqual(expected);
    const read = await order(orderId);
    expect(read.json).toMatchObject({ result: expected, delivery: { state: 'delivered', lastStatus: expect.any(Number), lastError: null, deliveredAt: expect.any(String) } });
    expect((read.json.history as Array<{ updateId: string; update: unknown }>).map((entry) => [entry.updateId, entry.update])).toEqual([
      [started.json.updateId, { status: 'IN_PROGRESS' }],
      [done.json.updateId, { status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 }, scoreLabel: '42/50', assessmentPackageDate: '2026-12-01T09:00:00.000Z' }],
    ]);
    const delivered = await api.call('GET', '/assessment/orders?status=delivered&limit=100', { key: keys.read });
    expect((delivered.json.data as Array<{ orderId: string }>).map((item) => item.orderId)).toContain(orderId);
  });

  it('SR failing for a while: pending with its error and the next attempt, then delivered', async () => {
    const orderId = await srOrder();
    demo.fakeSr.assessment!.injectFault('results', 'status-503', 2);
    expect((await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, json: { status: 'PENDING' } })).status).toBe(202);
    await expect.poll(async () => (await deliveryOf(orderId)).lastStatus, { timeout: 10_000, interval: 50 }).toBe(503);
    const waiting = await deliveryOf(orderId);
    // SR answered 503: the update waits for its retry, with SR's error and when it is due.
    expect(waiting).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^HTTP 503/), nextAttemptAt: expect.any(String) });
    await pollState(orderId).toBe('delivered');
    expect(atSr(orderId).result).toEqual({ status: 'PENDING' });
  });

  it("SR refusing for good: failed with SR's status and error code, listed under status=failed", async () => {
    const token = await srToken(demo, ACME);
    const { orderId, body } = orderBody(demo, ACME, { assessmentPackageId: 'video-intro' }); // placed on the kit only: SR never issued it
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    expect((await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, json: { status: 'COMPLETED' } })).status).toBe(202);
    await pollState(orderId).toBe('failed');
    expect(await deliveryOf(orderId)).toMatchObject({ state: 'failed', lastStatus: 404, lastError: 'HTTP 404 ORDER_NOT_FOUND', nextAttemptAt: null });
    const failed = await api.call('GET', '/assessment/orders?status=failed', { key: keys.read });
    expect((failed.json.data as Array<{ orderId: string }>).map((item) => item.orderId)).toContain(orderId);
  });

  it.each([
    ['raw outside min..max', { score: { raw: 11, min: 0, max: 10 } }, '/score'],
    ['an unknown status', { status: 'DONE' }, '/status'],
    ['an unknown field', { stauts: 'COMPLETED' }, '/stauts'],
    ['an http attachment URL', { attachments: [{ type: 'PDF_URL', url: 'http://assess.example/r.pdf' }] }, '/attachments/0/url'],
  ])('%s → 400 naming the field; nothing queued', async (_name, patch, field) => {
    const orderId = await srOrder();
    const answer = await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, json: patch });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: 'https://ats-consent.dev/problems/invalid-request', field });
    expect(await order(orderId)).toMatchObject({ json: { delivery: { state: 'none' }, history: [] } });
  });

  it('an empty patch → 400; an unknown order → 404; a read key → 403; none of them changes anything', async () => {
    const orderId = await srOrder();
    expect((await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, json: {} })).status).toBe(400);
    const text = await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, headers: { 'content-type': 'text/plain' }, json: { status: 'PENDING' } });
    expect(text.json).toMatchObject({ status: 415, field: 'content-type' });
    expect((await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.write, body: '{"status":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await api.call('PATCH', `/assessment/orders/${UNKNOWN_ORDER}/result`, { key: keys.write, json: { status: 'PENDING' } })).status).toBe(404);
    const reader = await api.call('PATCH', `/assessment/orders/${orderId}/result`, { key: keys.read, json: { status: 'PENDING' } });
    expect(reader.status).toBe(403);
    expect(reader.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="write"/);
    expect(await order(orderId)).toMatchObject({ json: { delivery: { state: 'none' }, history: [] } });
    expect(atSr(orderId).result).toBeNull();
  });
});

describe('attachments (POST …/attachments)', () => {
  it('a raw PDF and a multipart one: 202, then delivered to SR with their names', async () => {
    const orderId = await srOrder();
    const raw = await api.call('POST', `/assessment/orders/${orderId}/attachments`, {
      key: keys.write,
      headers: { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"' },
      body: PDF,
    });
    expect(raw.status, raw.text).toBe(202);
    expect(raw.json).toMatchObject({ orderId, attachmentId: expect.any(String), state: 'pending' });
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'detail.pdf');
    const multipart = await api.call('POST', `/assessment/orders/${orderId}/attachments`, { key: keys.write, body: form });
    expect(multipart.status, multipart.text).toBe(202);
    await expect
      .poll(async () => ((await order(orderId)).json.attachments as Array<{ state: string }>).map((item) => item.state), { timeout: 10_000, interval: 100 })
      .toEqual(['delivered', 'delivered']);
    expect(atSr(orderId).attachments.map((item) => [item.filename, item.contentType, item.size]).sort()).toEqual([
      ['detail.pdf', 'application/pdf', PDF.length],
      ['report.pdf', 'application/pdf', PDF.length],
    ]);
    const listed = (await order(orderId)).json.attachments as Array<{ attachmentId: string; srUrl: string }>;
    expect(listed.map((item) => item.attachmentId).sort()).toEqual([raw.json.attachmentId, multipart.json.attachmentId].sort());
    expect(listed.every((item) => item.srUrl.startsWith(demo.srUrl))).toBe(true);
  });

  it('wrong types → 415, too large → 413, a malformed multipart body → 400, a read key → 403: nothing stored', async () => {
    const orderId = await srOrder();
    const post = (headers: Record<string, string>, body: BodyInit, key = keys.write) => api.call('POST', `/assessment/orders/${orderId}/attachments`, { key, headers, body });
    const text = await post({ 'content-type': 'text/plain' }, 'hello');
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ type: 'https://ats-consent.dev/problems/unsupported-media-type', field: 'content-type' });
    expect((await post({ 'content-type': 'application/pdf' }, 'not a pdf at all')).status).toBe(415);
    const wrongPart = new FormData();
    wrongPart.append('file', new Blob(['<html>'], { type: 'text/html' }), 'x.html');
    expect((await api.call('POST', `/assessment/orders/${orderId}/attachments`, { key: keys.write, body: wrongPart })).status).toBe(415);
    const twoParts = new FormData();
    twoParts.append('file', new Blob([PDF], { type: 'application/pdf' }), 'a.pdf');
    twoParts.append('note', 'hello');
    expect((await api.call('POST', `/assessment/orders/${orderId}/attachments`, { key: keys.write, body: twoParts })).json).toMatchObject({ status: 400, field: '/file' });
    expect((await post({ 'content-type': 'multipart/form-data; boundary=xyz' }, 'garbage')).status).toBe(400);
    const huge = new Uint8Array(10 * 1024 * 1024 + 1);
    huge.set(PDF);
    const tooLarge = await post({ 'content-type': 'application/pdf' }, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.type).toBe('https://ats-consent.dev/problems/payload-too-large');
    expect((await post({ 'content-type': 'application/pdf' }, PDF, keys.read)).status).toBe(403);
    expect((await order(orderId)).json.attachments).toEqual([]);
  });

  it('an inline order takes no attachment (SR does not): 409', async () => {
    const applied = await demo.fakeSr.assessment!.applyAsCandidate(ACME, ADA, 'apply-quiz');
    expect(applied.ok, applied.problems.join('; ')).toBe(true);
    const answer = await api.call('POST', `/assessment/orders/${applied.orderId!}/attachments`, { key: keys.write, headers: { 'content-type': 'application/pdf' }, body: PDF });
    expect(answer.status).toBe(409);
    // …and has no SmartRecruiters candidate id to read.
    expect((await api.call('GET', `/assessment/orders/${applied.orderId!}/candidate`, { key: keys.read })).status).toBe(404);
  });
});

describe('SmartRecruiters reads for an order', () => {
  it("the candidate, the job and the hiring team, read from SR with the order's company's token", async () => {
    const orderId = await srOrder();
    const before = demo.fakeSr.assessment!.readCalls.length;
    const candidate = await api.call('GET', `/assessment/orders/${orderId}/candidate`, { key: keys.read });
    expect(candidate.status, candidate.text).toBe(200);
    expect(candidate.json).toMatchObject({ id: ADA, firstName: 'Ada', lastName: 'Lovelace' });
    const jobId = atSr(orderId).jobId;
    expect((await api.call('GET', `/assessment/orders/${orderId}/job`, { key: keys.read })).json).toMatchObject({ id: jobId });
    const team = await api.call('GET', `/assessment/orders/${orderId}/hiring-team`, { key: keys.read });
    expect(team.json).toMatchObject({ totalFound: expect.any(Number), content: expect.any(Array) });
    const calls = demo.fakeSr.assessment!.readCalls.slice(before);
    expect(calls.map((call) => [call.path, call.companyId, call.status])).toEqual([
      [`/candidates/${ADA}`, ACME, 200],
      [`/jobs/${jobId}`, ACME, 200],
      [`/jobs/${jobId}/hiring-team`, ACME, 200],
    ]);
  });

  it('SR failing: 502 upstream-error; an unknown order: 404 without calling SR', async () => {
    const orderId = await srOrder();
    demo.fakeSr.assessment!.injectFault('reads', 'status-500', 1);
    const failed = await api.call('GET', `/assessment/orders/${orderId}/job`, { key: keys.read });
    expect(failed.status).toBe(502);
    expect(failed.json.type).toBe('https://ats-consent.dev/problems/upstream-error');
    const before = demo.fakeSr.assessment!.readCalls.length;
    expect((await api.call('GET', `/assessment/orders/${UNKNOWN_ORDER}/hiring-team`, { key: keys.read })).status).toBe(404);
    expect(demo.fakeSr.assessment!.readCalls.length).toBe(before);
  });
});

describe('tenant-restricted keys', () => {
  it("see nothing of another tenant's orders: not listed; get, result, attachment and reads are 404 like an order that does not exist", async () => {
    const listed = await api.call('GET', '/assessment/orders?limit=100', { key: keys.acme });
    const data = listed.json.data as Array<{ tenantId: string; orderId: string }>;
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((item) => item.tenantId === 'tenant-acme')).toBe(true);
    expect((await api.call('GET', `/assessment/orders?companyId=${GLOBEX}`, { key: keys.acme })).json.data).toEqual([]);
    const unknown = await order(UNKNOWN_ORDER, keys.acme);
    const calls: Array<[string, string, Parameters<PartnerApiClient['call']>[2]]> = [
      ['GET', '', { key: keys.acme }],
      ['GET', '/candidate', { key: keys.acme }],
      ['GET', '/job', { key: keys.acme }],
      ['GET', '/hiring-team', { key: keys.acme }],
      ['PATCH', '/result', { key: keys.acmeWriter, json: { status: 'COMPLETED' } }],
      ['POST', '/attachments', { key: keys.acmeWriter, headers: { 'content-type': 'application/pdf' }, body: PDF }],
    ];
    for (const [method, suffix, options] of calls) {
      const answer = await api.call(method, `/assessment/orders/${globexOrder}${suffix}`, options);
      expect(answer.status, `${method} ${suffix}`).toBe(404);
      expect(answer.json.detail).toBe(unknown.json.detail);
    }
    expect(await order(globexOrder)).toMatchObject({ json: { delivery: { state: 'none' }, history: [], attachments: [] } });
  });
});

describe('the hook path is unchanged', () => {
  it('with a packages hook configured, SR is answered by the hook even after a catalogue is PUT', async () => {
    expect((await api.call('PUT', '/assessment/packages', { key: keys.write, json: { packages: [] } })).status).toBe(200);
    const listed = await srCall(demo, await srToken(demo, ACME), 'GET', '/packages');
    expect(listed.status).toBe(200);
    expect((listed.body as Array<{ id: string }>).map((item) => item.id)).toContain('video-intro');
  });
});

describe('coverage and secrets', () => {
  it("this file's operations were all exercised; no answer holds a secret; no log line holds a secret or the candidate's data", async () => {
    expect(api.unexercised(ASSESSMENT_OPERATIONS.orders)).toEqual([]);
    const answers = api.answers.join('\n');
    const logs = demo.logs.join('\n');
    for (const secret of secrets) expect((answers + logs).includes(secret), `a secret (${secret.slice(0, 6)}…) leaked`).toBe(false);
    for (const personal of ['ada.lovelace@candidates.example', 'Lovelace', 'report.pdf', 'detail.pdf']) expect(logs.includes(personal), `${personal} logged`).toBe(false);
  });
});
