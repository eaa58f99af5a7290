/**
 * Shared setup of a browser test file: one Chromium and one demo per file, a fresh browser
 * context and page per test. Read `suite.page` etc. inside tests (they change per test).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DemoOptions } from '../../demo/start-demo.js';
import { launchChromium } from './browser.js';
import { startTestDemo, type TestDemo } from './demo-fixture.js';

export interface BrowserSuite {
  browser: Browser;
  demo: TestDemo;
  context: BrowserContext;
  page: Page;
}

export function useBrowserSuite(options: { demo?: DemoOptions; context?: BrowserContextOptions } = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  beforeAll(async () => {
    suite.browser = await launchChromium();
    suite.demo = await startTestDemo(options.demo);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.demo?.stop();
  });
  beforeEach(async () => {
    suite.context = await suite.browser.newContext(options.context);
    suite.page = await suite.context.newPage();
  });
  afterEach(async () => {
    await suite.context?.close();
  });
  return suite;
}
