/**
 * `<ats-consent>` embedded in a partner's own page with one module script and the tag: it completes
 * the flow there, fires its events, and takes the partner's theme through `--ats-*` and `::part`.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();

describe('embedded mode', () => {
  it('is themed by the partner page and completes the flow, without posting any message', async () => {
    await suite.page.goto(`${suite.demo.kitUrl}/embedded?companyId=EMBEDDED-1`);
    await signIn(suite.page);
    const button = suite.page.getByRole('button', { name: 'Approve' });
    const style = await button.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, transform: computed.textTransform, radius: computed.borderTopLeftRadius };
    });
    expect(style).toEqual({ background: 'rgb(122, 28, 84)', transform: 'uppercase', radius: '1.5px' });
    await screenshot(suite.page, 'embedded-themed-review');
    const granted = suite.page.evaluate(
      () => new Promise((resolve) => document.addEventListener('ats-consent-granted', (event) => resolve((event as CustomEvent).detail), { once: true })),
    );
    await approve(suite.page);
    expect(await granted).toEqual({ companyId: 'EMBEDDED-1', mode: 'embedded' });
    expect((await suite.demo.kit.integrations.get('EMBEDDED-1'))?.state).toBe('active');
  });
});
