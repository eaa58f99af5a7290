/**
 * Layout in every language: a pseudo-locale (every English text accented and 40 % longer, the
 * usual stand-in for long translations) renders every step without clipped text or anything
 * sticking out of the widget at 320 px and 1280 px; and a screenshot of the review step in every
 * shipped locale (and the pseudo-locale) is written under test-results/screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import type { Message, PartialCatalogue } from '../../widget/i18n/catalogue.js';
import { SHIPPED_LOCALES } from '../../server/i18n/shipped.js';
import { screenshot } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

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

const suite = useBrowserSuite({ demo: { timeoutMs: 1_000, kitOptions: { i18n: { catalogues: { [PSEUDO]: pseudoCatalogue } } } } });

async function openIn(locale: string, width: number): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: { 'accept-language': locale } });
  return context.newPage();
}

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
  await page.locator('input[name="username"]').fill('admin@acme.test');
  await page.locator('input[name="password"]').fill(password);
  await page.locator('[part="sign-in-button"]').click();
}

const stepTitle = (page: Page) => page.locator('[part="title"]').innerText();

describe('pseudo-locale: every step fits', () => {
  for (const width of [320, 1280]) {
    it(`at ${width} px: sign-in, sign-in error, review, error with Retry, done; and denied`, async () => {
      const page = await openIn(PSEUDO, width);
      const company = `PSEUDO-${width}`;
      const checked: Array<[string, string[]]> = [];
      const check = async (step: string) => {
        checked.push([step, await layoutProblems(page)]);
        await screenshot(page, `pseudo-${width}-${step}`);
      };
      await page.goto(`${suite.demo.consentUrl}?companyId=${company}`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(PSEUDO);
      await page.locator('[part="sign-in-form"]').waitFor();
      expect(await stepTitle(page)).toContain('ƥšéüđö');
      await check('sign-in');
      await signIn(page, 'not-the-password');
      await page.locator('[part="error"][role="alert"]', { hasText: 'ƥšéüđö' }).waitFor();
      await check('sign-in-error');
      await signIn(page);
      await page.locator('[part="consent-button"]').waitFor();
      await check('review');
      suite.demo.fakeSr.injectFault('status-500');
      const approve = page.locator('[part="consent-button"]');
      await approve.hover();
      await approve.click({ timeout: 5_000 });
      await page.locator('[part="retry-button"]').waitFor();
      await check('error-retry');
      await page.locator('[part="retry-button"]').click();
      await page.locator('[part="title"]', { hasText: pseudo('Connected') }).waitFor();
      await check('done');
      await page.goto(`${suite.demo.consentUrl}?companyId=${company}-DENIED`);
      await page.locator('[part="consent-button"]').waitFor();
      await page.locator('[part="deny-button"]').click();
      await page.locator('[part="title"]', { hasText: pseudo('Not connected') }).waitFor();
      await check('denied');
      expect(checked.filter(([, problems]) => problems.length > 0)).toEqual([]);
      expect(checked.map(([step]) => step)).toEqual(['sign-in', 'sign-in-error', 'review', 'error-retry', 'done', 'denied']);
      await page.context().close();
    });
  }
});

describe('review step screenshots', () => {
  it('in every shipped locale and the pseudo-locale, at 1280 and 320 px', async () => {
    for (const locale of [...Object.keys(SHIPPED_LOCALES), PSEUDO]) {
      for (const width of [1280, 320]) {
        const page = await openIn(locale, width);
        await page.goto(`${suite.demo.consentUrl}?companyId=SHOT-${locale}-${width}`);
        await page.locator('[part="sign-in-form"]').waitFor();
        await signIn(page);
        await page.locator('[part="consent-button"]').waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
        expect(await layoutProblems(page), `${locale} at ${width} px`).toEqual([]);
        await screenshot(page, `review-${locale}-${width}`);
        await page.context().close();
      }
    }
  });
});
