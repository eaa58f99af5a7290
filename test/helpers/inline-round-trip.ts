/**
 * The end of the inline candidate round trip (seed 003 inline orders), once the candidate is on
 * SR's candidate-done page after Finish: SR holds the one COMPLETED result, Finish again records
 * nothing new, and the partner's orders page shows it delivered with no file form. Shared by the
 * two engine files that reach that point (the QA-page flow and the results pages).
 */
import type { BrowserContext, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { byRole, byText, clickByRole, containing, countByRole, waitForUrl } from './engine.js';
import type { TestDemo } from './demo-fixture.js';

export async function expectInlineRoundTripSettled(options: {
  page: Page;
  context: BrowserContext;
  demo: TestDemo;
  inlineOrderId: string;
  /** Opens the partner's orders page, signed in, in the given page. */
  openOrdersPage: (page: Page) => Promise<unknown>;
}): Promise<void> {
  const { page, context, demo, inlineOrderId } = options;
  const held = demo.fakeSr.assessment!.orders.get(inlineOrderId)!;
  expect(held.result).toMatchObject({ status: 'COMPLETED', score: { raw: 4, min: 0, max: 5 }, scoreLabel: '4 of 5 answers right', submissionDate: expect.any(String) });
  expect(held.patches).toHaveLength(1);

  // Back to the take page and Finish again: nothing new is recorded, the candidate is sent back again.
  await page.goBack();
  await waitForUrl(page, (url) => url.origin === demo.kitUrl && url.pathname.startsWith('/assessment/take/'));
  await clickByRole(page, 'button', 'Finish assessment');
  await waitForUrl(page, (url) => url.origin === demo.srUrl && url.pathname === '/assessment/candidate-done');
  await byText(page, 'Result status: COMPLETED');
  expect(demo.fakeSr.assessment!.orders.get(inlineOrderId)!.patches).toHaveLength(1);

  // The partner's page: delivered; no file form for an inline order.
  const partner = await context.newPage();
  await options.openOrdersPage(partner);
  const order = await byRole(partner, 'region', inlineOrderId);
  await byRole(partner, 'status', 'Delivery', { within: order, text: 'Delivery: delivered' });
  expect(await countByRole(partner, 'button', 'Send attachment', { within: order })).toBe(0);
  await byText(partner, containing('SmartRecruiters takes no attachment files for inline orders'), { within: order });
}
