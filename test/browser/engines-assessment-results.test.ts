/**
 * Assessment results back to SmartRecruiters (issue 8 items 5–7) in every engine
 * (test/helpers/engine.ts: Chromium and Firefox through puppeteer-core), through the UI only: on
 * the partner's orders page the admin sends a status, a result, an attachment file, sees each
 * order's delivery state, and sees a fault on the fake SR turn into "pending / next attempt" and
 * then "delivered"; the fake SR's QA page shows what SR received. And the inline round trip: Apply
 * as candidate → the partner's take page → Finish assessment → SR's candidate-done page, which
 * shows the COMPLETED result. The send endpoints' guards (Origin, sign-in, tenant, body) are
 * checked over HTTP with the browser's session cookie.
 *
 * Setup goes through the APIs to save time (enabling by the UI is covered by engines-assessment.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../demo/providers/fake-sr-assessment-data.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { enableAssessment } from '../helpers/assessment-fixture.js';
import { axeViolationsIn } from '../helpers/axe.js';
import {
  byCss,
  byLabel,
  byRole,
  byText,
  clickByRole,
  containing,
  countByRole,
  ENGINES,
  fillByLabel,
  screenshot,
  selectByLabel,
  selectIn,
  waitForUrl,
  type FindOptions,
} from '../helpers/engine.js';
import { useEngineSuite } from '../helpers/engine-suite.js';
import { expectInlineRoundTripSettled } from '../helpers/inline-round-trip.js';

const COMPANY = 'ACME-ASSESS';
const ADA = DEMO_COMPANIES.find((company) => company.id === COMPANY)!.candidates[0]!;
const VIDEO_URL = 'https://videos.acme-assessments.example/replay/ada-1';

type Scope = ElementHandle<Element>;
const region = (page: Page, orderId: string) => byRole(page, 'region', orderId);
/** The order's "Delivery" status once its text contains `text`. */
const delivery = async (page: Page, scope: Scope, text: string | RegExp, timeout?: number) => byRole(page, 'status', 'Delivery', { within: scope, text, timeout });
/** The order's "Last send" status once its text contains `text`. */
const lastSend = async (page: Page, scope: Scope, text: string | RegExp) => byRole(page, 'status', 'Last send', { within: scope, text });
/** Fills a field of the order's forms, found by its exact label. */
const fill = (page: Page, scope: Scope, label: string, value: string) => fillByLabel(page, label, value, { within: scope });
const choose = (page: Page, scope: Scope, label: string, value: string) => selectByLabel(page, label, value, { within: scope });

/** The fake SR's QA page: Ada's entry for one order in ACME-ASSESS's candidate list, once its text contains `text`. */
async function srOrder(page: Page, orderId: string, text?: string, options: FindOptions = {}): Promise<Scope> {
  const ada = await byRole(page, 'group', `${ADA.firstName} ${ADA.lastName}`, { within: await byRole(page, 'region', COMPANY) });
  const entry = await byRole(page, 'listitem', undefined, { within: ada, text: orderId });
  if (text) await byRole(page, 'listitem', undefined, { ...options, within: ada, text: new RegExp(`${orderId}[^]*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  return entry;
}

/**
 * Content-Security-Policy violations the page reports (the page runs under `script-src 'self'`): its
 * events, and Chromium's console. Firefox also reports the browser's own implicit `/favicon.ico`
 * request against the page's `default-src 'none'` (Chromium does not apply the page's CSP to it):
 * not the page's doing, so left out.
 */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.evaluateOnNewDocument(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`), true);
  });
  return async () =>
    [...console, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))].filter((violation) => !/^img-src \S+\/favicon\.ico$/.test(violation));
}

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  /** The partner's orders page, signed in through `<ats-consent mode="connections">` of the assessment kit. */
  async function openOrdersPage(page: Page, user = 'admin@acme.test'): Promise<void> {
    await page.goto(`${suite.demo.kitUrl}/assessment`);
    await byRole(page, 'heading', 'Orders from SmartRecruiters');
    await fillByLabel(page, 'Email', user);
    await fillByLabel(page, 'Password', DEMO_PASSWORDS[user]!);
    await clickByRole(page, 'button', 'Sign in');
    await byRole(page, 'heading', 'Connected systems');
    await byRole(page, 'status', undefined, { text: /^\d+ orders? for tenant-/ });
  }

  async function openQaPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${suite.demo.srUrl}/assessment`);
    await byRole(page, 'status', undefined, { within: await byRole(page, 'region', COMPANY), text: 'Integrated: yes' });
    return page;
  }

  async function orderPackage(packageId: string): Promise<string> {
    const outcome = await suite.demo.fakeSr.assessment!.orderAssessment(COMPANY, ADA.id, packageId);
    expect(outcome.ok, JSON.stringify(outcome.problems)).toBe(true);
    return outcome.orderId!;
  }

  describe.sequential("Assessment results from the partner's pages to the fake SmartRecruiters", () => {
    let orderId = '';

    beforeAll(async () => {
      const { approved } = await enableAssessment(suite.demo, COMPANY);
      expect(approved.status).toBe(200);
      orderId = await orderPackage('work-style');
    });

    it("Send status, then a COMPLETED result with score, label, summary, link and one assessment's result: delivered, and the QA page shows what SR received", async () => {
      const { page, context, demo } = suite;
      const csp = await recordCspViolations(page);
      await openOrdersPage(page);
      const order = await region(page, orderId);
      await delivery(page, order, 'Delivery: nothing sent yet.');
      await byText(page, containing('SmartRecruiters holds no result for this order yet.'), { within: order });

      await choose(page, order, 'Status', 'IN_PROGRESS');
      await clickByRole(page, 'button', 'Send status', { within: order });
      await lastSend(page, order, 'Status IN_PROGRESS accepted (HTTP 202)');
      await byText(page, containing('Result for SmartRecruiters: status IN_PROGRESS.'), { within: order });
      await delivery(page, order, /^Delivery: delivered to SmartRecruiters at \d{4}-\d\d-\d\dT[\d:.]+Z \(HTTP 200\)\.$/);
      expect(demo.fakeSr.assessment!.orders.get(orderId)?.result).toEqual({ status: 'IN_PROGRESS' });

      const qa = await openQaPage(context);
      await srOrder(qa, orderId, 'result: IN_PROGRESS');

      await page.bringToFront(); // back to the partner's tab (the QA page opened in front of it)
      await fill(page, order, 'Raw score', '82');
      await fill(page, order, 'Minimum score', '0');
      await fill(page, order, 'Maximum score', '100');
      await fill(page, order, 'Score label', 'Strong match');
      await fill(page, order, 'Summary', 'Prefers structured, collaborative work.');
      await choose(page, order, 'Link type', 'VIDEO_URL');
      await fill(page, order, 'Link URL (https)', VIDEO_URL);
      await fill(page, order, 'Assessment id', 'work-style-core');
      await choose(page, order, 'Assessment status', 'COMPLETED');
      await fill(page, order, 'Assessment raw score', '80');
      await clickByRole(page, 'button', 'Send result', { within: order });
      await lastSend(page, order, 'Result accepted (HTTP 202)');
      await byText(
        page,
        containing('Result for SmartRecruiters: status COMPLETED · score 82 (0 to 100) · label "Strong match" · summary "Prefers structured, collaborative work." · 1 link · 1 assessment result.'),
        { within: order },
      );
      await delivery(page, order, 'Delivery: delivered');
      await screenshot(page, engine, 'assessment-results-1-partner-delivered');
      expect(demo.fakeSr.assessment!.orders.get(orderId)?.result).toEqual({
        status: 'COMPLETED',
        score: { raw: 82, min: 0, max: 100 },
        scoreLabel: 'Strong match',
        summary: 'Prefers structured, collaborative work.',
        attachments: [{ type: 'VIDEO_URL', url: VIDEO_URL }],
        assessmentResults: [{ assessmentId: 'work-style-core', status: 'COMPLETED', score: { raw: 80, min: 0, max: 100 } }],
      });

      // The QA page's candidate/order view: status, score, summary, the link; the label is in the latest patch.
      await srOrder(qa, orderId, 'result: COMPLETED · score 82/100 · Prefers structured, collaborative work.');
      const entry = await srOrder(qa, orderId);
      const link = await byRole(qa, 'link', /VIDEO_URL/, { within: entry });
      expect(await link.evaluate((element) => element.getAttribute('href'))).toBe(VIDEO_URL);
      await qa.bringToFront(); // the tabs take turns in front, as a person's would
      await (await byText(qa, /^Latest result patch \(2 so far\)$/, { within: entry })).click();
      const pre = await byCss(qa, 'pre', { within: entry });
      expect(JSON.parse((await pre.evaluate((element) => element.textContent))!)).toMatchObject({
        patch: { status: 'COMPLETED', scoreLabel: 'Strong match' },
        result: { scoreLabel: 'Strong match' },
      });
      await screenshot(qa, engine, 'assessment-results-2-sr-qa-order');

      // A bad patch comes back with the kit's 400 and its message naming the field; SR's copy is unchanged.
      await page.bringToFront();
      await fill(page, order, 'Link URL (https)', 'http://videos.acme-assessments.example/replay/ada-1');
      await clickByRole(page, 'button', 'Send result', { within: order });
      await lastSend(page, order, /^Not sent \(HTTP 400\): The result is not valid: attachments\.0\.url: must be an https URL\.$/);
      expect(demo.fakeSr.assessment!.orders.get(orderId)?.patches).toHaveLength(2);
      expect(await csp()).toEqual([]);
    });

    it('Send attachment (standard order): the file reaches SR, which lists it as an upload', async () => {
      const { page, context, demo } = suite;
      await openOrdersPage(page);
      const order = await region(page, orderId);
      const pdf = Buffer.from('%PDF-1.4\n% demo report\n');
      // The file the admin picks (the browser reads it when the page sends it, so it stays until then).
      const dir = mkdtempSync(join(tmpdir(), 'ats-upload-'));
      try {
        const path = join(dir, 'work-style-report.pdf');
        writeFileSync(path, pdf);
        const input = (await byLabel(page, 'Attachment file', { within: order })) as ElementHandle<HTMLInputElement>;
        expect(await input.evaluate((element) => element.type)).toBe('file');
        await input.uploadFile(path);
        await clickByRole(page, 'button', 'Send attachment', { within: order });
        await lastSend(page, order, 'File work-style-report.pdf accepted (HTTP 202)');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const files = await byRole(page, 'list', 'Attachment files', { within: order });
      const file = await byRole(page, 'listitem', undefined, { within: files, text: 'work-style-report.pdf: delivered' });
      const srUrl = await (await byRole(page, 'link', 'work-style-report.pdf at SmartRecruiters', { within: file })).evaluate((element) => element.getAttribute('href'));
      expect(demo.fakeSr.assessment!.orders.get(orderId)?.attachments).toEqual([
        expect.objectContaining({ url: srUrl, filename: 'work-style-report.pdf', contentType: 'application/pdf', size: pdf.length }),
      ]);
      const qa = await openQaPage(context);
      const upload = await byRole(qa, 'link', /upload/i, { within: await srOrder(qa, orderId) });
      expect(await upload.evaluate((element) => element.getAttribute('href'))).toBe(srUrl);
    });

    it('A fault on the fake SR (503 for the next results calls): the order shows pending with the next attempt, then delivered', async () => {
      const { page, context, demo } = suite;
      const faultedOrder = await orderPackage('skills-js');
      const patchesBefore = demo.fakeSr.assessment!.counts.resultPatches;
      const qa = await openQaPage(context);
      const faults = await byRole(qa, 'group', /^Next result update/);
      // The fake's labels wrap their controls, so their names include the control's value ("Fault none (clear)", "Times 1").
      await selectIn(await byRole(qa, 'combobox', /^Fault/, { within: faults }), 'status-503');
      await fillByLabel(qa, /^Times/, '4', { within: faults });
      expect(await countByRole(qa, 'spinbutton', /^Times/, { within: faults })).toBe(1);
      await clickByRole(qa, 'button', 'Apply result fault', { within: faults });
      await byRole(qa, 'status', undefined, { text: 'Applied results fault' });

      await page.bringToFront();
      await openOrdersPage(page);
      const order = await region(page, faultedOrder);
      await choose(page, order, 'Status', 'PENDING');
      await clickByRole(page, 'button', 'Send status', { within: order });
      await lastSend(page, order, 'Status PENDING accepted (HTTP 202)');
      await delivery(page, order, /^Delivery: pending · \d+ attempts? so far · last attempt: HTTP 503 SERVICE_UNAVAILABLE · next attempt at \d{4}-\d\d-\d\dT[\d:.]+Z\.$/, 15_000);
      await screenshot(page, engine, 'assessment-results-3-partner-pending');
      await delivery(page, order, 'Delivery: delivered', 30_000);
      expect(demo.fakeSr.assessment!.orders.get(faultedOrder)?.result).toEqual({ status: 'PENDING' });
      expect(demo.fakeSr.assessment!.counts.resultPatches - patchesBefore).toBe(5); // four 503s, then the one SR took
      await srOrder(qa, faultedOrder, 'result: PENDING');
    });

    it("Inline round trip: Apply as candidate → the partner's take page → Finish assessment → SR's candidate-done page shows the COMPLETED result", async () => {
      const { page, demo } = suite;
      await page.goto(`${demo.srUrl}/assessment`);
      const company = await byRole(page, 'region', COMPANY);
      await byRole(page, 'status', undefined, { within: company, text: 'Integrated: yes' });
      const ada = await byRole(page, 'group', `${ADA.firstName} ${ADA.lastName}`, { within: company });
      await clickByRole(page, 'button', 'Apply as candidate', { within: ada });
      const takeUrl = await waitForUrl(page, (url) => url.origin === demo.kitUrl && url.pathname.startsWith('/assessment/take/'));
      const inlineOrderId = takeUrl.pathname.split('/')[3]!; // /assessment/take/<orderId>/<key>
      await byRole(page, 'heading', 'Hello Ada: your assessment');
      await clickByRole(page, 'button', 'Finish assessment');
      const doneUrl = await waitForUrl(page, (url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
      expect(doneUrl.searchParams.get('order')).toBe(inlineOrderId);
      await byRole(page, 'heading', 'Application complete');
      await byText(page, 'Result status: COMPLETED');
      await screenshot(page, engine, 'assessment-results-4-candidate-done');
      await expectInlineRoundTripSettled({ page, context: suite.context, demo, inlineOrderId, openOrdersPage });
    });

    it("The send endpoints: same Origin, signed in, the user's tenant only, JSON within limits; the kit's errors keep their status", async () => {
      const { page, demo, browser } = suite;
      await openOrdersPage(page);
      await region(page, orderId);
      const cookie = (await page.cookies(demo.kitUrl)).map(({ name, value }) => `${name}=${value}`).join('; ');
      expect(cookie).toMatch(/ats-assessment-session=/);
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

      // Globex, signed in in its own browser context, cannot send for Acme's order: 404, as for an unknown one (from the page, so the browser sets Origin).
      const other = await browser.createBrowserContext();
      try {
        const globex = await other.newPage();
        await openOrdersPage(globex, 'admin@globex.test');
        await byRole(globex, 'status', undefined, { text: '0 orders for tenant-globex.' });
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
      const { page } = suite;
      await openOrdersPage(page);
      const order = await region(page, orderId);
      await byRole(page, 'button', 'Send result', { within: order });
      await delivery(page, order, 'Delivery:');
      expect(await axeViolationsIn(page)).toEqual([]);
      await screenshot(page, engine, 'assessment-results-5-partner-orders');
    });
  });
});
