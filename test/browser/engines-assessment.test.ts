/**
 * SmartRecruiters Assessment (seed 003) end to end in every engine (test/helpers/engine.ts:
 * Chromium and Firefox through puppeteer-core), through the UI only, on the real cross-site demo
 * (fake SR on 127.0.0.1, the kit on localhost): the admin enables the assessment app from the fake
 * SR's QA page (POPUP, the kit's consent page in a cross-site frame), SR orders an assessment the
 * partner's orders page then lists for the right tenant only, a candidate takes an inline
 * assessment and is sent back to SR, and Disable on the QA page disables the kit's integration.
 * One body per step, the engine as a parameter; each engine gets its own demo.
 */
import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolationsIn } from '../helpers/axe.js';
import {
  ENGINES,
  byRole,
  byText,
  clickByRole,
  containing,
  countByRole,
  countByText,
  fillByLabel,
  screenshot,
  textsByRole,
  waitForFrame,
  waitForNoRole,
  waitForUrl,
} from '../helpers/engine.js';
import { approve, signIn, useEngineSuite } from '../helpers/engine-suite.js';
import { expectInlineRoundTripSettled } from '../helpers/inline-round-trip.js';

const COMPANY = 'ACME-ASSESS';
const CANDIDATE = 'Ada Lovelace';

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  const company = (page: Page) => byRole(page, 'region', COMPANY);
  const candidate = async (page: Page) => byRole(page, 'group', CANDIDATE, { within: await company(page) });
  /** Waits until the company's region has a status containing `text`. */
  const companyStatus = async (page: Page, text: string | RegExp) => byRole(page, 'status', undefined, { within: await company(page), text });

  /** The partner's orders page: sign in through `<ats-consent mode="connections">` of the assessment kit. */
  async function openOrdersPage(page: Page, user: string, beforeSignIn?: () => Promise<void>): Promise<ElementHandle<Element>> {
    await page.goto(`${suite.demo.kitUrl}/assessment`);
    await byRole(page, 'heading', 'Orders from SmartRecruiters');
    await byRole(page, 'heading', 'Sign in to continue');
    await byRole(page, 'status', undefined, { text: 'Not signed in.' });
    await beforeSignIn?.();
    await fillByLabel(page, 'Email', user);
    await fillByLabel(page, 'Password', DEMO_PASSWORDS[user]!);
    await clickByRole(page, 'button', 'Sign in');
    await byRole(page, 'heading', 'Connected systems');
    return byRole(page, 'table', 'Assessment orders');
  }

  // The steps build on each other (one company's lifecycle); vitest runs them in order.
  describe.sequential('Assessment app from the fake SmartRecruiters QA page (seed 003)', () => {
    let orderId = '';

    it('Enable (POPUP): the admin signs in and approves in the iframe; SR shows the company integrated and the kit holds an active integration', async () => {
      const { page, demo } = suite;
      await page.goto(`${demo.srUrl}/assessment`);
      const configured = containing("The partner's configured consentDisplayMode is POPUP");
      await byText(page, configured);
      expect(await countByText(page, configured)).toBe(1);
      expect((await textsByRole(page, 'status', undefined, { within: await company(page) }))[0]).toContain('Integrated: no');
      await clickByRole(page, 'button', 'Enable (POPUP)', { within: await company(page) });

      await byRole(page, 'dialog', 'Connect the assessment partner');
      const frame = await waitForFrame(page, /\/ats-assessment\/consent/);
      expect((await (await frame.frameElement())!.evaluate((element) => element.getAttribute('title')))).toBe('Partner consent');
      await byRole(frame, 'heading', 'Sign in to continue');
      expect(new URL(frame.url()).origin).toBe(demo.kitUrl);
      expect(new URL(frame.url()).searchParams.get('companyId')).toBe(COMPANY);
      await screenshot(page, engine, 'assessment-1-popup-sign-in');
      await signIn(frame, 'admin@acme.test');
      await byText(frame, containing(COMPANY));
      await screenshot(page, engine, 'assessment-2-popup-review');
      await approve(frame);

      await waitForNoRole(page, 'dialog', 'Connect the assessment partner');
      await companyStatus(page, 'Integrated: yes');
      await screenshot(page, engine, 'assessment-3-enabled-on-sr');
      const integration = await demo.assessmentKit.integrations.get(COMPANY);
      expect(integration?.state).toBe('active');
      expect(integration?.tenantId).toBe('tenant-acme');
      expect(demo.fakeSr.assessment!.integrations.get(COMPANY)?.partnerClientId).toBeTruthy();
      // The general kit knows nothing of it: the two apps are separate.
      expect(await demo.kit.integrations.get(COMPANY)).toBeUndefined();
    });

    it("Order assessment: SR lists the kit's packages and orders one; the partner's orders page shows it to tenant-acme only", async () => {
      const { page, demo, browser } = suite;
      await page.goto(`${demo.srUrl}/assessment`);
      await companyStatus(page, 'Integrated: yes');
      await clickByRole(page, 'button', 'Order assessment', { within: await candidate(page) });
      const packages = await byRole(page, 'list', 'Packages offered by the partner', { within: await candidate(page) });
      await byRole(page, 'button', 'Order package JavaScript skills', { within: packages });
      // From the demo catalogue (the kit's packages hook): an on-site US job, department Engineering; no inline package to order.
      const offered = await textsByRole(page, 'button', undefined, { within: packages });
      expect(offered).toEqual(['Order package JavaScript skills', 'Order package One-way video interview', 'Order package Work style profile', 'Order package On-site lab exercise']);
      await clickByRole(page, 'button', 'Order package Work style profile', { within: packages });
      const result = await byRole(page, 'status', undefined, { within: await candidate(page), text: /^Ordered \(order / });
      orderId = /order ([0-9a-f-]{36})/.exec((await result.evaluate((element) => element.textContent))!)![1]!;
      await byText(page, containing(`standard order ${orderId} · package work-style · partner answered 202`), { within: await candidate(page) });
      await screenshot(page, engine, 'assessment-4-ordered-on-sr');

      const stored = await demo.assessmentKit.assessment.orders.get(orderId);
      expect(stored).toMatchObject({ orderId, companyId: COMPANY, kind: 'standard', packageId: 'work-style' });

      // The partner's own page, as tenant-acme: the order is listed (the page polls, so no reload).
      // axe is injected by the driver's evaluate, which the page's CSP does not govern.
      const partner = await browser.createBrowserContext();
      try {
        const acmePage = await partner.newPage();
        const table = await openOrdersPage(acmePage, 'admin@acme.test', async () => expect(await axeViolationsIn(acmePage)).toEqual([]));
        await byRole(acmePage, 'status', undefined, { text: '1 order for tenant-acme.' });
        const row = await byRole(acmePage, 'row', undefined, { within: table, text: orderId });
        expect(await textsByRole(acmePage, 'cell', undefined, { within: row })).toEqual([
          orderId,
          COMPANY,
          'standard',
          'work-style',
          CANDIDATE,
          expect.stringMatching(/^[0-9a-f-]{36}$/),
          expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        ]);
        await screenshot(acmePage, engine, 'assessment-5-partner-orders-acme');
        expect(await axeViolationsIn(acmePage)).toEqual([]);
      } finally {
        await partner.close();
      }

      // Globex signs in on the same page and sees none of Acme's orders.
      const other = await browser.createBrowserContext();
      try {
        const globexPage = await other.newPage();
        const table = await openOrdersPage(globexPage, 'admin@globex.test');
        await byRole(globexPage, 'status', undefined, { text: '0 orders for tenant-globex.' });
        expect(await countByRole(globexPage, 'row', undefined, { within: table, text: orderId })).toBe(0);
        expect(await countByRole(globexPage, 'row', undefined, { within: table })).toBe(1); // the header row only
      } finally {
        await other.close();
      }
    });

    it("Apply as candidate: the browser goes to the partner's take page, and Finish assessment sends it back to SR's candidate-done page, which shows the COMPLETED result", async () => {
      const { page, demo } = suite;
      await page.goto(`${demo.srUrl}/assessment`);
      await companyStatus(page, 'Integrated: yes');
      await clickByRole(page, 'button', 'Apply as candidate', { within: await candidate(page) });
      const takeUrl = await waitForUrl(page, (url) => url.origin === demo.kitUrl && url.pathname.startsWith('/assessment/take/'));
      const inlineOrderId = takeUrl.pathname.split('/')[3]!; // /assessment/take/<orderId>/<key>
      expect(inlineOrderId).toMatch(/^[0-9a-f-]{36}$/);
      const srOrder = demo.fakeSr.assessment!.orders.get(inlineOrderId);
      expect(srOrder).toMatchObject({ kind: 'inline', companyId: COMPANY, packageId: 'apply-quiz', partnerStatus: 200 });
      expect(srOrder?.candidateUrl).toMatch(new RegExp(`^${demo.kitUrl}/assessment/take/${inlineOrderId}/[\\w-]{43}$`));
      // Without its key (or with another order's) the take page is not there: the order id alone opens nothing.
      expect((await fetch(`${demo.kitUrl}/assessment/take/${inlineOrderId}`)).status).toBe(404);
      expect((await fetch(`${demo.kitUrl}/assessment/take/${inlineOrderId}/${'A'.repeat(43)}`)).status).toBe(404);

      await byRole(page, 'heading', 'Hello Ada: your assessment');
      await screenshot(page, engine, 'assessment-6-candidate-take');
      await clickByRole(page, 'button', 'Finish assessment');
      const doneUrl = await waitForUrl(page, (url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
      expect(doneUrl.searchParams.get('order')).toBe(inlineOrderId);
      await byRole(page, 'heading', 'Application complete');
      await byText(page, containing(`SmartRecruiters recorded your assessment for order ${inlineOrderId}`));
      await screenshot(page, engine, 'assessment-7-candidate-done');
      expect(await demo.assessmentKit.assessment.orders.get(inlineOrderId)).toMatchObject({ kind: 'inline', companyId: COMPANY, packageId: 'apply-quiz' });
      // SR holds the COMPLETED result Finish recorded, and its candidate-done page shows it.
      await byText(page, 'Result status: COMPLETED');
      await expectInlineRoundTripSettled({ page, context: suite.context, demo, inlineOrderId, openOrdersPage: (partner) => openOrdersPage(partner, 'admin@acme.test') });
    });

    it("Disable on the QA page: SR notifies the partner, drops the company, and the kit's integration is disabled", async () => {
      const { page, demo } = suite;
      await page.goto(`${demo.srUrl}/assessment`);
      await companyStatus(page, 'Integrated: yes');
      await clickByRole(page, 'button', 'Disable', { within: await company(page) });
      const result = await companyStatus(page, /^Disable: .*OK/);
      expect(await result.evaluate((element) => element.textContent)).toMatch(/DELETE \S+\/ats-assessment\/\S+ → 204/);
      await companyStatus(page, 'Consent: no · Integrated: no');
      await screenshot(page, engine, 'assessment-8-disabled-on-sr');
      expect((await demo.assessmentKit.integrations.get(COMPANY))?.state).toBe('disabled');
      expect(demo.fakeSr.assessment!.integrations.has(COMPANY)).toBe(false);
    });
  });
});
