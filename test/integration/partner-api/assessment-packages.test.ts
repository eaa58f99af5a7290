/**
 * The package catalogue over the partner API (issue 14 item 2) on an assessment kit with no
 * in-process `packages` hook: PUT replaces it, SmartRecruiters' own package list call (seed 003 §2,
 * with SR's bearer token, as SR calls it) answers it, If-Match protects against lost updates, bad
 * catalogues and keys without `write` change nothing, and a tenant-restricted key sees nothing of
 * another tenant's companies. Real HTTP, real SQLite; every answer checked against the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ASSESSMENT_FIELDS } from '../../../demo/assessment-catalogue.js';
import type { AssessmentPackage } from '../../../server/assessment/sr-assessment-types.js';
import { enableAssessment, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { apiKeyMaker, ASSESSMENT_OPERATIONS, PartnerApiClient } from '../../helpers/partner-api-client.js';

let demo: TestDemo;
let api: PartnerApiClient;
const keys: Record<'read' | 'write' | 'acmeWriter', string> = {} as never;
const secrets: string[] = [];
const sr: Record<string, string> = {};

const pkg = (id: string, overrides: Partial<AssessmentPackage> = {}): AssessmentPackage => ({
  id,
  type: 'SKILL_TEST',
  name: `Package ${id}`,
  description: `The ${id} test.`,
  assessments: [{ id: `${id}-a`, type: 'SKILL_TEST', name: 'Part A', description: 'The first part.' }],
  ...overrides,
});

beforeAll(async () => {
  demo = await startTestDemo({
    // The assessment app without a `packages` hook: SmartRecruiters is answered the stored catalogue.
    assessmentKitOptions: { assessment: { consentDisplayMode: 'POPUP', supportedAssessmentTypes: ['SKILL_TEST', 'VIDEO_INTERVIEW'], fields: DEMO_ASSESSMENT_FIELDS } },
  });
  for (const [company, user] of [
    ['ACME-PK1', 'admin@acme.test'],
    ['ACME-PK2', 'admin@acme.test'],
    ['GLOBEX-PK1', 'admin@globex.test'],
  ] as const) {
    expect((await enableAssessment(demo, company, user)).approved.status).toBe(200);
    sr[company] = await srToken(demo, company);
  }
  api = new PartnerApiClient(demo.kitUrl, demo.assessmentKit.paths.partnerApi);
  await api.loadDocument();
  const create = apiKeyMaker(demo.assessmentKit, secrets);
  keys.read = await create('reader', ['read']);
  keys.write = await create('writer', ['read', 'write']);
  keys.acmeWriter = await create('acme writer', ['read', 'write'], 'tenant-acme');
  secrets.push(...Object.values(sr), demo.kitOptions.encryptionKey, demo.kitOptions.sessionSecret);
});

afterAll(async () => {
  await demo?.stop();
});

const srPackages = (company: string) => srCall(demo, sr[company]!, 'GET', '/packages');

describe('the default catalogue, and what SmartRecruiters is answered', () => {
  it('empty at first: SR gets 204 (no packages); the GET answers an ETag', async () => {
    const read = await api.call('GET', '/assessment/packages', { key: keys.read });
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ companyId: null, packages: [], inheritsDefault: false, updatedAt: null });
    expect(read.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect((await srPackages('ACME-PK1')).status).toBe(204);
  });

  it("PUT replaces it; SR's package list (SR's bearer token) and single package calls answer it for every company", async () => {
    const before = await api.call('GET', '/assessment/packages', { key: keys.read });
    const put = await api.call('PUT', '/assessment/packages', { key: keys.write, json: { packages: [pkg('js'), pkg('video', { type: 'VIDEO_INTERVIEW', assessments: [] })] } });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ companyId: null, inheritsDefault: false, packages: [{ id: 'js' }, { id: 'video' }] });
    expect(put.headers.get('etag')).not.toBe(before.headers.get('etag'));
    for (const company of ['ACME-PK1', 'GLOBEX-PK1']) {
      const listed = await srPackages(company);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([pkg('js'), pkg('video', { type: 'VIDEO_INTERVIEW', assessments: [] })]);
    }
    expect((await srCall(demo, sr['ACME-PK1']!, 'GET', '/packages/video')).body).toMatchObject({ id: 'video', type: 'VIDEO_INTERVIEW' });
    expect((await srCall(demo, sr['ACME-PK1']!, 'GET', '/packages/nope')).status).toBe(404);
    // The GET answers what the PUT stored, with the PUT's ETag.
    const after = await api.call('GET', '/assessment/packages', { key: keys.read });
    expect(after.headers.get('etag')).toBe(put.headers.get('etag'));
    expect(after.json.packages).toEqual(put.json.packages);
  });

  it('If-Match: the ETag read → replaced; a stale one → 412 and nothing changed; * on an absent catalogue → 412', async () => {
    const read = await api.call('GET', '/assessment/packages', { key: keys.read });
    const etag = read.headers.get('etag')!;
    const first = await api.call('PUT', '/assessment/packages', { key: keys.write, headers: { 'if-match': etag }, json: { packages: [pkg('js')] } });
    expect(first.status, first.text).toBe(200);
    // A second writer that read the same version loses instead of overwriting.
    const stale = await api.call('PUT', '/assessment/packages', { key: keys.write, headers: { 'if-match': etag }, json: { packages: [pkg('lost')] } });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ type: 'https://ats-consent.dev/problems/precondition-failed', field: 'If-Match' });
    expect((await srPackages('ACME-PK1')).body).toEqual([pkg('js')]);
    const weak = await api.call('PUT', '/assessment/packages', { key: keys.write, headers: { 'if-match': `W/${first.headers.get('etag')!}` }, json: { packages: [pkg('weak')] } });
    expect(weak.status).toBe(412); // RFC 9110 §13.1.1: strong comparison
    const listed = await api.call('PUT', '/assessment/packages', { key: keys.write, headers: { 'if-match': `"other", ${first.headers.get('etag')!}` }, json: { packages: [pkg('js'), pkg('listed')] } });
    expect(listed.status).toBe(200);
    const star = await api.call('PUT', '/assessment/packages?companyId=ACME-PK2', { key: keys.write, headers: { 'if-match': '*' }, json: { packages: [pkg('x')] } });
    expect(star.status).toBe(412);
    expect((await api.call('GET', '/assessment/packages?companyId=ACME-PK2', { key: keys.read })).json).toMatchObject({ inheritsDefault: true, packages: [] });
  });
});

describe("a company's own catalogue", () => {
  it('answers SR for that company only; the others keep the default', async () => {
    const own = await api.call('PUT', '/assessment/packages?companyId=ACME-PK1', { key: keys.write, json: { packages: [pkg('acme-only')] } });
    expect(own.status, own.text).toBe(200);
    expect(own.json).toMatchObject({ companyId: 'ACME-PK1', inheritsDefault: false, packages: [{ id: 'acme-only' }] });
    expect((await srPackages('ACME-PK1')).body).toEqual([pkg('acme-only')]);
    expect((await srPackages('GLOBEX-PK1')).body).toEqual([pkg('js'), pkg('listed')]);
    const inherited = await api.call('GET', '/assessment/packages?companyId=GLOBEX-PK1', { key: keys.read });
    expect(inherited.json).toEqual({ companyId: 'GLOBEX-PK1', packages: [], inheritsDefault: true, updatedAt: null });
    // An empty catalogue of its own: SR gets 204 for that company, not the default.
    expect((await api.call('PUT', '/assessment/packages?companyId=ACME-PK1', { key: keys.write, json: { packages: [] } })).status).toBe(200);
    expect((await srPackages('ACME-PK1')).status).toBe(204);
  });
});

describe('refusals change nothing', () => {
  it('a read key cannot PUT: 403 insufficient_scope', async () => {
    const before = await srPackages('GLOBEX-PK1');
    const answer = await api.call('PUT', '/assessment/packages', { key: keys.read, json: { packages: [pkg('nope')] } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="write"/);
    expect((await srPackages('GLOBEX-PK1')).body).toEqual(before.body);
  });

  it.each([
    ['a package without a name', { packages: [{ ...pkg('a'), name: undefined }] }, '/packages/0/name'],
    ['an unknown type', { packages: [pkg('a', { type: 'QUIZ' as never })] }, '/packages/0/type'],
    ['an assessment without a description', { packages: [pkg('a', { assessments: [{ id: 'x', type: 'SKILL_TEST' } as never] })] }, '/packages/0/assessments/0/description'],
    ['the same package id twice', { packages: [pkg('a'), pkg('a')] }, '/packages'],
    ['no packages field', { catalogue: [] }, '/packages'],
    ['more than 500 packages', { packages: Array.from({ length: 501 }, (_, i) => pkg(`p${i}`)) }, '/packages'],
  ])('%s → 400 naming the field', async (_name, body, field) => {
    const before = await api.call('GET', '/assessment/packages', { key: keys.read });
    const answer = await api.call('PUT', '/assessment/packages', { key: keys.write, json: body });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json).toMatchObject({ type: 'https://ats-consent.dev/problems/invalid-request', field });
    const after = await api.call('GET', '/assessment/packages', { key: keys.read });
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });

  it('not JSON → 415; too large → 413; a bad companyId → 400', async () => {
    const text = await api.call('PUT', '/assessment/packages', { key: keys.write, headers: { 'content-type': 'text/plain' }, body: '[]' });
    expect(text.status).toBe(415);
    const huge = await api.call('PUT', '/assessment/packages', { key: keys.write, json: { packages: [pkg('a', { description: 'x'.repeat(5 * 1024 * 1024) })] } });
    expect(huge.status).toBe(413);
    const badId = await api.call('GET', '/assessment/packages?companyId=no%20spaces', { key: keys.read });
    expect(badId.json).toMatchObject({ status: 400, field: 'companyId' });
  });
});

describe('tenant-restricted keys', () => {
  it("see nothing of another tenant's company (404 as for none), cannot replace the default (403), manage their own", async () => {
    const globexBefore = await srPackages('GLOBEX-PK1');
    const read = await api.call('GET', '/assessment/packages?companyId=GLOBEX-PK1', { key: keys.acmeWriter });
    expect(read.status).toBe(404);
    expect(read.json.detail).toBe((await api.call('GET', '/assessment/packages?companyId=ACME-NONE', { key: keys.acmeWriter })).json.detail);
    expect((await api.call('PUT', '/assessment/packages?companyId=GLOBEX-PK1', { key: keys.acmeWriter, json: { packages: [pkg('mine')] } })).status).toBe(404);
    const shared = await api.call('PUT', '/assessment/packages', { key: keys.acmeWriter, json: { packages: [pkg('mine')] } });
    expect(shared.status).toBe(403);
    expect(shared.json.type).toBe('https://ats-consent.dev/problems/tenant-restricted');
    expect((await srPackages('GLOBEX-PK1')).body).toEqual(globexBefore.body);
    const own = await api.call('PUT', '/assessment/packages?companyId=ACME-PK2', { key: keys.acmeWriter, json: { packages: [pkg('acme-2')] } });
    expect(own.status).toBe(200);
    expect((await srPackages('ACME-PK2')).body).toEqual([pkg('acme-2')]);
    expect((await api.call('GET', '/assessment/packages', { key: keys.acmeWriter })).status).toBe(200); // the default is no tenant's secret
  });
});

describe('coverage and secrets', () => {
  it("this file's operations were all exercised; the catalogue change is audited; no answer or log line holds a secret", async () => {
    expect(api.unexercised(ASSESSMENT_OPERATIONS.packages)).toEqual([]);
    const audit = await demo.assessmentKit.audit.list();
    expect(audit.filter((entry) => entry.event === 'packages').length).toBeGreaterThanOrEqual(5);
    const everything = [...api.answers, ...demo.logs].join('\n');
    for (const secret of secrets) expect(everything.includes(secret), `a secret (${secret.slice(0, 6)}…) leaked`).toBe(false);
  });
});
