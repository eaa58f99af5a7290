/**
 * `<ats-consent>` embedded in a partner's own page with one module script and the tag: it completes
 * the flow there, fires its events, and takes the partner's theme through `--ats-*` and `::part`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let browser: Browser;
let demo: TestDemo;
beforeAll(async () => {
  browser = await launchChromium();
  demo = await startTestDemo();
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('embedded mode', () => {
  it('is themed by the partner page and completes the flow, without posting any message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.kitUrl}/embedded?companyId=EMBEDDED-1`);
    await signIn(page);
    const button = page.getByRole('button', { name: 'Approve' });
    const style = await button.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, transform: computed.textTransform, radius: computed.borderTopLeftRadius };
    });
    expect(style).toEqual({ background: 'rgb(122, 28, 84)', transform: 'uppercase', radius: '1.5px' });
    await screenshot(page, 'embedded-themed-review');
    const granted = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('ats-consent-granted', (event) => resolve((event as CustomEvent).detail), { once: true })),
    );
    await approve(page);
    expect(await granted).toEqual({ companyId: 'EMBEDDED-1', mode: 'embedded' });
    expect((await demo.kit.integrations.get('EMBEDDED-1'))?.state).toBe('active');
    await context.close();
  });
});
