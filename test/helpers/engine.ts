/**
 * One browser helper, the engine as a parameter: the system Chromium (CDP) or Debian's
 * firefox-esr (WebDriver BiDi), both driven by puppeteer-core. Never a downloaded browser.
 *
 * Tests written against this file run unchanged in every engine. The few page operations the
 * flows use (find by role + accessible name or by label, through open shadow roots; wait for
 * text; frames; popups; cookies; screenshots) are implemented here once, by an in-page query
 * rather than a driver-specific selector engine, so both engines answer the same question.
 *
 * `ENGINES=firefox` (or `chromium`) narrows a run to one engine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Cookie, type ElementHandle, type Frame, type HTTPRequest, type HTTPResponse, type Page } from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './browser.js';

export type Engine = 'chromium' | 'firefox';
/** `default`: the engine's own third-party cookie policy; `block`: every third-party cookie refused. */
export type CookieSetting = 'default' | 'block';

export const ALL_ENGINES: readonly Engine[] = ['chromium', 'firefox'];
export const ENGINES: readonly Engine[] = process.env.ENGINES
  ? ALL_ENGINES.filter((engine) => process.env.ENGINES!.split(',').includes(engine))
  : ALL_ENGINES;

/** Each engine with its default cookie policy, and Firefox once more with every third-party cookie refused. */
export const ENGINE_RUNS: ReadonlyArray<readonly [Engine, CookieSetting]> = ENGINES.flatMap(
  (engine): Array<readonly [Engine, CookieSetting]> => (engine === 'firefox' ? [[engine, 'default'], [engine, 'block']] : [[engine, 'default']]),
);

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Firefox prefs per cookie setting. puppeteer's Firefox profile turns cookie protection *off*
 * (`cookieBehavior0` in its content-blocking features), so the setting is always explicit here:
 * 5 is Firefox's shipped default (Total Cookie Protection: third-party cookies kept, partitioned
 * by the top-level site); 1 refuses every third-party cookie.
 */
export function firefoxCookiePrefs(setting: CookieSetting): Record<string, number | string | boolean> {
  const behavior = setting === 'block' ? 1 : 5;
  return {
    'network.cookie.cookieBehavior': behavior,
    'network.cookie.cookieBehavior.pbmode': behavior,
    'browser.contentblocking.features.standard': `-tp,tpPrivate,cookieBehavior${behavior},-cryptoTP,-fp`,
  };
}

export async function launchEngine(engine: Engine, cookies: CookieSetting = 'default'): Promise<Browser> {
  if (engine === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: {
        ...firefoxCookiePrefs(cookies),
        // A reload of a page that a form POST produced asks "Resend?" first, a prompt WebDriver BiDi
        // does not report (the reload would hang); this Gecko testing pref answers Resend, as
        // Chromium under automation does without asking.
        'dom.confirm_repost.testing.always_accept': true,
      },
    });
  }
  // Chromium's own "block third-party cookies" is a profile setting this helper does not set yet;
  // its refused-cookie path is proven by stripping Set-Cookie (hostile-embedding.test.ts).
  if (cookies === 'block') throw new Error('cookies: "block" is implemented for Firefox only');
  return puppeteer.launch({ browser: 'chrome', executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A page that prefers the dark colour scheme, in a context of its own. Chromium: CDP emulation.
 * Firefox: puppeteer has no BiDi command for media emulation ("CDP support is required"), so a
 * second Firefox is launched with its content colour-scheme pref set to dark (0). `close()` ends
 * whatever was opened.
 */
export async function openDarkPage(engine: Engine, browser: Browser): Promise<{ page: Page; close(): Promise<void> }> {
  if (engine === 'chromium') {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    return { page, close: () => context.close() };
  }
  const dark = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...firefoxCookiePrefs('default'), 'layout.css.prefers-color-scheme.content-override': 0 },
  });
  const page = await (await dark.createBrowserContext()).newPage();
  return { page, close: () => dark.close() };
}

/**
 * Replaces the body of the document at `matches` before the page sees it (headers kept, the CSP
 * included): the kit's response is fetched from Node, then handed to the engine. Every other
 * request goes on untouched. A response that sets a cookie is refused (it would be lost here).
 */
export async function rewriteDocument(page: Page, matches: (url: URL) => boolean, rewrite: (body: string) => string): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (!matches(new URL(request.url())) || request.method() !== 'GET') {
      void request.continue();
      return;
    }
    void (async () => {
      const response = await fetch(request.url(), { headers: request.headers(), redirect: 'manual' });
      if (response.headers.getSetCookie().length > 0) throw new Error(`rewriteDocument: ${request.url()} sets a cookie`);
      const headers = Object.fromEntries([...response.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding'].includes(name)));
      await request.respond({ status: response.status, headers, body: rewrite(await response.text()) });
    })().catch((error: unknown) => {
      void request.abort();
      throw error;
    });
  });
}

export type Surface = Page | Frame;
type NameMatch = string | RegExp;
type EncodedName = { source: string; flags: string } | string;
interface Query {
  /**
   * `first`: the first match or false (a waitForFunction predicate); `count`: how many match;
   * `texts`: the text of each match; `none`: true when nothing matches (a predicate).
   */
  want: 'first' | 'count' | 'texts' | 'none';
  kind: 'role' | 'label' | 'text' | 'css';
  role?: string;
  name?: EncodedName;
  /** Also required: the element's text (like Playwright's `filter({ hasText })`). */
  text?: EncodedName;
  css?: string;
}

/**
 * Narrows a query: `within` an element (its subtree and open shadow roots), and/or to elements
 * whose text matches `text` (a string is a substring, as Playwright's `hasText`).
 */
export interface FindOptions {
  within?: ElementHandle<Element>;
  text?: NameMatch;
  timeout?: number;
}

function encodeName(name: NameMatch | undefined): Query['name'] {
  if (name === undefined || typeof name === 'string') return name;
  return { source: name.source, flags: name.flags };
}

/**
 * Runs in the page, self-contained (passed to the driver as source, never through `new Function`,
 * which the kit's CSP rightly refuses): every element of the composed tree (document and open shadow roots) that
 * matches the query and is visible. Roles and names cover what the flows use: explicit `role`,
 * buttons, links, headings, inputs named by a wrapping or `for` label, `aria-label(ledby)`.
 */
function findInPage(query: Query, within: Element | null): Element | false | number | string[] | boolean {
  const normalize = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const test = (value: string, wanted: EncodedName | undefined, substring: boolean) => {
    if (wanted === undefined) return true;
    if (typeof wanted === 'string') return substring ? value.includes(wanted) : value === wanted;
    return new RegExp(wanted.source, wanted.flags).test(value);
  };
  const matches = (value: string) => test(value, query.name, false);
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot | Element) => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  if (within?.shadowRoot) walk(within.shadowRoot);
  walk(within ?? document);
  const visible = (element: Element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && (element.checkVisibility?.({ visibilityProperty: true } as CheckVisibilityOptions) ?? true);
  };
  const roleOf = (element: Element): string | undefined => {
    const explicit = element.getAttribute('role');
    if (explicit) return explicit;
    const tag = element.localName;
    if (tag === 'button' || (tag === 'input' && ['button', 'submit'].includes((element as HTMLInputElement).type))) return 'button';
    if (tag === 'a' && element.hasAttribute('href')) return 'link';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'input' && (element as HTMLInputElement).type === 'number') return 'spinbutton';
    if (tag === 'input' || tag === 'textarea') return 'textbox';
    if (tag === 'select') return 'combobox';
    if (tag === 'dialog') return 'dialog';
    if (tag === 'ul' || tag === 'ol') return 'list';
    if (tag === 'li') return 'listitem';
    if (tag === 'table') return 'table';
    if (tag === 'tr') return 'row';
    if (tag === 'td') return 'cell';
    if (tag === 'th') return element.closest('thead') ? 'columnheader' : 'rowheader';
    if (tag === 'fieldset') return 'group';
    // A section is a region only when it has a name (HTML-AAM).
    if (tag === 'section' && (element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby'))) return 'region';
    return undefined;
  };
  const labelOf = (element: Element): string => {
    const root = element.getRootNode() as Document | ShadowRoot;
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) return normalize(labelledBy.split(/\s+/).map((id) => root.getElementById?.(id)?.textContent).join(' '));
    const ariaLabel = element.getAttribute('aria-label');
    if (ariaLabel) return normalize(ariaLabel);
    if (element.localName === 'fieldset') {
      const legend = [...element.children].find((child) => child.localName === 'legend');
      if (legend) return normalize(legend.textContent);
    }
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return normalize([...labels].map((label) => label.textContent).join(' '));
    return '';
  };
  const nameOf = (element: Element) => labelOf(element) || normalize(element.textContent);
  const found = all.filter((element) => {
    if (!visible(element)) return false;
    if (!test(normalize(element.textContent), query.text, true)) return false;
    switch (query.kind) {
      case 'css':
        return element.matches(query.css!);
      case 'role':
        return roleOf(element) === query.role && matches(nameOf(element));
      case 'label':
        return ['input', 'textarea', 'select'].includes(element.localName) && matches(labelOf(element));
      case 'text':
        // The innermost element whose own text matches.
        return matches(normalize(element.textContent)) && ![...element.children].some((child) => matches(normalize(child.textContent)));
    }
  });
  if (query.want === 'count') return found.length;
  if (query.want === 'texts') return found.map((element) => normalize(element.textContent));
  if (query.want === 'none') return found.length === 0;
  return found[0] ?? false;
}

const TIMEOUT = 10_000;

type BaseQuery = Omit<Query, 'want' | 'text'>;
const optionsOf = (options: FindOptions | number | undefined): FindOptions => (typeof options === 'number' ? { timeout: options } : (options ?? {}));

async function waitForElement(surface: Surface, query: BaseQuery, options?: FindOptions | number): Promise<ElementHandle<Element>> {
  const { within, text, timeout = TIMEOUT } = optionsOf(options);
  const handle = await surface.waitForFunction(findInPage, { timeout, polling: 100 }, { ...query, text: encodeName(text), want: 'first' as const }, within ?? null);
  const element = handle.asElement() as ElementHandle<Element> | null;
  if (!element) throw new Error(`no element for ${JSON.stringify(query)}`);
  return element;
}

async function evaluateQuery<T>(surface: Surface, query: BaseQuery, want: 'count' | 'texts', options?: FindOptions): Promise<T> {
  const { within, text } = optionsOf(options);
  return (await surface.evaluate(findInPage, { ...query, text: encodeName(text), want }, within ?? null)) as T;
}

export const byRole = (surface: Surface, role: string, name?: NameMatch, options?: FindOptions | number) =>
  waitForElement(surface, { kind: 'role', role, name: encodeName(name) }, options);
export const byLabel = (surface: Surface, name: NameMatch, options?: FindOptions | number) =>
  waitForElement(surface, { kind: 'label', name: encodeName(name) }, options);
/** The innermost element whose text equals `text` (a string) or matches it (a RegExp). */
export const byText = (surface: Surface, text: NameMatch, options?: FindOptions | number) =>
  waitForElement(surface, { kind: 'text', name: encodeName(text) }, options);
export const byCss = (surface: Surface, css: string, options?: FindOptions | number) => waitForElement(surface, { kind: 'css', css }, options);
export const countByRole = (surface: Surface, role: string, name?: NameMatch, options?: FindOptions) =>
  evaluateQuery<number>(surface, { kind: 'role', role, name: encodeName(name) }, 'count', options);
export const countByText = (surface: Surface, text: NameMatch, options?: FindOptions) =>
  evaluateQuery<number>(surface, { kind: 'text', name: encodeName(text) }, 'count', options);
export const countByCss = (surface: Surface, css: string) => evaluateQuery<number>(surface, { kind: 'css', css }, 'count');
/** The text of every visible element with `role` (and `name`), in document order (Playwright's `allTextContents`, whitespace collapsed). */
export const textsByRole = (surface: Surface, role: string, name?: NameMatch, options?: FindOptions) =>
  evaluateQuery<string[]>(surface, { kind: 'role', role, name: encodeName(name) }, 'texts', options);

/** Waits until no visible element has `role` (and `name`): a dialog closed, a row gone. */
export async function waitForNoRole(surface: Surface, role: string, name?: NameMatch, options?: FindOptions | number): Promise<void> {
  const { within, text, timeout = TIMEOUT } = optionsOf(options);
  await surface.waitForFunction(findInPage, { timeout, polling: 100 }, { kind: 'role' as const, role, name: encodeName(name), text: encodeName(text), want: 'none' as const }, within ?? null);
}

/** A RegExp matching `text` literally, anywhere: for "contains" where a string would mean "equals". */
export const containing = (text: string, flags = ''): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);

export async function fillByLabel(surface: Surface, label: NameMatch, value: string, options?: FindOptions): Promise<void> {
  const input = await byLabel(surface, label, options);
  await input.click();
  // Emptied first (a triple click does not select everything in every engine and field type).
  await input.evaluate((element) => ((element as HTMLInputElement).value = ''));
  await input.type(value);
}

/** Ticks (`checked` true) or clears a checkbox found by its label, by clicking it as a person does. */
export async function setCheckedByLabel(surface: Surface, label: NameMatch, checked: boolean, options?: FindOptions): Promise<void> {
  const box = await byLabel(surface, label, options);
  if ((await box.evaluate((element) => (element as HTMLInputElement).checked)) !== checked) await box.click();
  if ((await box.evaluate((element) => (element as HTMLInputElement).checked)) !== checked) throw new Error(`the box "${String(label)}" did not change`);
}

/** Chooses the option whose text (or else value) is `option` in the select found by its label. */
export async function selectByLabel(surface: Surface, label: NameMatch, option: string, options?: FindOptions): Promise<void> {
  const select = await byLabel(surface, label, options);
  await selectIn(select, option);
}

/** Chooses the option whose text (or else value) is `option` in `select`. */
export async function selectIn(select: ElementHandle<Element>, option: string): Promise<void> {
  const value = await select.evaluate((element, text) => {
    const all = [...(element as HTMLSelectElement).options];
    return (all.find((candidate) => candidate.textContent?.trim() === text) ?? all.find((candidate) => candidate.value === text))?.value;
  }, option);
  if (value === undefined) throw new Error(`no option "${option}"`);
  await (select as ElementHandle<HTMLSelectElement>).select(value);
}

export async function fillCss(surface: Surface, css: string, value: string): Promise<void> {
  const input = await byCss(surface, css);
  await input.evaluate((element) => ((element as HTMLInputElement).value = ''));
  await input.type(value);
}

export async function clickByRole(surface: Surface, role: string, name: NameMatch, options?: FindOptions): Promise<void> {
  await (await byRole(surface, role, name, options)).click();
}

/** Waits until an element matching `css` (in the light DOM of `surface`) contains `text`. */
export async function waitForText(surface: Surface, css: string, text: string, timeout = TIMEOUT): Promise<void> {
  await surface.waitForFunction(
    (selector: string, expected: string) => [...document.querySelectorAll(selector)].some((element) => element.textContent?.includes(expected)),
    { timeout, polling: 100 },
    css,
    text,
  );
}

export async function waitForHidden(surface: Surface, css: string, timeout = TIMEOUT): Promise<void> {
  await surface.waitForFunction(
    (selector: string) => {
      const element = document.querySelector(selector);
      return !element || element.getBoundingClientRect().height === 0 || (element as HTMLElement).hidden;
    },
    { timeout, polling: 100 },
    css,
  );
}

export async function waitForFrame(page: Page, url: RegExp, timeout = TIMEOUT): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame() && url.test(candidate.url()));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame with a URL matching ${url}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitForUrl(page: Page, test: (url: URL) => boolean, timeout = TIMEOUT): Promise<URL> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const url = new URL(page.url());
    if (test(url)) return url;
    if (Date.now() > deadline) throw new Error(`the page stayed at ${page.url()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `action` and returns the window it opened. */
export async function waitForPopup(page: Page, action: () => Promise<unknown>, timeout = TIMEOUT): Promise<Page> {
  const popup = new Promise<Page>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no popup opened')), timeout);
    page.once('popup', (opened) => {
      clearTimeout(timer);
      if (opened) resolve(opened);
    });
  });
  await action();
  return popup;
}

const ARTIFACTS = join('test-results', 'screenshots');

/** test-results/screenshots/<engine>/<name>.png */
export async function screenshot(page: Page, engine: Engine, name: string): Promise<void> {
  mkdirSync(join(ARTIFACTS, engine), { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, engine, `${name}.png`) as `${string}.png`, fullPage: true });
}

export interface SeenCookie {
  name: string;
  domain: string;
  sameSite?: string;
  secure: boolean;
  httpOnly: boolean;
  partitionKey?: string;
}

/** Every cookie a browser context holds, in every partition (BiDi storage / CDP Storage). */
export async function allCookies(context: { cookies(): Promise<Cookie[]> }): Promise<SeenCookie[]> {
  const cookies: Cookie[] = await context.cookies();
  return cookies.map((cookie) => ({
    name: cookie.name,
    domain: cookie.domain,
    sameSite: cookie.sameSite,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly ?? false,
    ...(cookie.partitionKey === undefined
      ? {}
      : { partitionKey: typeof cookie.partitionKey === 'string' ? cookie.partitionKey : cookie.partitionKey.sourceOrigin }),
  }));
}

export interface KitTraffic {
  /** `Set-Cookie` headers the kit's responses carried (as the browser received them). */
  setCookies: string[];
  /** Kit requests, with whether each carried a Cookie header and the session header. */
  requests: Array<{ method: string; path: string; cookie: boolean; sessionHeader: boolean }>;
}

/**
 * Records the kit's side of the traffic as the browser saw it. Request headers are read again when
 * the response arrives: over CDP the Cookie header comes in a later event (requestWillBeSentExtraInfo)
 * that may follow the request event.
 */
export function recordKitTraffic(page: Page, kitUrl: string): KitTraffic {
  const traffic: KitTraffic = { setCookies: [], requests: [] };
  const entries = new Map<HTTPRequest, KitTraffic['requests'][number]>();
  const hasHeader = (request: HTTPRequest, wanted: string) =>
    Object.entries(request.headers()).some(([name, value]) => name.toLowerCase() === wanted && value !== '');
  const read = (request: HTTPRequest) => {
    const entry = entries.get(request);
    if (!entry) return;
    entry.cookie = hasHeader(request, 'cookie');
    entry.sessionHeader = hasHeader(request, 'x-ats-session');
  };
  page.on('request', (request) => {
    if (!request.url().startsWith(kitUrl)) return;
    const entry = { method: request.method(), path: new URL(request.url()).pathname, cookie: false, sessionHeader: false };
    entries.set(request, entry);
    traffic.requests.push(entry);
    read(request);
  });
  page.on('response', (response: HTTPResponse) => {
    if (!response.url().startsWith(kitUrl)) return;
    read(response.request());
    const header = Object.entries(response.headers()).find(([name]) => name.toLowerCase() === 'set-cookie');
    if (header) traffic.setCookies.push(...header[1].split('\n'));
  });
  page.on('requestfinished', read);
  return traffic;
}

export async function waitForClosed(page: Page, timeout = TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!page.isClosed()) {
    if (Date.now() > deadline) throw new Error(`the window at ${page.url()} stayed open`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
