/**
 * Results back to SmartRecruiters (seed 003 §5; providers.md §1.4.3–§1.4.4), against the fake SR
 * over HTTP: validated and committed by `kit.assessment.updateResult`, delivered as RFC 7396 merge
 * patches to the order's resultCallbackURL with the company's customer-level token, merged and in
 * order per order, retried through every fault until SR has exactly what was sent, and failed with
 * an event when SR refuses it for good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RESULT_FAULTS } from '../../../demo/providers/fake-sr-assessment.js';
import type { AssessmentOrderEvent } from '../../../server/events/kit-events.js';
import { enableAssessment, orderBody, inlineOrderBody, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

let demo: TestDemo;
let token: string;
const COMPANY = 'ACME-ASSESS';
const CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000, faultDelayMs: 1_500 });
  expect((await enableAssessment(demo, COMPANY)).approved.status).toBe(200);
  token = await srToken(demo, COMPANY);
});
afterAll(async () => {
  await demo?.stop();
});

/** An order the fake SR placed through the kit (so SR knows it and accepts results for it). */
async function srOrder(): Promise<string> {
  const ordered = await demo.fakeSr.assessment!.orderAssessment(COMPANY, CANDIDATE, 'video-intro');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  return ordered.orderId!;
}

const atSr = (orderId: string) => demo.fakeSr.assessment!.orders.get(orderId)!;
const delivered = (orderId: string) => expect.poll(async () => (await demo.assessmentKit.assessment.delivery(orderId))?.state, { timeout: 15_000, interval: 50 });

const COMPLETED = {
  status: 'COMPLETED',
  score: { raw: 28, min: 20, max: 80 },
  scoreLabel: '28/80',
  summary: 'Strong async skills',
  submissionDate: '2026-12-01T10:00:00.000Z',
  assessmentDate: '2026-11-30T09:00:00.000Z',
  attachments: [{ type: 'PDF_URL', url: 'https://assess.example/reports/1.pdf' }],
  assessmentResults: [{ assessmentId: 'js-async', status: 'COMPLETED', score: { raw: 7, min: 0, max: 10 } }],
};

describe('kit.assessment.updateResult (PackageResult)', () => {
  it.each([
    ['an unknown status', { status: 'DONE' }, /status/],
    ['a score without max', { score: { raw: 1, min: 0 } }, /score/],
    ['raw outside min..max', { score: { raw: 11, min: 0, max: 10 } }, /min ≤ raw ≤ max/],
    ['a fractional score', { score: { raw: 1.5, min: 0, max: 10 } }, /score\.raw/],
    ['an http attachment', { attachments: [{ type: 'PDF_URL', url: 'http://assess.example/r.pdf' }] }, /attachments\.0\.url/],
    ['an unknown attachment type', { attachments: [{ type: 'DOC', url: 'https://assess.example/r.pdf' }] }, /attachments\.0\.type/],
    ['a result without assessmentId', { assessmentResults: [{ status: 'COMPLETED' }] }, /assessmentResults\.0\.assessmentId/],
    ['an unknown field', { stauts: 'COMPLETED' }, /stauts/],
    ['a date that is no date', { submissionDate: 'yesterday' }, /submissionDate/],
    ['both package date names', { assessmentDate: '2026-11-30T09:00:00Z', assessmentPackageDate: '2026-11-30T09:00:00Z' }, /not both/],
    ['nothing at all', {}, /empty/],
  ])('%s → 400 naming the field, nothing stored', async (_name, patch, message) => {
    const orderId = await srOrder();
    await expect(demo.assessmentKit.assessment.updateResult(orderId, patch)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
    expect((await demo.assessmentKit.assessment.delivery(orderId))?.state).toBe('none');
  });

  it('an unknown order → 404', async () => {
    await expect(demo.assessmentKit.assessment.updateResult('0b5e1c2a-7d3f-4e8a-9c1b-00000000dead', { status: 'PENDING' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('delivery (RFC 7396 merge patch to resultCallbackURL)', () => {
  it('a status, then a result: SR holds exactly what was sent (assessmentDate sent as assessmentPackageDate); events fire', async () => {
    const orderId = await srOrder();
    const events: AssessmentOrderEvent[] = [];
    const off = demo.assessmentKit.on('assessment.result.delivered', (event) => void events.push(event));
    try {
      await demo.assessmentKit.assessment.updateResult(orderId, { status: 'IN_PROGRESS' });
      await delivered(orderId).toBe('delivered');
      expect(atSr(orderId).result).toMatchObject({ status: 'IN_PROGRESS' });
      await demo.assessmentKit.assessment.updateResult(orderId, COMPLETED);
      await delivered(orderId).toBe('delivered');
    } finally {
      off();
    }
    const { assessmentDate, ...rest } = COMPLETED;
    expect(atSr(orderId).result).toEqual({ ...rest, assessmentPackageDate: assessmentDate });
    expect((await demo.assessmentKit.assessment.delivery(orderId))!.result).toEqual({ ...rest, assessmentPackageDate: assessmentDate });
    expect(events.filter((event) => event.data.orderId === orderId).length).toBeGreaterThanOrEqual(1);
    expect(events[0]!.data).toMatchObject({ orderId, companyId: COMPANY, tenantId: 'tenant-acme', srStatus: 200 });
  });

  it('a burst of updates for one order is merged: fewer PATCHes than updates, never an older status after a newer one', async () => {
    const orderId = await srOrder();
    // SR holds the first PATCH past the kit's timeout, so the burst arrives while an attempt is out
    // (how fast the kit commits and delivers otherwise decides nothing here).
    demo.fakeSr.assessment!.injectFault('results', 'slow', 1);
    const statuses = ['PENDING', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'];
    for (const [index, status] of statuses.entries()) {
      await demo.assessmentKit.assessment.updateResult(orderId, { status, scoreLabel: `step ${index}`, ...(index === 1 ? { summary: 'halfway' } : {}) });
    }
    await demo.assessmentKit.assessment.updateResult(orderId, { summary: null }); // RFC 7396 removal survives the merge
    await delivered(orderId).toBe('delivered');
    const seen = atSr(orderId).patches.map((entry) => entry.result.status);
    expect(seen.length).toBeLessThan(statuses.length + 1);
    const order = ['PENDING', 'IN_PROGRESS', 'COMPLETED'];
    for (let i = 1; i < seen.length; i += 1) expect(order.indexOf(String(seen[i]))).toBeGreaterThanOrEqual(order.indexOf(String(seen[i - 1])));
    expect(atSr(orderId).result).toEqual({ status: 'COMPLETED', scoreLabel: 'step 3' });
  });

  it.each<(typeof RESULT_FAULTS)[number]>(['status-500', 'status-502', 'status-503', 'status-429', 'drop', 'malformed', 'slow'])(
    'SR %s twice, then healthy: the result arrives exactly as sent, once settled',
    async (fault) => {
      const orderId = await srOrder();
      demo.fakeSr.assessment!.injectFault('results', fault, 2);
      await demo.assessmentKit.assessment.updateResult(orderId, COMPLETED);
      await delivered(orderId).toBe('delivered');
      const { assessmentDate, ...rest } = COMPLETED;
      expect(atSr(orderId).result).toEqual({ ...rest, assessmentPackageDate: assessmentDate });
      expect((await demo.assessmentKit.assessment.delivery(orderId))!.lastError).toBeNull();
    },
  );

  it('SR refuses for good (404: no such order at SR) → failed, assessment.result.failed with SR’s status and code', async () => {
    const { orderId, body } = orderBody(demo, COMPANY, { assessmentPackageId: 'video-intro' }); // placed on the kit only: SR never issued it
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    const failed: AssessmentOrderEvent[] = [];
    const off = demo.assessmentKit.on('assessment.result.failed', (event) => void failed.push(event));
    try {
      await demo.assessmentKit.assessment.updateResult(orderId, { status: 'COMPLETED' });
      await delivered(orderId).toBe('failed');
      await expect.poll(() => failed.length).toBe(1);
    } finally {
      off();
    }
    expect(failed[0]!.data).toMatchObject({ orderId, srStatus: 404, srErrorCodes: ['ORDER_NOT_FOUND'] });
    expect(await demo.assessmentKit.assessment.delivery(orderId)).toMatchObject({ state: 'failed', lastStatus: 404 });
  });
});

describe('attachments (POST …/results/attachment)', () => {
  it('stores the file until SR confirms, then keeps only SR’s URL', async () => {
    const orderId = await srOrder();
    const data = new TextEncoder().encode('%PDF-1.4 report');
    const { attachmentId } = await demo.assessmentKit.assessment.addAttachment(orderId, { filename: 'report.pdf', contentType: 'application/pdf', data });
    await expect.poll(async () => (await demo.assessmentKit.assessment.delivery(orderId))!.attachments[0]?.state, { timeout: 10_000 }).toBe('delivered');
    const sent = atSr(orderId).attachments;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf', size: data.length });
    const view = (await demo.assessmentKit.assessment.delivery(orderId))!.attachments[0]!;
    expect(view).toMatchObject({ attachmentId, srUrl: sent[0]!.url });
    expect((await demo.assessmentKit.store.results.findAttachment(attachmentId))!.data).toBeNull();
  });

  it('refused for inline orders (SR does not take them), and over the size limit', async () => {
    const { orderId, body } = inlineOrderBody(demo, COMPANY);
    expect((await srCall(demo, token, 'POST', '/inline-orders', body)).status).toBe(200);
    await expect(demo.assessmentKit.assessment.addAttachment(orderId, { filename: 'a.pdf', contentType: 'application/pdf', data: new Uint8Array([1]) })).rejects.toMatchObject({ status: 409 });
    const standard = await srOrder();
    await expect(
      demo.assessmentKit.assessment.addAttachment(standard, { filename: 'big.bin', contentType: 'application/octet-stream', data: new Uint8Array(10 * 1024 * 1024 + 1) }),
    ).rejects.toMatchObject({ status: 413 });
  });
});

describe('a company relinked to another tenant (T22)', () => {
  it('takes its orders along: the old tenant no longer lists them or sends results for them; the new one does', async () => {
    const companyId = 'RELINKED-ASSESS';
    expect((await enableAssessment(demo, companyId)).approved.status).toBe(200);
    const ordered = await demo.fakeSr.assessment!.orderAssessment(companyId, '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c491', 'video-intro');
    expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
    const orderId = ordered.orderId!;
    expect((await demo.assessmentKit.assessment.orders.list({ tenantId: 'tenant-acme', companyId })).map((order) => order.orderId)).toEqual([orderId]);

    expect(await demo.assessmentKit.integrations.relink(companyId, 'tenant-globex')).toBe(true);
    expect(await demo.assessmentKit.assessment.orders.list({ tenantId: 'tenant-acme', companyId })).toEqual([]);
    expect((await demo.assessmentKit.assessment.orders.get(orderId))!.tenantId).toBe('tenant-globex');
    await demo.assessmentKit.assessment.updateResult(orderId, { status: 'IN_PROGRESS' });
    await delivered(orderId).toBe('delivered');
  });
});
