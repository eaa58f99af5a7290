/**
 * The consent flow in German and in Arabic (right to left) in every engine (test/helpers/engine.ts:
 * Chromium and Firefox through puppeteer-core), chosen from the request's Accept-Language with the
 * page's real CSP (the catalogue loads under `connect-src 'self'`), and from the element's own
 * `lang` on a partner page in English; the connections view and its blocked-popup fallback in
 * German; axe-core in German, Arabic and the dark scheme; screenshots of the review step in each
 * under test-results/screenshots/<engine>/. One body per flow, the engine as a parameter.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { axeViolationsIn } from '../helpers/axe.js';
import { byRole, byText, clickByRole, containing, ENGINES, fillByLabel, openDarkPage, rewriteDocument, screenshot } from '../helpers/engine.js';
import { useEngineSuite } from '../helpers/engine-suite.js';

const GERMAN = { signInTitle: 'Anmelden, um fortzufahren', email: 'E-Mail', password: 'Passwort', signIn: 'Anmelden', review: 'Mit SmartRecruiters verbinden?', approve: 'Zustimmen', done: 'Verbunden' };
const ARABIC = { signInTitle: 'سجّل الدخول للمتابعة', email: 'البريد الإلكتروني', password: 'كلمة المرور', signIn: 'تسجيل الدخول', review: 'هل تريد الربط مع SmartRecruiters؟', approve: 'موافقة', done: 'تم الربط' };
type Words = typeof GERMAN;

const addLang = (body: string) => body.replace('<ats-consent ', '<ats-consent lang="de" ');

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  /**
   * The suite's page with `locale` as its Accept-Language, recording every CSP violation: the
   * document's `securitypolicyviolation` events (in every engine) and the console's CSP reports
   * (Chromium writes them there; Firefox's do not reach the driver's console log).
   */
  async function openPage(locale: string): Promise<{ page: Page; cspViolations: () => Promise<string[]> }> {
    const page = suite.page;
    await page.setExtraHTTPHeaders({ 'accept-language': locale });
    const console: string[] = [];
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) console.push(message.text());
    });
    await page.evaluateOnNewDocument(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`), true);
    });
    const cspViolations = async () => [...console, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
    return { page, cspViolations };
  }

  async function signInAndReview(page: Page, words: Words): Promise<void> {
    await byRole(page, 'heading', words.signInTitle);
    await fillByLabel(page, words.email, 'admin@acme.test');
    await fillByLabel(page, words.password, DEMO_PASSWORDS['admin@acme.test']!);
    await clickByRole(page, 'button', words.signIn);
    await byRole(page, 'heading', words.review);
  }

  async function approveAndFinish(page: Page, words: Words, companyId: string): Promise<void> {
    const button = await byRole(page, 'button', words.approve);
    await button.hover();
    await page.waitForFunction((element) => !(element as HTMLButtonElement).disabled, { timeout: 5_000, polling: 50 }, button);
    await button.click();
    await byRole(page, 'heading', words.done);
    expect((await suite.demo.kit.integrations.get(companyId))?.state).toBe('active');
  }

  const htmlLangDir = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

  describe('localized consent page', () => {
    it('German from Accept-Language: <html lang>, every step in German, the flow completes under the real CSP', async () => {
      const { page, cspViolations } = await openPage('de-DE');
      await page.goto(`${suite.demo.consentUrl}?companyId=I18N-DE`);
      expect(await htmlLangDir(page)).toEqual(['de', 'ltr']);
      expect(await page.title()).toContain('mit SmartRecruiters verbinden');
      await signInAndReview(page, GERMAN);
      await byText(page, containing('Kandidatenprofile lesen, einschließlich Kontaktdaten und Bewerbungen'));
      await byText(page, containing('Angemeldet als'));
      await screenshot(page, engine, 'i18n-review-de');
      await approveAndFinish(page, GERMAN, 'I18N-DE');
      expect(await cspViolations()).toEqual([]);
    });

    it('Arabic from Accept-Language: <html lang="ar" dir="rtl">, the layout mirrors, the flow completes', async () => {
      const { page, cspViolations } = await openPage('ar-EG');
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
      await screenshot(page, engine, 'i18n-review-ar');
      await approveAndFinish(page, ARABIC, 'I18N-AR');
      expect(await cspViolations()).toEqual([]);
    });

    it('an unshipped locale falls back by language, then to English', async () => {
      const { page } = await openPage('zh-CN');
      await page.goto(`${suite.demo.consentUrl}?companyId=I18N-ZH`);
      expect(await htmlLangDir(page)).toEqual(['en', 'ltr']);
      await byRole(page, 'heading', 'Sign in to continue');
    });

    it("the element's own lang wins over the page's (a partner page in English, the widget in German)", async () => {
      const { page } = await openPage('en-US');
      await rewriteDocument(page, (url) => url.pathname.endsWith('/embedded') && url.search !== '', addLang);
      await page.goto(`${suite.demo.kitUrl}/embedded?companyId=I18N-LANG`);
      await signInAndReview(page, GERMAN);
    });
  });

  describe('connections view', () => {
    it("in German by the element's lang: list, status, buttons and the blocked-popup fallback; axe finds nothing", async () => {
      const { page } = await openPage('en-US');
      await page.evaluateOnNewDocument(() => {
        window.open = () => null; // what a popup blocker does
      });
      await rewriteDocument(page, (url) => url.pathname.endsWith('/connections'), addLang);
      await page.goto(`${suite.demo.kitUrl}/connections`);
      await byRole(page, 'heading', GERMAN.signInTitle);
      await byText(page, containing('Melden Sie sich an, um die mit Ihrem Konto verbundenen Systeme zu verwalten.'));
      await fillByLabel(page, GERMAN.email, 'admin@acme.test');
      await fillByLabel(page, GERMAN.password, DEMO_PASSWORDS['admin@acme.test']!);
      await clickByRole(page, 'button', GERMAN.signIn);
      await byRole(page, 'heading', 'Verbundene Systeme');
      await clickByRole(page, 'button', 'TE Recruit verbinden');
      await byRole(page, 'alert', undefined, { text: 'Ihr Browser hat das Anmeldefenster von TE Recruit blockiert.' });
      await byRole(page, 'button', 'Anmeldefenster von TE Recruit öffnen');
      await byRole(page, 'button', 'In diesem Fenster fortfahren');
      await screenshot(page, engine, 'i18n-connections-blocked-de');
      expect(await axeViolationsIn(page)).toEqual([]);
    });
  });

  describe('axe-core', () => {
    it.each([
      ['de', 'de-DE', GERMAN],
      ['ar', 'ar-EG', ARABIC],
    ] as const)('no violation on the sign-in and review steps in %s', async (name, locale, words) => {
      const { page } = await openPage(locale);
      await page.goto(`${suite.demo.consentUrl}?companyId=I18N-AXE-${name.toUpperCase()}`);
      await byRole(page, 'heading', words.signInTitle);
      expect(await axeViolationsIn(page), `sign-in, ${name}`).toEqual([]);
      await signInAndReview(page, words);
      expect(await axeViolationsIn(page), `review, ${name}`).toEqual([]);
    });

    it('no violation in the dark scheme, whose palette the widget follows', async () => {
      const dark = await openDarkPage(engine, suite.browser);
      try {
        const { page } = dark;
        await page.goto(`${suite.demo.consentUrl}?companyId=I18N-DARK`);
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
        await byRole(page, 'heading', 'Sign in to continue');
        await fillByLabel(page, 'Email', 'admin@acme.test');
        await fillByLabel(page, 'Password', 'wrong-password');
        await clickByRole(page, 'button', 'Sign in');
        await byRole(page, 'alert', undefined, { text: 'do not match' });
        expect(await axeViolationsIn(page), 'sign-in error, dark').toEqual([]);
        await fillByLabel(page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
        await clickByRole(page, 'button', 'Sign in');
        await byRole(page, 'heading', 'Connect to SmartRecruiters?');
        const background = await page.evaluate(() => getComputedStyle(document.querySelector('ats-consent')!.shadowRoot!.querySelector('[part="base"]')!).backgroundColor);
        expect(background).toBe('rgb(22, 27, 34)');
        await screenshot(page, engine, 'i18n-review-dark');
        expect(await axeViolationsIn(page), 'review, dark').toEqual([]);
      } finally {
        await dark.close();
      }
    });
  });
});
