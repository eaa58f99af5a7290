/**
 * Seed 001 §3–4 in every engine (test/helpers/engine.ts: Chromium and Firefox through
 * puppeteer-core), each with its own default third-party cookie policy (Firefox: Total Cookie
 * Protection), and the consent flows once more in Firefox with every third-party cookie refused
 * (the header fallback must carry them). The fake SR page (127.0.0.1) frames the kit's consent page (localhost): a real
 * cross-site iframe. Also SR's "Disable integration", 20 concurrent Approves, a third site's frame
 * or window, a sandboxed frame, axe. One body per flow, the engine as a parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolationsIn } from '../helpers/axe.js';
import { hostilePages, startAttackerSite, type AttackerSite } from '../helpers/attacker-site.js';
import {
  ENGINE_RUNS,
  byRole,
  byText,
  clickByRole,
  countByCss,
  fillCss,
  screenshot,
  waitForFrame,
  waitForHidden,
  waitForText,
  waitForPopup,
  waitForUrl,
} from '../helpers/engine.js';
import { approve, signIn, useEngineSuite } from '../helpers/engine-suite.js';

describe.each(ENGINE_RUNS)('%s, third-party cookies: %s', (engine, setting) => {
  const suite = useEngineSuite(engine, { cookies: setting });

  async function openPopup(companyId: string) {
    await suite.page.goto(suite.demo.srUrl + '/');
    await fillCss(suite.page, '#company-id', companyId);
    await (await suite.page.$('#enable-popup'))!.click();
    const frame = await waitForFrame(suite.page, /\/ats\/consent\?/);
    await byRole(frame, 'heading', 'Sign in to continue');
    return frame;
  }

  const messageLog = () => suite.page.$$eval('#message-log li', (items) => items.map((item) => item.textContent ?? ''));

  describe('POPUP (framed cross-site)', () => {
    it('approve: the SR page receives ats:consent-result from the kit origin and lists the integration', async () => {
      const frame = await openPopup('POPUP-OK');
      await screenshot(suite.page, engine, `${setting}-popup-1-sign-in`);
      await signIn(frame);
      await byText(frame, 'POPUP-OK');
      await screenshot(suite.page, engine, `${setting}-popup-2-review`);
      await approve(frame);
      await waitForHidden(suite.page, '#popup');
      await waitForText(suite.page, '#integrations', 'POPUP-OK');
      await screenshot(suite.page, engine, `${setting}-popup-3-done-on-sr`);

      const log = await messageLog();
      expect(log).toHaveLength(1);
      expect(log[0]!.startsWith(suite.demo.kitUrl + ' ')).toBe(true);
      const message = JSON.parse(log[0]!.slice(log[0]!.indexOf(' ') + 1));
      expect(message).toMatchObject({ ns: 'ats', v: 1, type: 'ats:consent-result', payload: { status: 'approved', companyId: 'POPUP-OK' } });
      const integration = await suite.demo.kit.integrations.get('POPUP-OK');
      expect(integration?.state).toBe('active');
      expect(integration?.srIntegrationId).toBe(suite.demo.fakeSr.integrations.get('POPUP-OK')?.integrationId);
    });

    it('deny: posts access_denied and creates nothing', async () => {
      const frame = await openPopup('POPUP-DENY');
      await signIn(frame);
      await clickByRole(frame, 'button', 'Deny');
      await waitForHidden(suite.page, '#popup');
      const log = await messageLog();
      expect(log).toHaveLength(1);
      expect(log[0]).toContain('"status":"denied"');
      expect(log[0]).toContain('"error":"access_denied"');
      expect(suite.demo.fakeSr.integrations.has('POPUP-DENY')).toBe(false);
      expect(await suite.demo.kit.integrations.get('POPUP-DENY')).toBeUndefined();
    });
  });

  describe('REDIRECT', () => {
    async function openRedirect(companyId: string) {
      await suite.page.goto(suite.demo.srUrl + '/');
      await fillCss(suite.page, '#company-id', companyId);
      await (await suite.page.$('#enable-redirect'))!.click();
      await waitForUrl(suite.page, (url) => url.pathname.endsWith('/ats/consent'));
      await signIn(suite.page);
    }

    it('approve: lands back on the SR page, which lists the integration', async () => {
      await openRedirect('REDIRECT-OK');
      await screenshot(suite.page, engine, `${setting}-redirect-1-review`);
      await approve(suite.page);
      const url = await waitForUrl(suite.page, (at) => at.origin === suite.demo.srUrl && at.pathname === '/app/integrations');
      expect(url.searchParams.get('returned')).toBe('1');
      await waitForText(suite.page, '#integrations', 'REDIRECT-OK');
      await screenshot(suite.page, engine, `${setting}-redirect-2-back-on-sr`);
      expect((await suite.demo.kit.integrations.get('REDIRECT-OK'))?.state).toBe('active');
    });

    it('deny: lands back on the SR page with error=access_denied', async () => {
      await openRedirect('REDIRECT-DENY');
      await clickByRole(suite.page, 'button', 'Deny');
      const url = await waitForUrl(suite.page, (at) => at.origin === suite.demo.srUrl);
      expect(url.searchParams.get('error')).toBe('access_denied');
      await waitForText(suite.page, '#return-banner', 'error=access_denied');
      expect(suite.demo.fakeSr.integrations.has('REDIRECT-DENY')).toBe(false);
    });
  });

  describe.runIf(setting === 'default')('"Disable integration" on the SmartRecruiters page (seed 001 §1 callbackUrl)', () => {
    it('SR gets a token from our endpoint, calls the callback, and the integration is disabled on both sides', async () => {
      const frame = await openPopup('QA-DISABLE');
      await signIn(frame);
      await approve(frame);
      await waitForHidden(suite.page, '#popup');
      await waitForText(suite.page, '#integrations', 'QA-DISABLE'); // listed first, so its absence below means something
      await clickByRole(suite.page, 'button', 'Disable integration for QA-DISABLE');
      await waitForText(suite.page, '#disable-result', 'partner notified');
      expect(await suite.page.$eval('#disable-result', (element) => element.textContent)).toContain('token 200, callback 204');
      await screenshot(suite.page, engine, 'sr-disable-done');
      expect((await suite.demo.kit.integrations.get('QA-DISABLE'))?.state).toBe('disabled');
      expect(await suite.page.$eval('#integrations', (element) => element.textContent)).not.toContain('QA-DISABLE');
    });
  });

  describe.runIf(setting === 'default')('idempotent Approve from the browser (T3 e)', () => {
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

  // Not cookie-dependent: run once per engine.
  describe.runIf(setting === 'default')('a third site (T8, T13)', () => {
    let attacker: AttackerSite;
    beforeAll(async () => {
      attacker = await startAttackerSite(hostilePages(suite.demo.consentUrl));
    });
    afterAll(async () => {
      await attacker?.stop();
    });

    it('the consent page does not render inside an attacker frame and the attacker receives nothing', async () => {
      // The kit did serve the page (with its frame-ancestors policy): the engine refused to show it.
      const served = suite.page.waitForResponse((response) => response.url().startsWith(suite.demo.consentUrl + '?'));
      await suite.page.goto(attacker.url + '/frame');
      const response = await served;
      expect(response.status()).toBe(200);
      expect(response.headers()['content-security-policy']).toMatch(/frame-ancestors [^;]*127\.0\.0\.1/);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const inner = suite.page.frames().filter((frame) => frame !== suite.page.mainFrame());
      expect(inner).toHaveLength(1);
      // A frame blocked by frame-ancestors shows the engine's error document: no widget in it.
      const rendered = await inner[0]!.evaluate(() => document.querySelectorAll('ats-consent').length).catch(() => 0);
      expect(rendered).toBe(0);
      expect(await countByCss(suite.page, '#log li')).toBe(0);
      await screenshot(suite.page, engine, 'attacker-frame-blocked');
    });

    it('nested SR → attacker → consent page is refused too (frame-ancestors checks every ancestor)', async () => {
      await suite.page.goto(suite.demo.srUrl + '/');
      const served = suite.page.waitForResponse((response) => response.url().startsWith(suite.demo.consentUrl + '?companyId=NESTED'));
      await suite.page.evaluate((src) => {
        const iframe = document.createElement('iframe');
        iframe.src = src;
        document.body.append(iframe);
      }, attacker.url + '/nested');
      expect((await served).status()).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const inner = suite.page.frames().filter((frame) => frame.parentFrame() && frame.parentFrame() !== suite.page.mainFrame());
      expect(inner).toHaveLength(1);
      expect(await inner[0]!.evaluate(() => document.querySelectorAll('ats-consent').length).catch(() => 0)).toBe(0);
    });

    it('a third site that opens the consent page receives no message when the admin approves there', async () => {
      await suite.page.goto(attacker.url + '/open');
      const popup = await waitForPopup(suite.page, async () => (await suite.page.$('#go'))!.click());
      await signIn(popup);
      await approve(popup);
      await byRole(popup, 'heading', 'Connected');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countByCss(suite.page, '#log li')).toBe(0);
      expect((await suite.demo.kit.integrations.get('OPENED'))?.state).toBe('active');
    });
  });

  // Not cookie-dependent: run once per engine.
  describe.runIf(setting === 'default')('sandboxed frame without allow-same-origin (T11)', () => {
    it('shows the open-in-a-new-window message and posts nothing', async () => {
      await suite.page.goto(suite.demo.srUrl + '/');
      await suite.page.evaluate((src) => {
        const iframe = document.createElement('iframe');
        iframe.setAttribute('sandbox', 'allow-scripts allow-forms');
        iframe.id = 'sandboxed';
        iframe.src = src;
        document.body.append(iframe);
      }, `${suite.demo.consentUrl}?companyId=SANDBOXED`);
      const frame = await waitForFrame(suite.page, /companyId=SANDBOXED/);
      expect(await (await frame.frameElement())!.evaluate((element) => element.id)).toBe('sandboxed');
      await byRole(frame, 'alert', undefined, { text: 'new window' });
      await screenshot(suite.page, engine, 'sandboxed-frame-message');
      expect(await countByCss(suite.page, '#message-log li')).toBe(0);
    });
  });

  describe.runIf(setting === 'default')('axe-core on the consent steps', () => {
    it('sign-in and review, framed in the SR page: no violation', async () => {
      const frame = await openPopup('A11Y-FRAMED');
      expect(await axeViolationsIn(frame), 'sign-in').toEqual([]);
      await signIn(frame);
      expect(await axeViolationsIn(frame), 'review').toEqual([]);
      await approve(frame);
      await waitForHidden(suite.page, '#popup');
    });

    it('sign-in, review and done, full page: no violation', async () => {
      await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-PAGE`);
      await byRole(suite.page, 'heading', 'Sign in to continue');
      expect(await axeViolationsIn(suite.page), 'sign-in').toEqual([]);
      await signIn(suite.page);
      expect(await axeViolationsIn(suite.page), 'review').toEqual([]);
      await approve(suite.page);
      await byRole(suite.page, 'heading', 'Connected');
      expect(await axeViolationsIn(suite.page), 'done').toEqual([]);
    });
  });
});
