/**
 * The consent flow in German and in Arabic (right to left), chosen from the browser's
 * Accept-Language with the page's real CSP (the catalogue loads under `connect-src 'self'`), and
 * from the element's own `lang` on a partner page in English; the connections view and its
 * blocked-popup fallback in German; axe-core in German, Arabic and the dark scheme; screenshots of
 * the review step in each under test-results/screenshots/.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();

const GERMAN = { signInTitle: 'Anmelden, um fortzufahren', email: 'E-Mail', password: 'Passwort', signIn: 'Anmelden', review: 'Mit SmartRecruiters verbinden?', approve: 'Zustimmen', done: 'Verbunden' };
const ARABIC = { signInTitle: 'سجّل الدخول للمتابعة', email: 'البريد الإلكتروني', password: 'كلمة المرور', signIn: 'تسجيل الدخول', review: 'هل تريد الربط مع SmartRecruiters؟', approve: 'موافقة', done: 'تم الربط' };
type Words = typeof GERMAN;

async function openPage(options: BrowserContextOptions): Promise<{ page: Page; cspViolations: string[] }> {
  const context = await suite.browser.newContext(options);
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { page, cspViolations };
}

async function signInAndReview(page: Page, words: Words): Promise<void> {
  await page.getByRole('heading', { name: words.signInTitle }).waitFor();
  await page.getByLabel(words.email).fill('admin@acme.test');
  await page.getByLabel(words.password).fill(DEMO_PASSWORDS['admin@acme.test']!);
  await page.getByRole('button', { name: words.signIn, exact: true }).click();
  await page.getByRole('heading', { name: words.review }).waitFor();
}

async function approveAndFinish(page: Page, words: Words, companyId: string): Promise<void> {
  const button = page.getByRole('button', { name: words.approve });
  await button.hover();
  await button.click({ timeout: 5_000 });
  await page.getByRole('heading', { name: words.done }).waitFor();
  expect((await suite.demo.kit.integrations.get(companyId))?.state).toBe('active');
}

const htmlLangDir = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

describe('localized consent page', () => {
  it('German from Accept-Language: <html lang>, every step in German, the flow completes under the real CSP', async () => {
    const { page, cspViolations } = await openPage({ locale: 'de-DE' });
    await page.goto(`${suite.demo.consentUrl}?companyId=I18N-DE`);
    expect(await htmlLangDir(page)).toEqual(['de', 'ltr']);
    expect(await page.title()).toContain('mit SmartRecruiters verbinden');
    await signInAndReview(page, GERMAN);
    await page.getByText('Kandidatenprofile lesen, einschließlich Kontaktdaten und Bewerbungen').waitFor();
    await page.getByText('Angemeldet als').waitFor();
    await screenshot(page, 'i18n-review-de');
    await approveAndFinish(page, GERMAN, 'I18N-DE');
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it('Arabic from Accept-Language: <html lang="ar" dir="rtl">, the layout mirrors, the flow completes', async () => {
    const { page, cspViolations } = await openPage({ locale: 'ar-EG' });
    await page.goto(`${suite.demo.consentUrl}?companyId=I18N-AR`);
    expect(await htmlLangDir(page)).toEqual(['ar', 'rtl']);
    await signInAndReview(page, ARABIC);
    const layout = await page.evaluate(() => {
      const root = document.querySelector('ats-consent')!.shadowRoot!;
      const base = root.querySelector<HTMLElement>('[part="base"]')!;
      const list = getComputedStyle(root.querySelector('[part="scope-list"]')!);
      const approve = root.querySelector('[part="consent-button"]')!.getBoundingClientRect();
      const deny = root.querySelector('[part="deny-button"]')!.getBoundingClientRect();
      return { dir: base.dir, direction: getComputedStyle(base).direction, paddingRight: list.paddingRight, paddingLeft: list.paddingLeft, approveRightOfDeny: approve.left > deny.left };
    });
    expect(layout).toEqual({ dir: 'rtl', direction: 'rtl', paddingRight: '20px', paddingLeft: '0px', approveRightOfDeny: true });
    await screenshot(page, 'i18n-review-ar');
    await approveAndFinish(page, ARABIC, 'I18N-AR');
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it('an unshipped locale falls back by language, then to English', async () => {
    const { page } = await openPage({ locale: 'zh-CN' });
    await page.goto(`${suite.demo.consentUrl}?companyId=I18N-ZH`);
    expect(await htmlLangDir(page)).toEqual(['en', 'ltr']);
    await page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    await page.context().close();
  });

  it('the element\'s own lang wins over the page\'s (a partner page in English, the widget in German)', async () => {
    const { page } = await openPage({ locale: 'en-US' });
    await page.route('**/embedded?*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<ats-consent ', '<ats-consent lang="de" ') });
    });
    await page.goto(`${suite.demo.kitUrl}/embedded?companyId=I18N-LANG`);
    await signInAndReview(page, GERMAN);
    await page.context().close();
  });
});

describe('connections view', () => {
  it('in German by the element\'s lang: list, status, buttons and the blocked-popup fallback; axe finds nothing', async () => {
    const { page } = await openPage({ locale: 'en-US', bypassCSP: true });
    await page.addInitScript(() => {
      window.open = () => null; // what a popup blocker does
    });
    await page.route('**/connections', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<ats-consent ', '<ats-consent lang="de" ') });
    });
    await page.goto(`${suite.demo.kitUrl}/connections`);
    await page.getByRole('heading', { name: GERMAN.signInTitle }).waitFor();
    await page.getByText('Melden Sie sich an, um die mit Ihrem Konto verbundenen Systeme zu verwalten.').waitFor();
    await page.getByLabel(GERMAN.email).fill('admin@acme.test');
    await page.getByLabel(GERMAN.password).fill(DEMO_PASSWORDS['admin@acme.test']!);
    await page.getByRole('button', { name: GERMAN.signIn, exact: true }).click();
    await page.getByRole('heading', { name: 'Verbundene Systeme' }).waitFor();
    await page.getByRole('button', { name: 'TE Recruit verbinden' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ihr Browser hat das Anmeldefenster von TE Recruit blockiert.' }).waitFor();
    await page.getByRole('button', { name: 'Anmeldefenster von TE Recruit öffnen' }).waitFor();
    await page.getByRole('button', { name: 'In diesem Fenster fortfahren' }).waitFor();
    await screenshot(page, 'i18n-connections-blocked-de');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('axe-core', () => {
  for (const [name, options, words] of [
    ['de', { locale: 'de-DE' }, GERMAN],
    ['ar', { locale: 'ar-EG' }, ARABIC],
  ] as const) {
    it(`no violation on the sign-in and review steps in ${name}`, async () => {
      const { page } = await openPage({ ...options, bypassCSP: true });
      await page.goto(`${suite.demo.consentUrl}?companyId=I18N-AXE-${name.toUpperCase()}`);
      await page.getByRole('heading', { name: words.signInTitle }).waitFor();
      expect(await axeViolations(page), `sign-in, ${name}`).toEqual([]);
      await signInAndReview(page, words);
      expect(await axeViolations(page), `review, ${name}`).toEqual([]);
      await page.context().close();
    });
  }

  it('no violation in the dark scheme, whose palette the widget follows', async () => {
    const { page } = await openPage({ colorScheme: 'dark', bypassCSP: true });
    await page.goto(`${suite.demo.consentUrl}?companyId=I18N-DARK`);
    await page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    expect(await axeViolations(page), 'sign-in error, dark').toEqual([]);
    await page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Connect to SmartRecruiters?' }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('ats-consent')!.shadowRoot!.querySelector('[part="base"]')!).backgroundColor);
    expect(background).toBe('rgb(22, 27, 34)');
    await screenshot(page, 'i18n-review-dark');
    expect(await axeViolations(page), 'review, dark').toEqual([]);
    await page.context().close();
  });
});
