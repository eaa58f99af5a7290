/**
 * SmartRecruiters Assessment, the partner's side of the setup (seed 003 §1.2–§1.3): the partner
 * configuration the kit registers, and the credential exchange at
 * `POST /assessment-api/v202010/integration/company/{companyId}`, against the fake SR over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmartRecruitersAssessmentClient } from '../../../server/providers/smartrecruiters-assessment.js';
import { SmartRecruitersClient } from '../../../server/providers/smartrecruiters.js';
import { OutboundError } from '../../../server/oauth/outbound.js';
import { enableAssessment, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

let demo: TestDemo;
beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000, faultDelayMs: 1_500 });
});
afterAll(async () => {
  await demo?.stop();
});

let counter = 0;
const company = (label: string) => `ACME-${label}-${++counter}`;

describe('PUT /partner/configuration (seed 003 §1.2)', () => {
  it('the demo registered every endpoint, built from the kit’s own URLs', () => {
    const base = `${demo.kitUrl}/ats-assessment`;
    expect(demo.fakeSr.assessment!.configuration).toMatchObject({
      consentUrl: `${base}/consent`,
      consentDisplayMode: 'POPUP',
      assessmentPackageListUrl: `${base}/assessment/packages`,
      singleAssessmentPackageUrl: `${base}/assessment/packages`,
      packageOrderUrl: `${base}/assessment/orders`,
      inlineAssessmentPackageOrderUrl: `${base}/assessment/inline-orders`,
      oauthTokenUrl: `${base}/oauth/token`,
      integrationDisableUrl: `${base}/assessment/integrations/companies`,
      supportedAssessmentTypes: ['SKILL_TEST', 'VIDEO_INTERVIEW', 'BEHAVIORAL_ASSESSMENT', 'INLINE_ASSESSMENT'],
    });
    expect(demo.fakeSr.assessment!.configuration!.fields).toHaveLength(2);
  });

  it('a second push shows what SR holds and changes nothing', async () => {
    const puts = demo.fakeSr.assessment!.counts.configurationPuts;
    const pushed = await demo.assessmentKit.assessment.pushConfiguration();
    expect(pushed.before).toMatchObject({ consentUrl: `${demo.kitUrl}/ats-assessment/consent` });
    expect(pushed.changes).toEqual([]);
    expect(demo.fakeSr.assessment!.counts.configurationPuts).toBe(puts + 1);
    expect(await demo.assessmentKit.assessment.currentConfiguration()).toEqual(pushed.after);
  });

  it('SR’s 400 for a configuration it refuses surfaces as a rejected request (the kit itself never sends one)', async () => {
    const sr = new SmartRecruitersClient({
      apiBaseUrl: new URL(demo.srUrl),
      appId: '',
      clientId: 'demo-assessment-master',
      clientSecret: demo.assessmentKit.config.sr.clientSecret,
      timeoutMs: 2_000,
    });
    const client = new SmartRecruitersAssessmentClient(sr);
    const bad = { ...demo.assessmentKit.assessment.partnerConfiguration(), supportedAssessmentTypes: [] };
    const error = await client.putConfiguration(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutboundError);
    expect(error).toMatchObject({ kind: 'rejected', status: 400 });
  });
});

describe('POST /integration/company/{companyId} (seed 003 §1.3)', () => {
  it('Approve sends our credentials, stores SR’s encrypted, and SR can then call us with ours', async () => {
    const companyId = company('EXCHANGE');
    const { approved } = await enableAssessment(demo, companyId);
    expect(approved.status).toBe(200);
    const atSr = demo.fakeSr.assessment!.integrations.get(companyId)!;
    const row = (await demo.assessmentKit.integrations.get(companyId))!;
    expect(row).toMatchObject({ state: 'active', tenantId: 'tenant-acme', srIntegrationId: null, issuedClientId: atSr.partnerClientId });
    expect(await demo.assessmentKit.integrations.smartRecruitersCredentials(companyId)).toEqual({ clientId: atSr.srClientId, clientSecret: atSr.srClientSecret });
    const token = await srToken(demo, companyId);
    expect((await srCall(demo, token, 'GET', '/packages')).status).toBe(200);
  });

  it('without consent at SR: 403 becomes a clear message with Retry, and nothing is lost', async () => {
    const companyId = company('NOCONSENT');
    const { ConsentApi } = await import('../../helpers/consent-api.js');
    const api = await new ConsentApi(demo.kitUrl, '/ats-assessment/consent').start(companyId);
    const refused = await api.approve();
    expect(refused.status).toBe(502);
    expect(refused.body.error).toBe('ATS_UPSTREAM_FORBIDDEN');
    demo.fakeSr.assessment!.recordConsent(companyId);
    expect((await api.approve()).status).toBe(200);
  });

  it('one exchange per company however many approvals run at once', async () => {
    const companyId = company('CONCURRENT');
    demo.fakeSr.assessment!.recordConsent(companyId);
    const { ConsentApi } = await import('../../helpers/consent-api.js');
    const tabs = await Promise.all([1, 2, 3].map(() => new ConsentApi(demo.kitUrl, '/ats-assessment/consent').start(companyId)));
    const before = demo.fakeSr.assessment!.counts.exchangeRequests;
    const answers = await Promise.all(tabs.flatMap((tab) => [tab.approve(), tab.approve()]));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(demo.fakeSr.assessment!.counts.exchangeRequests - before).toBe(1);
  });

  it('409 after a lost answer: the admin is told what to do in SR, it is recorded, and SR’s calls keep working', async () => {
    const companyId = company('LOST');
    demo.fakeSr.assessment!.recordConsent(companyId);
    const { ConsentApi } = await import('../../helpers/consent-api.js');
    const api = await new ConsentApi(demo.kitUrl, '/ats-assessment/consent').start(companyId);
    demo.fakeSr.assessment!.injectFault('exchange', 'drop'); // SR commits, the answer never arrives
    const lost = await api.approve();
    expect(lost.status).toBe(502);
    const replay = await api.approve(); // the identical body again: SR answers 409
    expect(replay.status).toBe(409);
    expect(replay.body.error).toBe('ATS_SR_CREDENTIALS_LOST');
    expect(String(replay.body.error_description)).toMatch(/disable this app for your company in SmartRecruiters/);
    const row = (await demo.assessmentKit.integrations.get(companyId))!;
    expect(row).toMatchObject({ state: 'failed', lastError: 'ATS_SR_CREDENTIALS_LOST', tenantId: 'tenant-acme' });
    const audit = await demo.assessmentKit.audit.list({ companyId });
    expect(audit.some((entry) => entry.event === 'exchange' && entry.detail?.code === 'ATS_SR_CREDENTIALS_LOST')).toBe(true);
    // SR holds our credentials: it can still get tokens and list packages.
    const token = await srToken(demo, companyId);
    expect((await srCall(demo, token, 'GET', '/packages')).status).toBe(200);
  });

  it('409 on a first attempt (an integration from elsewhere) is told apart from a lost answer', async () => {
    const companyId = company('EXISTING');
    demo.fakeSr.assessment!.recordConsent(companyId);
    const { ConsentApi } = await import('../../helpers/consent-api.js');
    const api = await new ConsentApi(demo.kitUrl, '/ats-assessment/consent').start(companyId);
    demo.fakeSr.assessment!.injectFault('exchange', 'status-409');
    const conflict = await api.approve();
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe('ATS_UPSTREAM_CONFLICT');
    expect(String(conflict.body.error_description)).toMatch(/already connected to this assessment app/);
  });

  it('rotation is refused for the Assessment product (SR documents no way to replace its credentials)', async () => {
    const companyId = company('ROTATE');
    expect((await enableAssessment(demo, companyId)).approved.status).toBe(200);
    await expect(demo.assessmentKit.integrations.rotateCredentials(companyId)).rejects.toThrow(/disable and enable the app/);
  });
});
