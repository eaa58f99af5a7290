/**
 * What only Chromium shows of cross-site behaviour (reference/security.md T8, T10): the flow still
 * completes when every Set-Cookie is stripped (Firefox's refused cookie is its "blocked" setting,
 * engines-consent.test.ts), the partitioned cookie's CHIPS key as Chromium reports it, and
 * Chromium's own console report of a frame refused by frame-ancestors. The framing, opened-window
 * and sandboxed-frame flows themselves run in every engine (engines-consent.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostilePages, startAttackerSite, type AttackerSite } from '../helpers/attacker-site.js';
import { screenshot, waitForText } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();

let attacker: AttackerSite;

beforeAll(async () => {
  attacker = await startAttackerSite(hostilePages(suite.demo.consentUrl));
});
afterAll(async () => {
  await attacker?.stop();
});
describe('third-party cookies refused (T10): the sealed session travels as a header', () => {
  it('POPUP approve completes with every Set-Cookie stripped from the kit responses', async () => {
    let stripped = 0;
    let cookiesSent = 0;
    // Fetched from Node rather than with route.fetch(), whose responses would fill the browser
    // context's cookie jar: here the browser never sees a Set-Cookie at all.
    await suite.context.route(`${suite.demo.kitUrl}/**`, async (route) => {
      const request = route.request();
      const requestHeaders = await request.allHeaders();
      if (requestHeaders.cookie) cookiesSent += 1;
      const response = await fetch(request.url(), {
        method: request.method(),
        headers: requestHeaders,
        body: request.postData() ?? undefined,
        redirect: 'manual',
      });
      const headers = Object.fromEntries(response.headers);
      if (response.headers.getSetCookie().length > 0) stripped += 1;
      delete headers['set-cookie'];
      await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
    });
    await suite.page.goto(suite.demo.srUrl + '/');
    await suite.page.locator('#company-id').fill('NO-COOKIES');
    await suite.page.locator('#enable-popup').click();
    await suite.page.frameLocator('#consent-frame').getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const frame = suite.page.frame({ url: /\/ats\/consent/ })!;
    await signIn(frame);
    await approve(frame);
    await suite.page.locator('#popup').waitFor({ state: 'hidden' });
    await waitForText(suite.page, '#integrations', 'NO-COOKIES');
    expect(stripped).toBeGreaterThanOrEqual(2);
    expect(await suite.context.cookies(suite.demo.kitUrl)).toEqual([]);
    expect(cookiesSent).toBe(0);
    expect((await suite.demo.kit.integrations.get('NO-COOKIES'))?.state).toBe('active');
  });

  it('with cookies allowed, the session cookie is stored partitioned under the SR site', async () => {
    await suite.page.goto(suite.demo.srUrl + '/');
    await suite.page.locator('#enable-popup').click();
    await suite.page.frameLocator('#consent-frame').getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    const cookies = await suite.context.cookies(suite.demo.kitUrl);
    expect(cookies.map((cookie) => [cookie.name, cookie.sameSite, cookie.secure, cookie.httpOnly])).toEqual([
      ['__Host-ats-session', 'None', true, true],
    ]);
    // CHIPS keys the cookie by the top-level *site* (scheme + host, no port).
    expect(cookies[0]!.partitionKey).toBe('http://127.0.0.1');
  });
});

describe("framing by a third site (T8): Chromium's own report of the refused frame", () => {
  it('the consent page does not render inside an attacker frame', async () => {
    const blocked: string[] = [];
    suite.page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) blocked.push(message.text());
    });
    await suite.page.goto(attacker.url + '/frame');
    await suite.page.waitForTimeout(500);
    const frame = suite.page.frames().find((candidate) => candidate !== suite.page.mainFrame())!;
    const rendered = await frame.locator('ats-consent').count();
    expect(rendered).toBe(0);
    expect(blocked.length).toBeGreaterThan(0);
    await screenshot(suite.page, 'attacker-frame-blocked');
  });

  it('nested SR → attacker → consent page is blocked too (frame-ancestors checks every ancestor)', async () => {
    const blocked: string[] = [];
    suite.page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) blocked.push(message.text());
    });
    await suite.page.goto(suite.demo.srUrl + '/');
    await suite.page.evaluate((src) => {
      const iframe = document.createElement('iframe');
      iframe.src = src;
      document.body.append(iframe);
    }, attacker.url + '/nested');
    const attackerFrame = await (await suite.page.waitForSelector(`iframe[src^="${attacker.url}"]`)).contentFrame();
    await suite.page.waitForTimeout(800);
    const inner = attackerFrame!.childFrames();
    expect(inner).toHaveLength(1);
    expect(await inner[0]!.locator('ats-consent').count()).toBe(0);
    expect(blocked.length).toBeGreaterThan(0);
  });
});
