/**
 * SmartRecruiters Assessment (seed 003) end to end in Chromium, through the UI only, on the real
 * cross-site demo (fake SR on 127.0.0.1, the kit on localhost): the admin enables the assessment
 * app from the fake SR's QA page (POPUP), SR orders an assessment the partner's orders page then
 * lists for the right tenant only, a candidate takes an inline assessment and is sent back to SR,
 * and Disable on the QA page disables the kit's integration.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { approve, signIn } from '../helpers/consent-page.js';

const suite = useBrowserSuite();
const COMPANY = 'ACME-ASSESS';
const CANDIDATE = 'Ada Lovelace';

const company = (page: Page): Locator => page.getByRole('region', { name: COMPANY, exact: true });
const candidate = (page: Page): Locator => company(page).getByRole('group', { name: CANDIDATE });

/** The partner's orders page: sign in through `<ats-consent mode="connections">` of the assessment kit. */
async function openOrdersPage(page: Page, user: string, beforeSignIn?: () => Promise<void>): Promise<Locator> {
  await page.goto(`${suite.demo.kitUrl}/assessment`);
  await page.getByRole('heading', { name: 'Orders from SmartRecruiters' }).waitFor();
  await page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Not signed in.' }).waitFor();
  await beforeSignIn?.();
  await page.getByLabel('Email').fill(user);
  await page.getByLabel('Password').fill(DEMO_PASSWORDS[user]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Connected systems' }).waitFor();
  return page.getByRole('table', { name: 'Assessment orders' });
}

// The steps build on each other (one company's lifecycle); vitest runs them in order.
describe.sequential('Assessment app from the fake SmartRecruiters QA page (seed 003)', () => {
  let orderId = '';

  it('Enable (POPUP): the admin signs in and approves in the iframe; SR shows the company integrated and the kit holds an active integration', async () => {
    const { page, demo } = suite;
    await page.goto(`${demo.srUrl}/assessment`);
    await expect.poll(() => page.getByText("The partner's configured consentDisplayMode is POPUP").count()).toBe(1);
    await expect(company(page).getByRole('status').first().textContent()).resolves.toContain('Integrated: no');
    await company(page).getByRole('button', { name: 'Enable (POPUP)' }).click();

    const dialog = page.getByRole('dialog', { name: 'Connect the assessment partner' });
    await dialog.waitFor();
    const frameLocator = page.frameLocator('iframe[title="Partner consent"]');
    await frameLocator.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = page.frame({ url: /\/ats-assessment\/consent/ })!;
    expect(new URL(frame.url()).origin).toBe(demo.kitUrl);
    expect(new URL(frame.url()).searchParams.get('companyId')).toBe(COMPANY);
    await screenshot(page, 'assessment-1-popup-sign-in');
    await signIn(frame, 'admin@acme.test');
    await expect(frame.getByText(COMPANY).first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'assessment-2-popup-review');
    await approve(frame);

    await dialog.waitFor({ state: 'hidden' });
    await company(page).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
    await screenshot(page, 'assessment-3-enabled-on-sr');
    const integration = await demo.assessmentKit.integrations.get(COMPANY);
    expect(integration?.state).toBe('active');
    expect(integration?.tenantId).toBe('tenant-acme');
    expect(demo.fakeSr.assessment!.integrations.get(COMPANY)?.partnerClientId).toBeTruthy();
    // The general kit knows nothing of it: the two apps are separate.
    expect(await demo.kit.integrations.get(COMPANY)).toBeUndefined();
  });

  it('Order assessment: SR lists the kit\'s packages and orders one; the partner\'s orders page shows it to tenant-acme only', async () => {
    const { page, demo, browser } = suite;
    await page.goto(`${demo.srUrl}/assessment`);
    await company(page).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
    await candidate(page).getByRole('button', { name: 'Order assessment' }).click();
    const packages = candidate(page).getByRole('list', { name: 'Packages offered by the partner' });
    await packages.getByRole('button', { name: 'Order package JavaScript skills', exact: true }).waitFor();
    // From the demo catalogue (the kit's packages hook): an on-site US job, department Engineering; no inline package to order.
    const offered = await packages.getByRole('button').allTextContents();
    expect(offered).toEqual(['Order package JavaScript skills', 'Order package One-way video interview', 'Order package Work style profile', 'Order package On-site lab exercise']);
    await packages.getByRole('button', { name: 'Order package Work style profile' }).click();
    const result = candidate(page).getByRole('status').filter({ hasText: /^Ordered \(order / });
    await result.waitFor();
    orderId = /order ([0-9a-f-]{36})/.exec((await result.textContent())!)![1]!;
    await candidate(page).getByText(`standard order ${orderId} · package work-style · partner answered 202`).waitFor();
    await screenshot(page, 'assessment-4-ordered-on-sr');

    const stored = await demo.assessmentKit.assessment.orders.get(orderId);
    expect(stored).toMatchObject({ orderId, companyId: COMPANY, kind: 'standard', packageId: 'work-style' });

    // The partner's own page, as tenant-acme: the order is listed (the page polls, so no reload).
    const partner = await browser.newContext({ bypassCSP: true }); // axe is injected as a script
    try {
      const acmePage = await partner.newPage();
      const table = await openOrdersPage(acmePage, 'admin@acme.test', async () => expect(await axeViolations(acmePage)).toEqual([]));
      await acmePage.getByRole('status').filter({ hasText: '1 order for tenant-acme.' }).waitFor();
      const row = table.getByRole('row').filter({ hasText: orderId });
      await row.waitFor();
      await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
        orderId,
        COMPANY,
        'standard',
        'work-style',
        CANDIDATE,
        expect.stringMatching(/^[0-9a-f-]{36}$/),
        expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ]);
      await screenshot(acmePage, 'assessment-5-partner-orders-acme');
      expect(await axeViolations(acmePage)).toEqual([]);
    } finally {
      await partner.close();
    }

    // Globex signs in on the same page and sees none of Acme's orders.
    const other = await browser.newContext();
    try {
      const globexPage = await other.newPage();
      const table = await openOrdersPage(globexPage, 'admin@globex.test');
      await globexPage.getByRole('status').filter({ hasText: '0 orders for tenant-globex.' }).waitFor();
      expect(await table.getByRole('row').filter({ hasText: orderId }).count()).toBe(0);
      expect(await table.getByRole('row').count()).toBe(1); // the header row only
    } finally {
      await other.close();
    }
  });

  it('Apply as candidate: the browser goes to the partner\'s take page, and Finish assessment sends it back to SR\'s candidate-done page', async () => {
    const { page, demo } = suite;
    await page.goto(`${demo.srUrl}/assessment`);
    await company(page).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
    await candidate(page).getByRole('button', { name: 'Apply as candidate' }).click();
    await page.waitForURL((url) => url.origin === demo.kitUrl && url.pathname.startsWith('/assessment/take/'));
    const inlineOrderId = new URL(page.url()).pathname.split('/')[3]!; // /assessment/take/<orderId>/<key>
    expect(inlineOrderId).toMatch(/^[0-9a-f-]{36}$/);
    const srOrder = demo.fakeSr.assessment!.orders.get(inlineOrderId);
    expect(srOrder).toMatchObject({ kind: 'inline', companyId: COMPANY, packageId: 'apply-quiz', partnerStatus: 200 });
    expect(srOrder?.candidateUrl).toMatch(new RegExp(`^${demo.kitUrl}/assessment/take/${inlineOrderId}/[\\w-]{43}$`));
    // Without its key (or with another order's) the take page is not there: the order id alone opens nothing.
    expect((await fetch(`${demo.kitUrl}/assessment/take/${inlineOrderId}`)).status).toBe(404);
    expect((await fetch(`${demo.kitUrl}/assessment/take/${inlineOrderId}/${'A'.repeat(43)}`)).status).toBe(404);

    await page.getByRole('heading', { name: 'Hello Ada: your assessment' }).waitFor();
    await screenshot(page, 'assessment-6-candidate-take');
    await page.getByRole('button', { name: 'Finish assessment' }).click();
    await page.waitForURL((url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
    expect(new URL(page.url()).searchParams.get('order')).toBe(inlineOrderId);
    await page.getByRole('heading', { name: 'Application complete' }).waitFor();
    await page.getByText(`SmartRecruiters recorded your assessment for order ${inlineOrderId}`).waitFor();
    await screenshot(page, 'assessment-7-candidate-done');
    expect(await demo.assessmentKit.assessment.orders.get(inlineOrderId)).toMatchObject({ kind: 'inline', companyId: COMPANY, packageId: 'apply-quiz' });
  });

  it('Disable on the QA page: SR notifies the partner, drops the company, and the kit\'s integration is disabled', async () => {
    const { page, demo } = suite;
    await page.goto(`${demo.srUrl}/assessment`);
    await company(page).getByRole('status').filter({ hasText: 'Integrated: yes' }).waitFor();
    await company(page).getByRole('button', { name: 'Disable' }).click();
    const result = company(page).getByRole('status').filter({ hasText: /^Disable: / });
    await result.filter({ hasText: 'OK' }).waitFor();
    expect(await result.textContent()).toMatch(/DELETE \S+\/ats-assessment\/\S+ → 204/);
    await company(page).getByRole('status').filter({ hasText: 'Consent: no · Integrated: no' }).waitFor();
    await screenshot(page, 'assessment-8-disabled-on-sr');
    expect((await demo.assessmentKit.integrations.get(COMPANY))?.state).toBe('disabled');
    expect(demo.fakeSr.assessment!.integrations.has(COMPANY)).toBe(false);
  });
});
