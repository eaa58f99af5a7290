/**
 * Shared setup of an engine-parametrized browser test file: per engine one browser (with the
 * given cookie setting) and one demo, a fresh browser context and page per test. Call it inside
 * `describe.each(ENGINES)` so each engine gets its own hooks; read `suite.page` inside tests.
 *
 * Also the consent page's steps, written once against the engine helper.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DemoOptions } from '../../demo/start-demo.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { PROVIDER_USERS } from '../../demo/provider-fakes.js';
import { startTestDemo, type TestDemo } from './demo-fixture.js';
import { byRole, fillByLabel, clickByRole, launchEngine, type CookieSetting, type Engine, type Surface } from './engine.js';

export interface EngineSuite {
  engine: Engine;
  browser: Browser;
  demo: TestDemo;
  context: BrowserContext;
  page: Page;
}

export function useEngineSuite(engine: Engine, options: { cookies?: CookieSetting; demo?: DemoOptions } = {}): EngineSuite {
  const suite = { engine } as EngineSuite;
  beforeAll(async () => {
    [suite.browser, suite.demo] = await Promise.all([launchEngine(engine, options.cookies), startTestDemo(options.demo)]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.demo?.stop();
  });
  beforeEach(async () => {
    suite.context = await suite.browser.createBrowserContext();
    suite.page = await suite.context.newPage();
  });
  afterEach(async () => {
    await suite.context?.close();
  });
  return suite;
}

export async function signIn(surface: Surface, username = 'admin@acme.test'): Promise<void> {
  await byRole(surface, 'heading', 'Sign in to continue');
  await fillByLabel(surface, 'Email', username);
  await fillByLabel(surface, 'Password', DEMO_PASSWORDS[username]!);
  await clickByRole(surface, 'button', 'Sign in');
  await byRole(surface, 'heading', 'Connect to SmartRecruiters?');
}

/** Clicks Approve the way a person does: the pointer moves onto it first (T9 guard). */
export async function approve(surface: Surface): Promise<void> {
  const button = await byRole(surface, 'button', 'Approve');
  await button.hover();
  await surface.waitForFunction((element) => !(element as HTMLButtonElement).disabled, { timeout: 5_000, polling: 50 }, button);
  await button.click();
}

export type ProviderId = keyof typeof PROVIDER_USERS;

export async function approveAtProvider(page: Page, provider: ProviderId): Promise<void> {
  await fillByLabel(page, 'Username', PROVIDER_USERS[provider].username);
  await fillByLabel(page, 'Password', PROVIDER_USERS[provider].password);
  await clickByRole(page, 'button', 'Authorize');
}

export async function denyAtProvider(page: Page): Promise<void> {
  await clickByRole(page, 'button', 'Deny');
}
