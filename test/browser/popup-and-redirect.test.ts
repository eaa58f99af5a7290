/**
 * Seed 001 §3–4 end to end in Chromium: the fake SmartRecruiters page opens the consent page in a
 * POPUP iframe or by REDIRECT; the admin signs in, approves or denies; the kit performs the real
 * exchange with the fake SR over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { screenshot, waitForText } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();
async function openPopup(companyId: string) {
  await suite.page.goto(suite.demo.srUrl + '/');
  await suite.page.locator('#company-id').fill(companyId);
  await suite.page.locator('#enable-popup').click();
  const frame = suite.page.frameLocator('#consent-frame');
  return frame;
}

describe('POPUP mode (seed 001 §3, consentDisplayMode=POPUP)', () => {
  it('approve: signs in inside the iframe, exchanges credentials, and the SR page closes the iframe and lists the integration', async () => {
    const frameLocator = await openPopup('POPUP-OK');
    await frameLocator.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = suite.page.frame({ url: /\/ats\/consent/ })!;
    await screenshot(suite.page, 'popup-1-sign-in');
    await signIn(frame);
    await screenshot(suite.page, 'popup-2-review');
    await expect(frame.getByText('POPUP-OK').first().isVisible()).resolves.toBe(true);
    await approve(frame);
    await suite.page.locator('#popup').waitFor({ state: 'hidden' });
    await waitForText(suite.page, '#integrations', 'POPUP-OK');
    await screenshot(suite.page, 'popup-3-done-on-sr');

    const log = await suite.page.locator('#message-log li').allTextContents();
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(suite.demo.kitUrl);
    const message = JSON.parse(log[0]!.slice(log[0]!.indexOf(' ') + 1));
    expect(message).toMatchObject({ ns: 'ats', v: 1, type: 'ats:consent-result', payload: { status: 'approved', companyId: 'POPUP-OK' } });

    const integration = await suite.demo.kit.integrations.get('POPUP-OK');
    expect(integration?.state).toBe('active');
    expect(integration?.srIntegrationId).toBe(suite.demo.fakeSr.integrations.get('POPUP-OK')?.integrationId);
  });

  it('deny: posts access_denied to the SR page and creates nothing', async () => {
    const frameLocator = await openPopup('POPUP-DENY');
    await frameLocator.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = suite.page.frame({ url: /\/ats\/consent/ })!;
    await signIn(frame);
    await frame.getByRole('button', { name: 'Deny' }).click();
    await suite.page.locator('#popup').waitFor({ state: 'hidden' });
    const log = await suite.page.locator('#message-log li').allTextContents();
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('"status":"denied"');
    expect(log[0]).toContain('"error":"access_denied"');
    expect(suite.demo.fakeSr.integrations.has('POPUP-DENY')).toBe(false);
    expect(await suite.demo.kit.integrations.get('POPUP-DENY')).toBeUndefined();
  });
});

describe('REDIRECT mode (seed 001 §3, consentDisplayMode=REDIRECT)', () => {
  it('approve: the browser lands back on the SR suite.page, which lists the integration', async () => {
    await suite.page.goto(suite.demo.srUrl + '/');
    await suite.page.locator('#company-id').fill('REDIRECT-OK');
    await suite.page.locator('#enable-redirect').click();
    await suite.page.waitForURL(/\/ats\/consent\?/);
    await signIn(suite.page);
    await screenshot(suite.page, 'redirect-1-review');
    await approve(suite.page);
    await suite.page.waitForURL((url) => url.origin === suite.demo.srUrl && url.pathname === '/app/integrations');
    expect(new URL(suite.page.url()).searchParams.get('returned')).toBe('1');
    await waitForText(suite.page, '#integrations', 'REDIRECT-OK');
    await screenshot(suite.page, 'redirect-2-back-on-sr');
    expect((await suite.demo.kit.integrations.get('REDIRECT-OK'))?.state).toBe('active');
  });

  it('deny: the browser lands back on the SR page with error=access_denied', async () => {
    await suite.page.goto(suite.demo.srUrl + '/');
    await suite.page.locator('#company-id').fill('REDIRECT-DENY');
    await suite.page.locator('#enable-redirect').click();
    await suite.page.waitForURL(/\/ats\/consent\?/);
    await signIn(suite.page);
    await suite.page.getByRole('button', { name: 'Deny' }).click();
    await suite.page.waitForURL((url) => url.origin === suite.demo.srUrl);
    expect(new URL(suite.page.url()).searchParams.get('error')).toBe('access_denied');
    await waitForText(suite.page, '#return-banner', 'error=access_denied');
    expect(suite.demo.fakeSr.integrations.has('REDIRECT-DENY')).toBe(false);
  });
});

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
