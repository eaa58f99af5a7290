/**
 * Seed 001 §3–4 in Chromium, what is not yet engine-parametrized: concurrent Approve requests and
 * SR's "Disable integration". The POPUP and REDIRECT approve/deny flows run in every engine in
 * engines-consent.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { screenshot, waitForText } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();

describe('idempotent Approve from the browser (T3 e)', () => {
  it('20 concurrent Approve requests for one company from the consent page give one integration', async () => {
    const { page, demo } = suite;
    await page.goto(`${demo.consentUrl}?companyId=BROWSER-20`);
    await signIn(page);
    const statuses = await page.evaluate(async () => {
      // The page's own session (cookie), re-read from the bootstrap with a fresh CSRF token.
      const boot = (await (await fetch('/ats/consent/bootstrap?companyId=BROWSER-20')).json()) as { csrfToken: string; session: string };
      const approveOnce = () =>
        fetch('/ats/consent/approve', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ats-csrf': boot.csrfToken, 'x-ats-session': boot.session },
          body: '{}',
        }).then((response) => response.status);
      return Promise.all(Array.from({ length: 20 }, approveOnce));
    });
    expect(statuses).toEqual(Array(20).fill(200));
    expect(demo.fakeSr.counts.integrationRequests).toBeGreaterThan(0);
    expect([...demo.fakeSr.integrations.values()].filter((integration) => integration.companyId === 'BROWSER-20')).toHaveLength(1);
    expect((await demo.kit.integrations.list()).filter((row) => row.companyId === 'BROWSER-20')).toHaveLength(1);
  });
});

describe('"Disable integration" on the SmartRecruiters page (seed 001 §1 callbackUrl)', () => {
  it('SR gets a token from our endpoint, calls the callback, and the integration is disabled on both sides', async () => {
    const { page, demo } = suite;
    await page.goto(demo.srUrl + '/');
    await page.locator('#company-id').fill('QA-DISABLE');
    await page.locator('#enable-popup').click();
    await page.frameLocator('#consent-frame').getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = page.frame({ url: /\/ats\/consent/ })!;
    await signIn(frame);
    await approve(frame);
    await page.locator('#popup').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Disable integration for QA-DISABLE' }).click();
    await waitForText(page, '#disable-result', 'partner notified');
    expect(await page.locator('#disable-result').textContent()).toContain('token 200, callback 204');
    await screenshot(page, 'sr-disable-done');
    expect((await demo.kit.integrations.get('QA-DISABLE'))?.state).toBe('disabled');
    expect(await page.locator('#integrations', { hasText: 'QA-DISABLE' }).count()).toBe(0);
  });
});
