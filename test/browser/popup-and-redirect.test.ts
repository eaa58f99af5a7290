/**
 * Seed 001 §3–4 end to end in Chromium: the fake SmartRecruiters page opens the consent page in a
 * POPUP iframe or by REDIRECT; the admin signs in, approves or denies; the kit performs the real
 * exchange with the fake SR over HTTP.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, waitForText } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let browser: Browser;
let demo: TestDemo;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startTestDemo();
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

async function openPopup(companyId: string) {
  await page.goto(demo.srUrl + '/');
  await page.locator('#company-id').fill(companyId);
  await page.locator('#enable-popup').click();
  const frame = page.frameLocator('#consent-frame');
  return frame;
}

describe('POPUP mode (seed 001 §3, consentDisplayMode=POPUP)', () => {
  it('approve: signs in inside the iframe, exchanges credentials, and the SR page closes the iframe and lists the integration', async () => {
    const frameLocator = await openPopup('POPUP-OK');
    await frameLocator.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = page.frame({ url: /\/ats\/consent/ })!;
    await screenshot(page, 'popup-1-sign-in');
    await signIn(frame);
    await screenshot(page, 'popup-2-review');
    await expect(frame.getByText('POPUP-OK').first().isVisible()).resolves.toBe(true);
    await approve(frame);
    await page.locator('#popup').waitFor({ state: 'hidden' });
    await waitForText(page, '#integrations', 'POPUP-OK');
    await screenshot(page, 'popup-3-done-on-sr');

    const log = await page.locator('#message-log li').allTextContents();
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(demo.kitUrl);
    const message = JSON.parse(log[0]!.slice(log[0]!.indexOf(' ') + 1));
    expect(message).toMatchObject({ ns: 'ats', v: 1, type: 'ats:consent-result', payload: { status: 'approved', companyId: 'POPUP-OK' } });

    const integration = await demo.kit.integrations.get('POPUP-OK');
    expect(integration?.state).toBe('active');
    expect(integration?.srIntegrationId).toBe(demo.fakeSr.integrations.get('POPUP-OK')?.integrationId);
  });

  it('deny: posts access_denied to the SR page and creates nothing', async () => {
    const frameLocator = await openPopup('POPUP-DENY');
    await frameLocator.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = page.frame({ url: /\/ats\/consent/ })!;
    await signIn(frame);
    await frame.getByRole('button', { name: 'Deny' }).click();
    await page.locator('#popup').waitFor({ state: 'hidden' });
    const log = await page.locator('#message-log li').allTextContents();
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('"status":"denied"');
    expect(log[0]).toContain('"error":"access_denied"');
    expect(demo.fakeSr.integrations.has('POPUP-DENY')).toBe(false);
    expect(await demo.kit.integrations.get('POPUP-DENY')).toBeUndefined();
  });
});

describe('REDIRECT mode (seed 001 §3, consentDisplayMode=REDIRECT)', () => {
  it('approve: the browser lands back on the SR page, which lists the integration', async () => {
    await page.goto(demo.srUrl + '/');
    await page.locator('#company-id').fill('REDIRECT-OK');
    await page.locator('#enable-redirect').click();
    await page.waitForURL(/\/ats\/consent\?/);
    await signIn(page);
    await screenshot(page, 'redirect-1-review');
    await approve(page);
    await page.waitForURL((url) => url.origin === demo.srUrl && url.pathname === '/app/integrations');
    expect(new URL(page.url()).searchParams.get('returned')).toBe('1');
    await waitForText(page, '#integrations', 'REDIRECT-OK');
    await screenshot(page, 'redirect-2-back-on-sr');
    expect((await demo.kit.integrations.get('REDIRECT-OK'))?.state).toBe('active');
  });

  it('deny: the browser lands back on the SR page with error=access_denied', async () => {
    await page.goto(demo.srUrl + '/');
    await page.locator('#company-id').fill('REDIRECT-DENY');
    await page.locator('#enable-redirect').click();
    await page.waitForURL(/\/ats\/consent\?/);
    await signIn(page);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.origin === demo.srUrl);
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await waitForText(page, '#return-banner', 'error=access_denied');
    expect(demo.fakeSr.integrations.has('REDIRECT-DENY')).toBe(false);
  });
});
