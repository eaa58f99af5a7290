/**
 * `<ats-consent>` step by step in Chromium: axe-core reports no violation on any step, the whole
 * path works by keyboard with focus moving to each step's heading, errors are announced in
 * role="alert" with Retry, Approve stays disabled until a real interaction (T9), and a screenshot
 * of every step is saved under test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let demo: TestDemo;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startTestDemo({ timeoutMs: 1_000, faultDelayMs: 1_500 });
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});
beforeEach(async () => {
  // axe needs to inject its script; the page's CSP (tested elsewhere) would refuse it.
  context = await browser.newContext({ bypassCSP: true });
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown }>;
}

async function axeViolations(target: Page): Promise<AxeViolation[]> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(axeSource);
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
}

async function expectAccessible(step: string): Promise<void> {
  await screenshot(page, `step-${step}`);
  expect(await axeViolations(page), `axe violations on the ${step} step`).toEqual([]);
}

const heading = (name: string) => page.getByRole('heading', { name });
const focusedText = () =>
  page.evaluate(() => document.querySelector('ats-consent')?.shadowRoot?.activeElement?.textContent?.trim() ?? null);

describe('axe-core on every step', () => {
  it('loading, sign-in, sign-in error, review, working, error with Retry, done', async () => {
    let releaseBootstrap: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseBootstrap = resolve));
    await page.route('**/ats/consent/bootstrap?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${demo.consentUrl}?companyId=A11Y-STEPS`);
    await heading('Loading…').waitFor();
    await expectAccessible('loading');
    releaseBootstrap();

    await heading('Sign in to continue').waitFor();
    await expectAccessible('sign-in');

    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await expectAccessible('sign-in-error');

    await page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Connect to SmartRecruiters?').waitFor();
    await expectAccessible('review');

    demo.fakeSr.injectFault('delay');
    await approve(page);
    await heading('Connecting…').waitFor();
    await expectAccessible('working');

    await heading('Something went wrong').waitFor();
    await page.getByRole('alert').filter({ hasText: 'did not answer in time' }).waitFor();
    await expectAccessible('error-retry');

    await page.getByRole('button', { name: 'Retry' }).click();
    await heading('Connected').waitFor();
    await expectAccessible('done');
    expect((await demo.kit.integrations.get('A11Y-STEPS'))?.state).toBe('active');
  });

  it('denied', async () => {
    await page.goto(`${demo.consentUrl}?companyId=A11Y-DENIED`);
    await signIn(page);
    await page.getByRole('button', { name: 'Deny' }).click();
    await heading('Not connected').waitFor();
    await expectAccessible('denied');
  });

  it('an error without Retry (expired session) tells the admin what to do', async () => {
    await page.goto(`${demo.consentUrl}?companyId=A11Y-EXPIRED`);
    await heading('Sign in to continue').waitFor();
    await context.clearCookies();
    await page.route('**/ats/consent/sign-in', (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-ats-session': 'expired-seal' } }),
    );
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'session has expired' }).waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await expectAccessible('error-final');
  });
});

describe('keyboard only', () => {
  it('signs in and approves with Tab, typing and Enter; focus lands on each step heading', async () => {
    await page.goto(`${demo.consentUrl}?companyId=KEYBOARD`);
    await heading('Sign in to continue').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('admin@acme.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORDS['admin@acme.test']!);
    await page.keyboard.press('Enter');
    await heading('Connect to SmartRecruiters?').waitFor();
    expect(await focusedText()).toBe('Connect to SmartRecruiters?');
    await page.waitForTimeout(600); // the review step must have been visible for a moment (T9)
    await page.keyboard.press('Tab'); // "Not you? Switch account"
    await page.keyboard.press('Tab'); // Approve
    expect(await focusedText()).toBe('Approve');
    await page.keyboard.press('Enter');
    await heading('Connected').waitFor();
    expect(await focusedText()).toBe('Connected');
    expect((await demo.kit.integrations.get('KEYBOARD'))?.state).toBe('active');
  });
});

describe('Approve guard against clickjacking (T9)', () => {
  it('Approve is disabled when the review appears and a click then sends nothing; after a real pointer move and 500 ms it works', async () => {
    let approvePosts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/approve')) approvePosts += 1;
    });
    await page.goto(`${demo.consentUrl}?companyId=CLICKJACK`);
    await signIn(page);
    const button = page.getByRole('button', { name: 'Approve' });
    expect(await button.isDisabled()).toBe(true);
    await button.click({ force: true, timeout: 1_000 }).catch(() => {});
    expect(approvePosts).toBe(0);
    await button.hover();
    await page.waitForTimeout(600);
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await heading('Connected').waitFor();
    expect(approvePosts).toBe(1);
  });
});

describe('typed DOM events', () => {
  it('ats-consent-granted bubbles out of the shadow root to the document', async () => {
    await page.goto(`${demo.consentUrl}?companyId=EVENTS`);
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      for (const type of ['ats-consent-granted', 'ats-consent-denied', 'ats-error']) {
        document.addEventListener(type, (event) => (window as unknown as { seen: unknown[] }).seen.push([type, (event as CustomEvent).detail]));
      }
    });
    await signIn(page);
    await approve(page);
    await heading('Connected').waitFor();
    expect(await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([
      ['ats-consent-granted', { companyId: 'EVENTS', mode: 'embedded' }],
    ]);
  });
});
