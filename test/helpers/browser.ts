/**
 * Real Chromium for browser tests: the system package (Debian's `chromium`, or CHROMIUM_PATH),
 * driven by playwright-core. Never a downloaded browser.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    headless: true,
  });
}

const ARTIFACTS = join('test-results', 'screenshots');

/** Saves a screenshot as a test artifact under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until `selector` on `page` contains `text` (the page may still be refreshing it). */
export async function waitForText(page: Page, selector: string, text: string, timeout = 5_000): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout });
}
