/**
 * `<ats-consent>` step by step in Chromium: axe-core reports no violation on any step, the whole
 * path works by keyboard with focus moving to each step's heading, errors are announced in
 * role="alert" with Retry, Approve stays disabled until a real interaction (T9), and a screenshot
 * of every step is saved under test-results/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite({
  demo: { timeoutMs: 1_000, faultDelayMs: 1_500 },
  // axe needs to inject its script; the page's CSP (tested elsewhere) would refuse it.
  context: { bypassCSP: true },
});

async function expectAccessible(step: string): Promise<void> {
  await screenshot(suite.page, `step-${step}`);
  expect(await axeViolations(suite.page), `axe violations on the ${step} step`).toEqual([]);
}

const heading = (name: string) => suite.page.getByRole('heading', { name });
const focusedText = () =>
  suite.page.evaluate(() => document.querySelector('ats-consent')?.shadowRoot?.activeElement?.textContent?.trim() ?? null);

describe('axe-core on every step', () => {
  it('loading, sign-in, sign-in error, review, working, error with Retry, done', async () => {
    let releaseBootstrap: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseBootstrap = resolve));
    await suite.page.route('**/ats/consent/bootstrap?*', async (route) => {
      await held;
      await route.continue();
    });
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-STEPS`);
    await heading('Loading…').waitFor();
    await expectAccessible('loading');
    releaseBootstrap();

    await heading('Sign in to continue').waitFor();
    await expectAccessible('sign-in');

    await suite.page.getByLabel('Email').fill('admin@acme.test');
    await suite.page.getByLabel('Password').fill('not-the-password');
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await expectAccessible('sign-in-error');

    await suite.page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Connect to SmartRecruiters?').waitFor();
    await expectAccessible('review');

    suite.demo.fakeSr.injectFault('delay');
    await approve(suite.page);
    await heading('Connecting…').waitFor();
    await expectAccessible('working');

    await heading('Something went wrong').waitFor();
    await suite.page.getByRole('alert').filter({ hasText: 'did not answer in time' }).waitFor();
    await expectAccessible('error-retry');

    await suite.page.getByRole('button', { name: 'Retry' }).click();
    await heading('Connected').waitFor();
    await expectAccessible('done');
    expect((await suite.demo.kit.integrations.get('A11Y-STEPS'))?.state).toBe('active');
  });

  it('denied', async () => {
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-DENIED`);
    await signIn(suite.page);
    await suite.page.getByRole('button', { name: 'Deny' }).click();
    await heading('Not connected').waitFor();
    await expectAccessible('denied');
  });

  it('an error without Retry (expired session) tells the admin what to do', async () => {
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=A11Y-EXPIRED`);
    await heading('Sign in to continue').waitFor();
    await suite.context.clearCookies();
    await suite.page.route('**/ats/consent/sign-in', (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-ats-session': 'expired-seal' } }),
    );
    await suite.page.getByLabel('Email').fill('admin@acme.test');
    await suite.page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.getByRole('alert').filter({ hasText: 'session has expired' }).waitFor();
    expect(await suite.page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await expectAccessible('error-final');
  });
});

describe('keyboard only', () => {
  it('signs in and approves with Tab, typing and Enter; focus lands on each step heading', async () => {
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=KEYBOARD`);
    await heading('Sign in to continue').waitFor();
    await suite.page.keyboard.press('Tab');
    await suite.page.keyboard.type('admin@acme.test');
    await suite.page.keyboard.press('Tab');
    await suite.page.keyboard.type(DEMO_PASSWORDS['admin@acme.test']!);
    await suite.page.keyboard.press('Enter');
    await heading('Connect to SmartRecruiters?').waitFor();
    expect(await focusedText()).toBe('Connect to SmartRecruiters?');
    await suite.page.waitForTimeout(600); // the review step must have been visible for a moment (T9)
    await suite.page.keyboard.press('Tab'); // "Not you? Switch account"
    await suite.page.keyboard.press('Tab'); // Approve
    expect(await focusedText()).toBe('Approve');
    await suite.page.keyboard.press('Enter');
    await heading('Connected').waitFor();
    expect(await focusedText()).toBe('Connected');
    expect((await suite.demo.kit.integrations.get('KEYBOARD'))?.state).toBe('active');
  });
});

describe('Approve guard against clickjacking (T9)', () => {
  it('Approve is disabled when the review appears and a click then sends nothing; after a real pointer move and 500 ms it works', async () => {
    let approvePosts = 0;
    suite.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/approve')) approvePosts += 1;
    });
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=CLICKJACK`);
    await signIn(suite.page);
    const button = suite.page.getByRole('button', { name: 'Approve' });
    expect(await button.isDisabled()).toBe(true);
    await button.click({ force: true, timeout: 1_000 }).catch(() => {});
    expect(approvePosts).toBe(0);
    await button.hover();
    await suite.page.waitForTimeout(600);
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await heading('Connected').waitFor();
    expect(approvePosts).toBe(1);
  });
});

describe('typed DOM events', () => {
  it('ats-consent-granted bubbles out of the shadow root to the document', async () => {
    await suite.page.goto(`${suite.demo.consentUrl}?companyId=EVENTS`);
    await suite.page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      for (const type of ['ats-consent-granted', 'ats-consent-denied', 'ats-error']) {
        document.addEventListener(type, (event) => (window as unknown as { seen: unknown[] }).seen.push([type, (event as CustomEvent).detail]));
      }
    });
    await signIn(suite.page);
    await approve(suite.page);
    await heading('Connected').waitFor();
    expect(await suite.page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([
      ['ats-consent-granted', { companyId: 'EVENTS', mode: 'embedded' }],
    ]);
  });
});
