/**
 * `<ats-consent>` step by step in every engine (test/helpers/engine.ts: Chromium and Firefox
 * through puppeteer-core): axe-core reports no violation on any step, the whole path works by
 * keyboard with focus moving to each step's heading, errors are announced in role="alert" with
 * Retry, Approve stays disabled until a real interaction (T9), the typed DOM events leave the
 * shadow root, the widget embedded in a partner page takes its theme, an earlier attempt still
 * finishing is waited for (issue 9 item 7), and a screenshot of every step is saved under
 * test-results/screenshots/<engine>/.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolationsIn } from '../helpers/axe.js';
import { byRole, clickByRole, countByRole, ENGINES, fillByLabel, screenshot } from '../helpers/engine.js';
import { approve, signIn, useEngineSuite } from '../helpers/engine-suite.js';

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine, { demo: { timeoutMs: 1_000, faultDelayMs: 1_500 } });

  async function expectAccessible(step: string): Promise<void> {
    await screenshot(suite.page, engine, `step-${step}`);
    expect(await axeViolationsIn(suite.page), `axe violations on the ${step} step`).toEqual([]);
  }

  const heading = (name: string) => byRole(suite.page, 'heading', name);
  const focusedText = () =>
    suite.page.evaluate(() => document.querySelector('ats-consent')?.shadowRoot?.activeElement?.textContent?.trim() ?? null);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('axe-core on every step', () => {
    it('loading, sign-in, sign-in error, review, working, error with Retry, done', async () => {
      let releaseBootstrap: () => void = () => {};
      const held = new Promise<void>((resolve) => (releaseBootstrap = resolve));
      await suite.page.setRequestInterception(true);
      suite.page.on('request', (request) => {
        if (request.isInterceptResolutionHandled()) return;
        if (new URL(request.url()).pathname.endsWith('/ats/consent/bootstrap')) void held.then(() => request.continue());
        else void request.continue();
      });
      await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-STEPS`);
      await heading('Loading…');
      await expectAccessible('loading');
      releaseBootstrap();

      await heading('Sign in to continue');
      await expectAccessible('sign-in');

      await fillByLabel(suite.page, 'Email', 'admin@acme.test');
      await fillByLabel(suite.page, 'Password', 'not-the-password');
      await clickByRole(suite.page, 'button', 'Sign in');
      await byRole(suite.page, 'alert', undefined, { text: 'do not match' });
      await expectAccessible('sign-in-error');

      await fillByLabel(suite.page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
      await clickByRole(suite.page, 'button', 'Sign in');
      await heading('Connect to SmartRecruiters?');
      await expectAccessible('review');

      suite.demo.fakeSr.injectFault('delay');
      await approve(suite.page);
      await heading('Connecting…');
      await expectAccessible('working');

      await heading('Something went wrong');
      await byRole(suite.page, 'alert', undefined, { text: 'did not answer in time' });
      await expectAccessible('error-retry');

      await clickByRole(suite.page, 'button', 'Retry');
      await heading('Connected');
      await expectAccessible('done');
      expect((await suite.demo.kit.integrations.get('A11Y-STEPS'))?.state).toBe('active');
    });

    it('denied', async () => {
      await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-DENIED`);
      await signIn(suite.page);
      await clickByRole(suite.page, 'button', 'Deny');
      await heading('Not connected');
      await expectAccessible('denied');
    });

    it('an error without Retry (expired session) tells the admin what to do', async () => {
      await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-EXPIRED`);
      await heading('Sign in to continue');
      await suite.page.deleteCookie(...(await suite.page.cookies()));
      expect(await suite.context.cookies()).toEqual([]);
      await suite.page.setRequestInterception(true);
      suite.page.on('request', (request) => {
        if (request.isInterceptResolutionHandled()) return;
        if (new URL(request.url()).pathname.endsWith('/ats/consent/sign-in')) void request.continue({ headers: { ...request.headers(), 'x-ats-session': 'expired-seal' } });
        else void request.continue();
      });
      await fillByLabel(suite.page, 'Email', 'admin@acme.test');
      await fillByLabel(suite.page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
      await clickByRole(suite.page, 'button', 'Sign in');
      await byRole(suite.page, 'alert', undefined, { text: 'session has expired' });
      expect(await countByRole(suite.page, 'button', 'Retry')).toBe(0);
      await expectAccessible('error-final');
    });
  });

  describe('keyboard only', () => {
    it('signs in and approves with Tab, typing and Enter; focus lands on each step heading', async () => {
      const { page } = suite;
      await page.goto(`${suite.demo.consentUrl}?companyId=KEYBOARD`);
      await heading('Sign in to continue');
      await page.keyboard.press('Tab');
      await page.keyboard.type('admin@acme.test');
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO_PASSWORDS['admin@acme.test']!);
      await page.keyboard.press('Enter');
      await heading('Connect to SmartRecruiters?');
      expect(await focusedText()).toBe('Connect to SmartRecruiters?');
      await sleep(600); // the review step must have been visible for a moment (T9)
      await page.keyboard.press('Tab'); // "Not you? Switch account"
      await page.keyboard.press('Tab'); // Approve
      expect(await focusedText()).toBe('Approve');
      await page.keyboard.press('Enter');
      await heading('Connected');
      expect(await focusedText()).toBe('Connected');
      expect((await suite.demo.kit.integrations.get('KEYBOARD'))?.state).toBe('active');
    });
  });

  describe('Approve guard against clickjacking (T9)', () => {
    it('Approve is disabled when the review appears and a click then sends nothing; after a real pointer move and 500 ms it works', async () => {
      const { page } = suite;
      let approvePosts = 0;
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/approve')) approvePosts += 1;
      });
      await page.goto(`${suite.demo.consentUrl}?companyId=CLICKJACK`);
      await signIn(page);
      const button = await byRole(page, 'button', 'Approve');
      const disabled = () => button.evaluate((element) => (element as HTMLButtonElement).disabled);
      expect(await disabled()).toBe(true);
      await button.click().catch(() => {}); // the pointer lands on it and clicks at once
      await sleep(200);
      expect(approvePosts).toBe(0);
      await button.hover();
      await sleep(600);
      expect(await disabled()).toBe(false);
      await button.click();
      await heading('Connected');
      expect(approvePosts).toBe(1);
    });
  });

  describe('typed DOM events', () => {
    it('ats-consent-granted bubbles out of the shadow root to the document', async () => {
      const { page } = suite;
      await page.goto(`${suite.demo.consentUrl}?companyId=EVENTS`);
      await page.evaluate(() => {
        (window as unknown as { seen: unknown[] }).seen = [];
        for (const type of ['ats-consent-granted', 'ats-consent-denied', 'ats-error']) {
          document.addEventListener(type, (event) => (window as unknown as { seen: unknown[] }).seen.push([type, (event as CustomEvent).detail]));
        }
      });
      await signIn(page);
      await approve(page);
      await heading('Connected');
      expect(await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([
        ['ats-consent-granted', { companyId: 'EVENTS', mode: 'embedded' }],
      ]);
    });
  });

  describe('embedded mode', () => {
    it('is themed by the partner page and completes the flow, without posting any message', async () => {
      const { page } = suite;
      await page.goto(`${suite.demo.kitUrl}/embedded?companyId=EMBEDDED-1`);
      await signIn(page);
      const button = await byRole(page, 'button', 'Approve');
      const style = await button.evaluate((element) => {
        const computed = getComputedStyle(element);
        return { background: computed.backgroundColor, transform: computed.textTransform, radius: computed.borderTopLeftRadius };
      });
      expect(style).toEqual({ background: 'rgb(122, 28, 84)', transform: 'uppercase', radius: '1.5px' });
      await screenshot(page, engine, 'embedded-themed-review');
      const granted = page.evaluate(
        () => new Promise((resolve) => document.addEventListener('ats-consent-granted', (event) => resolve((event as CustomEvent).detail), { once: true })),
      );
      await approve(page);
      expect(await granted).toEqual({ companyId: 'EMBEDDED-1', mode: 'embedded' });
      expect((await suite.demo.kit.integrations.get('EMBEDDED-1'))?.state).toBe('active');
    });
  });

  describe('an earlier attempt still finishing (issue 9 item 7)', () => {
    it('shows "Finishing an earlier attempt…", asks again by itself, and completes when that attempt does', async () => {
      const { page } = suite;
      const companyId = 'EARLIER-ATTEMPT';
      const store = suite.demo.kit.store;
      await page.goto(`${suite.demo.consentUrl}?companyId=${companyId}`);
      await signIn(page);
      // Another kit instance is mid-exchange for this company: its row, its lease.
      await store.integrations.insertPending(
        { id: `other-${companyId}`, companyId, tenantId: 'tenant-acme', approvedBy: 'user-acme-admin', issuedClientId: `other-${companyId}`, issuedSecretHash: 'v1.x', issuedSecretPending: 'v1.y' },
        Date.now(),
      );
      expect(await store.integrations.acquireLease(companyId, 'other-instance', Date.now() + 60_000, Date.now())).toBe(true);
      let approvals = 0;
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/approve')) approvals += 1;
      });
      await page.evaluate(() => {
        const errors: string[] = [];
        (window as unknown as { atsErrors: string[] }).atsErrors = errors;
        document.querySelector('ats-consent')!.addEventListener('ats-error', (event) => errors.push((event as CustomEvent<{ code: string }>).detail.code));
      });

      await approve(page);
      await heading('Connecting…');
      // The kit waits up to 3 s for the other attempt's outcome before it answers "in progress".
      await byRole(page, 'heading', 'Finishing an earlier attempt…', 20_000).catch(async (error: unknown) => {
        const shown = await page.evaluate(() => document.querySelector('ats-consent')?.shadowRoot?.textContent?.replace(/\s+/g, ' '));
        // (The bundle under test is dist/, built by the test run's global setup: a stale one lacks this step.)
        throw new Error(`the waiting step did not show; the widget shows: ${shown}`, { cause: error });
      });
      await byRole(page, 'status', undefined, { text: 'still finishing' });
      await screenshot(page, engine, 'step-waiting');
      expect(await axeViolationsIn(page), 'axe violations on the waiting step').toEqual([]);
      await expect.poll(() => approvals, { timeout: 10_000 }).toBeGreaterThanOrEqual(2); // it asked again by itself

      // The other instance finishes.
      await store.integrations.activate(companyId, 'other-instance', { srCredentials: 'v1.z', srIntegrationId: 'from-other' }, Date.now());
      await byRole(page, 'heading', 'Connected', 10_000);
      expect(await page.evaluate(() => (window as unknown as { atsErrors: string[] }).atsErrors)).toEqual([]); // waiting is not an error
    });
  });
});
