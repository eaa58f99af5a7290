/**
 * Layout in every language, in every engine (test/helpers/engine.ts: Chromium and Firefox through
 * puppeteer-core; their fonts and text layout differ): a pseudo-locale (every English text
 * accented and 40 % longer, the usual stand-in for long translations) renders every step without
 * clipped text or anything sticking out of the widget at 320 px and 1280 px; and a screenshot of
 * the review step in every shipped locale (Arabic right to left included) and the pseudo-locale is
 * written under test-results/screenshots/<engine>/, each checked the same way.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import type { Message, PartialCatalogue } from '../../widget/i18n/catalogue.js';
import { SHIPPED_LOCALES } from '../../server/i18n/shipped.js';
import { byCss, ENGINES, fillCss, screenshot } from '../helpers/engine.js';
import { useEngineSuite } from '../helpers/engine-suite.js';

const PSEUDO = 'qps-ploc';
const ACCENTED: Record<string, string> = { a: 'á', e: 'é', i: 'î', o: 'ö', u: 'ü', c: 'ç', n: 'ñ', s: 'š', y: 'ý', A: 'Å', E: 'É', I: 'Î', O: 'Ö', U: 'Ü' };

/** Accented, placeholders kept, padded with short words to 140 % (words, so it can wrap like a real language). */
function pseudo(text: string): string {
  const accented = text
    .split(/(\{\w+\})/)
    .map((part, index) => (index % 2 ? part : [...part].map((char) => ACCENTED[char] ?? char).join('')))
    .join('');
  const words: string[] = [];
  while (words.join(' ').length < text.length * 0.4) words.push('ƥšéüđö');
  return `${accented} ${words.join(' ')}`;
}

function pseudoSection(section: Readonly<Record<string, Message>> | undefined): Record<string, Message> {
  return Object.fromEntries(
    Object.entries(section ?? {}).map(([key, message]) => [
      key,
      typeof message === 'string' ? pseudo(message) : (Object.fromEntries(Object.entries(message).map(([form, text]) => [form, pseudo(text!)])) as Message),
    ]),
  );
}

const english = SHIPPED_LOCALES.en!;
const pseudoCatalogue: PartialCatalogue = {
  ui: pseudoSection(english.ui as Record<string, Message>),
  errors: pseudoSection(english.errors),
  scopes: pseudoSection(english.scopes) as Record<string, string>,
  pages: pseudoSection(english.pages),
};

/** Whatever of the widget overflows: text wider than its box, or a box outside the surface, or the page scrolling sideways. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    const root = document.querySelector('ats-consent')!.shadowRoot!;
    const surface = root.querySelector('[part="base"]')!.getBoundingClientRect();
    for (const element of root.querySelectorAll<HTMLElement>('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const name = `${element.tagName.toLowerCase()}${element.getAttribute('part') ? `[part=${element.getAttribute('part')}]` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
      if (box.left < surface.left - 0.5 || box.right > surface.right + 0.5) problems.push(`${name} sticks out of the surface`);
      if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1) problems.push(`${name} is clipped (${element.scrollWidth} > ${element.clientWidth})`);
    }
    return problems;
  });
}

async function signIn(page: Page, password = DEMO_PASSWORDS['admin@acme.test']!): Promise<void> {
  await fillCss(page, 'input[name="username"]', 'admin@acme.test');
  await fillCss(page, 'input[name="password"]', password);
  await (await byCss(page, '[part="sign-in-button"]')).click();
}

/** The title's text (as `innerText`, what is rendered). */
const stepTitle = async (page: Page) => (await byCss(page, '[part="title"]')).evaluate((element) => (element as HTMLElement).innerText);

/** Waits until the step title reads `text`. */
const titleIs = (page: Page, text: string) =>
  page.waitForFunction(
    (expected: string) => document.querySelector('ats-consent')?.shadowRoot?.querySelector<HTMLElement>('[part="title"]')?.innerText.includes(expected) ?? false,
    { timeout: 10_000, polling: 100 },
    text,
  );

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine, { demo: { timeoutMs: 1_000, kitOptions: { i18n: { catalogues: { [PSEUDO]: pseudoCatalogue } } } } });

  /** A fresh browser context (no session yet) with `locale` as its Accept-Language, `width` px wide. */
  async function openIn(locale: string, width: number): Promise<Page> {
    const context = await suite.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width, height: 900 });
    await page.setExtraHTTPHeaders({ 'accept-language': locale });
    return page;
  }

  describe('pseudo-locale: every step fits', () => {
    it.each([320, 1280])('at %i px: sign-in, sign-in error, review, error with Retry, done; and denied', async (width) => {
      const page = await openIn(PSEUDO, width);
      try {
        const company = `PSEUDO-${width}`;
        const checked: Array<[string, string[]]> = [];
        const check = async (step: string) => {
          checked.push([step, await layoutProblems(page)]);
          await screenshot(page, engine, `pseudo-${width}-${step}`);
        };
        await page.goto(`${suite.demo.consentUrl}?companyId=${company}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(PSEUDO);
        await byCss(page, '[part="sign-in-form"]');
        expect(await stepTitle(page)).toContain('ƥšéüđö');
        await check('sign-in');
        await signIn(page, 'not-the-password');
        await byCss(page, '[part="error"][role="alert"]', { text: 'ƥšéüđö' });
        await check('sign-in-error');
        await signIn(page);
        await byCss(page, '[part="consent-button"]');
        await check('review');
        suite.demo.fakeSr.injectFault('status-500');
        const approve = await byCss(page, '[part="consent-button"]');
        await approve.hover();
        await page.waitForFunction((element) => !(element as HTMLButtonElement).disabled, { timeout: 5_000, polling: 50 }, approve);
        await approve.click();
        await byCss(page, '[part="retry-button"]');
        await check('error-retry');
        await (await byCss(page, '[part="retry-button"]')).click();
        await titleIs(page, pseudo('Connected'));
        await check('done');
        await page.goto(`${suite.demo.consentUrl}?companyId=${company}-DENIED`);
        await byCss(page, '[part="consent-button"]');
        await (await byCss(page, '[part="deny-button"]')).click();
        await titleIs(page, pseudo('Not connected'));
        await check('denied');
        expect(checked.filter(([, problems]) => problems.length > 0)).toEqual([]);
        expect(checked.map(([step]) => step)).toEqual(['sign-in', 'sign-in-error', 'review', 'error-retry', 'done', 'denied']);
      } finally {
        await page.browserContext().close();
      }
    });
  });

  describe('review step screenshots', () => {
    it('in every shipped locale and the pseudo-locale, at 1280 and 320 px', async () => {
      for (const locale of [...Object.keys(SHIPPED_LOCALES), PSEUDO]) {
        for (const width of [1280, 320]) {
          const page = await openIn(locale, width);
          try {
            await page.goto(`${suite.demo.consentUrl}?companyId=SHOT-${locale}-${width}`);
            await byCss(page, '[part="sign-in-form"]');
            await signIn(page);
            await byCss(page, '[part="consent-button"]');
            expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
            expect(await layoutProblems(page), `${locale} at ${width} px`).toEqual([]);
            await screenshot(page, engine, `review-${locale}-${width}`);
          } finally {
            await page.browserContext().close();
          }
        }
      }
    });
  });
});
