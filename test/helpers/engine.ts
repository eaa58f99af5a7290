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
      extraPrefsFirefox: firefoxCookiePrefs(cookies),
    });
  }
  // Chromium's own "block third-party cookies" is a profile setting this helper does not set yet;
  // its refused-cookie path is proven by stripping Set-Cookie (hostile-embedding.test.ts).
  if (cookies === 'block') throw new Error('cookies: "block" is implemented for Firefox only');
  return puppeteer.launch({ browser: 'chrome', executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

export type Surface = Page | Frame;
type NameMatch = string | RegExp;
interface Query {
  /** `first`: the first match or false (a waitForFunction predicate); `count`: how many match. */
  want: 'first' | 'count';
  kind: 'role' | 'label' | 'text' | 'css';
  role?: string;
  name?: { source: string; flags: string } | string;
  css?: string;
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
function findInPage(query: Query): Element | false | number {
  const normalize = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const matches = (value: string) => {
    const name = query.name;
    if (name === undefined) return true;
    if (typeof name === 'string') return value === name;
    return new RegExp(name.source, name.flags).test(value);
  };
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot) => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
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
    if (tag === 'input' || tag === 'textarea') return 'textbox';
    if (tag === 'select') return 'combobox';
    if (tag === 'dialog') return 'dialog';
    return undefined;
  };
  const labelOf = (element: Element): string => {
    const root = element.getRootNode() as Document | ShadowRoot;
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) return normalize(labelledBy.split(/\s+/).map((id) => root.getElementById?.(id)?.textContent).join(' '));
    const ariaLabel = element.getAttribute('aria-label');
    if (ariaLabel) return normalize(ariaLabel);
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return normalize([...labels].map((label) => label.textContent).join(' '));
    return '';
  };
  const nameOf = (element: Element) => labelOf(element) || normalize(element.textContent);
  const found = all.filter((element) => {
    if (!visible(element)) return false;
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
  return query.want === 'count' ? found.length : (found[0] ?? false);
}

async function waitForElement(surface: Surface, query: Omit<Query, 'want'>, timeout: number): Promise<ElementHandle<Element>> {
  const handle = await surface.waitForFunction(findInPage, { timeout, polling: 100 }, { ...query, want: 'first' as const });
  const element = handle.asElement() as ElementHandle<Element> | null;
  if (!element) throw new Error(`no element for ${JSON.stringify(query)}`);
  return element;
}

async function countElements(surface: Surface, query: Omit<Query, 'want'>): Promise<number> {
  return (await surface.evaluate(findInPage, { ...query, want: 'count' as const })) as number;
}

const TIMEOUT = 10_000;

export const byRole = (surface: Surface, role: string, name?: NameMatch, timeout = TIMEOUT) =>
  waitForElement(surface, { kind: 'role', role, name: encodeName(name) }, timeout);
export const byLabel = (surface: Surface, name: NameMatch, timeout = TIMEOUT) =>
  waitForElement(surface, { kind: 'label', name: encodeName(name) }, timeout);
export const byText = (surface: Surface, text: NameMatch, timeout = TIMEOUT) =>
  waitForElement(surface, { kind: 'text', name: encodeName(text) }, timeout);
export const byCss = (surface: Surface, css: string, timeout = TIMEOUT) => waitForElement(surface, { kind: 'css', css }, timeout);
export const countByRole = (surface: Surface, role: string, name?: NameMatch) =>
  countElements(surface, { kind: 'role', role, name: encodeName(name) });
export const countByCss = (surface: Surface, css: string) => countElements(surface, { kind: 'css', css });

export async function fillByLabel(surface: Surface, label: NameMatch, value: string): Promise<void> {
  const input = await byLabel(surface, label);
  await input.click({ count: 3 });
  await input.type(value);
}

export async function fillCss(surface: Surface, css: string, value: string): Promise<void> {
  const input = await byCss(surface, css);
  await input.evaluate((element) => ((element as HTMLInputElement).value = ''));
  await input.type(value);
}

export async function clickByRole(surface: Surface, role: string, name: NameMatch): Promise<void> {
  await (await byRole(surface, role, name)).click();
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
