/**
 * Assessment results back to SmartRecruiters (issue 8 items 5–7), in Chromium through the UI only:
 * on the partner's orders page the admin sends a status, a result, an attachment file, sees each
 * order's delivery state, and sees a fault on the fake SR turn into "pending / next attempt" and
 * then "delivered"; the fake SR's QA page shows what SR received. And the inline round trip: Apply
 * as candidate → the partner's take page → Finish assessment → SR's candidate-done page, which
 * shows the COMPLETED result. The send endpoints' guards (Origin, sign-in, tenant, body) are
 * checked over HTTP with the browser's session cookie.
 *
 * Setup goes through the APIs to save time (enabling by the UI is covered by engines-assessment.test.ts).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../demo/providers/fake-sr-assessment-data.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { enableAssessment } from '../helpers/assessment-fixture.js';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();
const COMPANY = 'ACME-ASSESS';
const ADA = DEMO_COMPANIES.find((company) => company.id === COMPANY)!.candidates[0]!;
const VIDEO_URL = 'https://videos.acme-assessments.example/replay/ada-1';

const region = (page: Page, orderId: string): Locator => page.getByRole('region', { name: orderId, exact: true });
const delivery = (scope: Locator): Locator => scope.getByRole('status', { name: 'Delivery', exact: true });
const lastSend = (scope: Locator): Locator => scope.getByRole('status', { name: 'Last send', exact: true });
/** The fake SR's QA page: Ada's entry for one order in ACME-ASSESS's candidate list. */
const srOrder = (page: Page, orderId: string): Locator =>
  page.getByRole('region', { name: COMPANY, exact: true }).getByRole('group', { name: `${ADA.firstName} ${ADA.lastName}` }).getByRole('listitem').filter({ hasText: orderId });

/** The partner's orders page, signed in through `<ats-consent mode="connections">` of the assessment kit. */
async function openOrdersPage(page: Page, user = 'admin@acme.test'): Promise<void> {
  await page.goto(`${suite.demo.kitUrl}/assessment`);
  await page.getByRole('heading', { name: 'Orders from SmartRecruiters' }).waitFor();
  await page.getByLabel('Email').fill(user);
  await page.getByLabel('Password').fill(DEMO_PASSWORDS[user]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Connected systems' }).waitFor();
  await page.getByRole('status').filter({ hasText: /^\d+ orders? for tenant-/ }).waitFor();
}

async function openQaPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${suite.demo.srUrl}/assessment`);
  await page.getByRole('region', { name: COMPANY, exact: true }).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
  return page;
}

async function orderPackage(packageId: string): Promise<string> {
  const outcome = await suite.demo.fakeSr.assessment!.orderAssessment(COMPANY, ADA.id, packageId);
  expect(outcome.ok, JSON.stringify(outcome.problems)).toBe(true);
  return outcome.orderId!;
}

/** Content-Security-Policy violations the page reports on the console (the page runs under `script-src 'self'`). */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}

describe.sequential('Assessment results from the partner\'s pages to the fake SmartRecruiters', () => {
  let orderId = '';

  beforeAll(async () => {
    const { approved } = await enableAssessment(suite.demo, COMPANY);
    expect(approved.status).toBe(200);
    orderId = await orderPackage('work-style');
  });

  it('Send status, then a COMPLETED result with score, label, summary, link and one assessment\'s result: delivered, and the QA page shows what SR received', async () => {
    const { page, context, demo } = suite;
    const csp = cspViolations(page);
    await openOrdersPage(page);
    const order = region(page, orderId);
    await delivery(order).filter({ hasText: 'Delivery: nothing sent yet.' }).waitFor();
    await order.getByText('SmartRecruiters holds no result for this order yet.').waitFor();

    await order.getByLabel('Status', { exact: true }).selectOption('IN_PROGRESS');
    await order.getByRole('button', { name: 'Send status' }).click();
    await lastSend(order).filter({ hasText: 'Status IN_PROGRESS accepted (HTTP 202)' }).waitFor();
    await order.getByText('Result for SmartRecruiters: status IN_PROGRESS.').waitFor();
    await delivery(order).filter({ hasText: /^Delivery: delivered to SmartRecruiters at \d{4}-\d\d-\d\dT[\d:.]+Z \(HTTP 200\)\.$/ }).waitFor();
    expect(demo.fakeSr.assessment!.orders.get(orderId)?.result).toEqual({ status: 'IN_PROGRESS' });

    const qa = await openQaPage(context);
    await srOrder(qa, orderId).filter({ hasText: 'result: IN_PROGRESS' }).waitFor();

    await order.getByLabel('Raw score', { exact: true }).fill('82');
    await order.getByLabel('Minimum score', { exact: true }).fill('0');
    await order.getByLabel('Maximum score', { exact: true }).fill('100');
    await order.getByLabel('Score label', { exact: true }).fill('Strong match');
    await order.getByLabel('Summary', { exact: true }).fill('Prefers structured, collaborative work.');
    await order.getByLabel('Link type', { exact: true }).selectOption('VIDEO_URL');
    await order.getByLabel('Link URL (https)', { exact: true }).fill(VIDEO_URL);
    await order.getByLabel('Assessment id', { exact: true }).fill('work-style-core');
    await order.getByLabel('Assessment status', { exact: true }).selectOption('COMPLETED');
    await order.getByLabel('Assessment raw score', { exact: true }).fill('80');
    await order.getByRole('button', { name: 'Send result' }).click();
    await lastSend(order).filter({ hasText: 'Result accepted (HTTP 202)' }).waitFor();
    await order
      .getByText('Result for SmartRecruiters: status COMPLETED · score 82 (0 to 100) · label "Strong match" · summary "Prefers structured, collaborative work." · 1 link · 1 assessment result.')
      .waitFor();
    await delivery(order).filter({ hasText: 'Delivery: delivered' }).waitFor();
    await screenshot(page, 'assessment-results-1-partner-delivered');
    expect(demo.fakeSr.assessment!.orders.get(orderId)?.result).toEqual({
      status: 'COMPLETED',
      score: { raw: 82, min: 0, max: 100 },
      scoreLabel: 'Strong match',
      summary: 'Prefers structured, collaborative work.',
      attachments: [{ type: 'VIDEO_URL', url: VIDEO_URL }],
      assessmentResults: [{ assessmentId: 'work-style-core', status: 'COMPLETED', score: { raw: 80, min: 0, max: 100 } }],
    });

    // The QA page's candidate/order view: status, score, summary, the link; the label is in the latest patch.
    const entry = srOrder(qa, orderId).filter({ hasText: 'result: COMPLETED · score 82/100 · Prefers structured, collaborative work.' });
    await entry.waitFor();
    expect(await entry.getByRole('link', { name: /VIDEO_URL/ }).getAttribute('href')).toBe(VIDEO_URL);
    await entry.getByText(/^Latest result patch \(2 so far\)$/).click();
    expect(JSON.parse((await entry.locator('pre').textContent())!)).toMatchObject({ patch: { status: 'COMPLETED', scoreLabel: 'Strong match' }, result: { scoreLabel: 'Strong match' } });
    await screenshot(qa, 'assessment-results-2-sr-qa-order');

    // A bad patch comes back with the kit's 400 and its message naming the field; SR's copy is unchanged.
    await order.getByLabel('Link URL (https)', { exact: true }).fill('http://videos.acme-assessments.example/replay/ada-1');
    await order.getByRole('button', { name: 'Send result' }).click();
    await lastSend(order).filter({ hasText: /^Not sent \(HTTP 400\): The result is not valid: attachments\.0\.url: must be an https URL\.$/ }).waitFor();
    expect(demo.fakeSr.assessment!.orders.get(orderId)?.patches).toHaveLength(2);
    expect(csp).toEqual([]);
  });

  it('Send attachment (standard order): the file reaches SR, which lists it as an upload', async () => {
    const { page, context, demo } = suite;
    await openOrdersPage(page);
    const order = region(page, orderId);
    const pdf = Buffer.from('%PDF-1.4\n% demo report\n');
    await order.getByLabel('Attachment file', { exact: true }).setInputFiles({ name: 'work-style-report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await order.getByRole('button', { name: 'Send attachment' }).click();
    await lastSend(order).filter({ hasText: 'File work-style-report.pdf accepted (HTTP 202)' }).waitFor();
    const file = order.getByRole('list', { name: 'Attachment files' }).getByRole('listitem').filter({ hasText: 'work-style-report.pdf: delivered' });
    await file.waitFor();
    const srUrl = await file.getByRole('link', { name: 'work-style-report.pdf at SmartRecruiters' }).getAttribute('href');
    expect(demo.fakeSr.assessment!.orders.get(orderId)?.attachments).toEqual([
      expect.objectContaining({ url: srUrl, filename: 'work-style-report.pdf', contentType: 'application/pdf', size: pdf.length }),
    ]);
    const qa = await openQaPage(context);
    expect(await srOrder(qa, orderId).getByRole('link', { name: /upload/i }).getAttribute('href')).toBe(srUrl);
  });

  it('A fault on the fake SR (503 for the next results calls): the order shows pending with the next attempt, then delivered', async () => {
    const { page, context, demo } = suite;
    const faultedOrder = await orderPackage('skills-js');
    const patchesBefore = demo.fakeSr.assessment!.counts.resultPatches;
    const qa = await openQaPage(context);
    const faults = qa.getByRole('group', { name: /^Next result update/ });
    // The fake's labels wrap their controls, so their names include the control's value ("Fault none (clear)", "Times 1").
    await faults.getByRole('combobox', { name: /^Fault/ }).selectOption('status-503');
    await faults.getByRole('spinbutton', { name: /^Times/ }).fill('4');
    await faults.getByRole('button', { name: 'Apply result fault' }).click();
    await qa.getByRole('status').filter({ hasText: 'Applied results fault' }).waitFor();

    await openOrdersPage(page);
    const order = region(page, faultedOrder);
    await order.getByLabel('Status', { exact: true }).selectOption('PENDING');
    await order.getByRole('button', { name: 'Send status' }).click();
    await lastSend(order).filter({ hasText: 'Status PENDING accepted (HTTP 202)' }).waitFor();
    const retrying = delivery(order).filter({ hasText: /^Delivery: pending · \d+ attempts? so far · last attempt: HTTP 503 SERVICE_UNAVAILABLE · next attempt at \d{4}-\d\d-\d\dT[\d:.]+Z\.$/ });
    await retrying.waitFor({ timeout: 15_000 });
    await screenshot(page, 'assessment-results-3-partner-pending');
    await delivery(order).filter({ hasText: 'Delivery: delivered' }).waitFor({ timeout: 30_000 });
    expect(demo.fakeSr.assessment!.orders.get(faultedOrder)?.result).toEqual({ status: 'PENDING' });
    expect(demo.fakeSr.assessment!.counts.resultPatches - patchesBefore).toBe(5); // four 503s, then the one SR took
    await srOrder(qa, faultedOrder).filter({ hasText: 'result: PENDING' }).waitFor();
  });

  it('Inline round trip: Apply as candidate → the partner\'s take page → Finish assessment → SR\'s candidate-done page shows the COMPLETED result', async () => {
    const { page, demo } = suite;
    await page.goto(`${demo.srUrl}/assessment`);
    const ada = page.getByRole('region', { name: COMPANY, exact: true }).getByRole('group', { name: `${ADA.firstName} ${ADA.lastName}` });
    await page.getByRole('region', { name: COMPANY, exact: true }).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
    await ada.getByRole('button', { name: 'Apply as candidate' }).click();
    await page.waitForURL((url) => url.origin === demo.kitUrl && url.pathname.startsWith('/assessment/take/'));
    const inlineOrderId = new URL(page.url()).pathname.split('/')[3]!; // /assessment/take/<orderId>/<key>
    await page.getByRole('heading', { name: 'Hello Ada: your assessment' }).waitFor();
    await page.getByRole('button', { name: 'Finish assessment' }).click();
    await page.waitForURL((url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
    expect(new URL(page.url()).searchParams.get('order')).toBe(inlineOrderId);
    await page.getByRole('heading', { name: 'Application complete' }).waitFor();
    await page.getByText('Result status: COMPLETED', { exact: true }).waitFor();
    await screenshot(page, 'assessment-results-4-candidate-done');
    const held = demo.fakeSr.assessment!.orders.get(inlineOrderId)!;
    expect(held.result).toMatchObject({ status: 'COMPLETED', score: { raw: 4, min: 0, max: 5 }, scoreLabel: '4 of 5 answers right', submissionDate: expect.any(String) });
    expect(held.patches).toHaveLength(1);

    // Back to the take page and Finish again: nothing new is recorded, the candidate is sent back again.
    await page.goBack();
    await page.getByRole('button', { name: 'Finish assessment' }).click();
    await page.waitForURL((url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
    await page.getByText('Result status: COMPLETED', { exact: true }).waitFor();
    expect(demo.fakeSr.assessment!.orders.get(inlineOrderId)!.patches).toHaveLength(1);

    // The partner's page: delivered; no file form for an inline order.
    const partner = await suite.context.newPage();
    await openOrdersPage(partner);
    const order = region(partner, inlineOrderId);
    await delivery(order).filter({ hasText: 'Delivery: delivered' }).waitFor();
    expect(await order.getByRole('button', { name: 'Send attachment' }).count()).toBe(0);
    await order.getByText('SmartRecruiters takes no attachment files for inline orders').waitFor();
  });

  it('The send endpoints: same Origin, signed in, the user\'s tenant only, JSON within limits; the kit\'s errors keep their status', async () => {
    const { page, context, demo, browser } = suite;
    await openOrdersPage(page);
    await region(page, orderId).waitFor();
    const cookie = (await context.cookies(demo.kitUrl)).map(({ name, value }) => `${name}=${value}`).join('; ');
    const inlineOrderId = [...demo.fakeSr.assessment!.orders.values()].find((order) => order.kind === 'inline')!.orderId;
    const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${demo.kitUrl}${path}`, {
        method: 'POST',
        headers: { origin: demo.kitUrl, cookie, 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as { message?: string; delivery?: { state: string } } | null };
    };
    const result = `/assessment/orders/${orderId}/result`;

    expect((await post(result, '{"status":"IN_PROGRESS"}', { origin: demo.srUrl })).status).toBe(403);
    expect((await post(result, '{"status":"IN_PROGRESS"}', { origin: 'null' })).status).toBe(403);
    expect((await post(result, '{"status":"IN_PROGRESS"}', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(result, '{"status":"IN_PROGRESS"}', { cookie: '' })).status).toBe(401);
    expect((await post(result, 'status=IN_PROGRESS', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(result, '{"status":')).status).toBe(400);
    const bad = await post(result, '{"status":"DONE"}');
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toMatch(/^The result is not valid: status: /);
    expect((await post(result, JSON.stringify({ summary: 'x'.repeat(100 * 1024) }))).status).toBe(413);
    expect((await post(result, JSON.stringify({ summary: 'x'.repeat(70 * 1024) }))).body?.message).toMatch(/larger than 65536 bytes/);
    expect((await post('/assessment/orders/00000000-0000-4000-8000-000000000000/result', '{"status":"IN_PROGRESS"}')).status).toBe(404);
    expect((await post('/assessment/orders/not-an-order/result', '{"status":"IN_PROGRESS"}')).status).toBe(404);
    const inline = await post(`/assessment/orders/${inlineOrderId}/attachment`, JSON.stringify({ filename: 'a.pdf', contentType: 'application/pdf', data: 'JVBERg==' }));
    expect(inline.status).toBe(409);
    expect(inline.body?.message).toMatch(/inline/);
    expect((await post(`/assessment/orders/${orderId}/attachment`, JSON.stringify({ filename: 'a.pdf', contentType: 'application/pdf', data: 'not base64!' }))).status).toBe(400);
    expect((await post(`/assessment/orders/${orderId}/attachment`, JSON.stringify({ filename: 'a/b.pdf', contentType: 'application/pdf', data: 'JVBERg==' }))).status).toBe(400);
    const accepted = await post(result, '{"status":"COMPLETED"}');
    expect(accepted).toMatchObject({ status: 202, body: { delivery: { state: expect.stringMatching(/^(pending|delivered)$/) } } });

    // Globex, signed in in its own browser, cannot send for Acme's order: 404, as for an unknown one (from the page, so the browser sets Origin).
    const other = await browser.newContext();
    try {
      const globex = await other.newPage();
      await openOrdersPage(globex, 'admin@globex.test');
      await globex.getByRole('status').filter({ hasText: '0 orders for tenant-globex.' }).waitFor();
      const status = await globex.evaluate(
        async (path) => (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":"REJECTED"}' })).status,
        result,
      );
      expect(status).toBe(404);
    } finally {
      await other.close();
    }
    expect(demo.fakeSr.assessment!.orders.get(orderId)?.result?.status).not.toBe('REJECTED');
  });

  it('The orders page with its forms passes axe', async () => {
    const { browser } = suite;
    const context = await browser.newContext({ bypassCSP: true }); // axe is injected as a script
    try {
      const page = await context.newPage();
      await openOrdersPage(page);
      await region(page, orderId).getByRole('button', { name: 'Send result' }).waitFor();
      await delivery(region(page, orderId)).filter({ hasText: 'Delivery:' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'assessment-results-5-partner-orders');
    } finally {
      await context.close();
    }
  });
});
