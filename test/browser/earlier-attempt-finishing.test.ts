/**
 * While another attempt holds the company's exchange (a slow one, another tab, or one on an instance
 * that died and whose lease is about to lapse), `<ats-consent>` says so instead of spinning, and
 * asks again by itself until that attempt settles (issue 9 item 7). The waiting step is accessible.
 */
import { expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { approve, signIn } from '../helpers/consent-page.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

// axe needs to inject its script; the page's CSP (tested elsewhere) would refuse it.
const suite = useBrowserSuite({ context: { bypassCSP: true } });

it('shows "Finishing an earlier attempt…", asks again by itself, and completes when that attempt does', async () => {
  const companyId = 'EARLIER-ATTEMPT';
  const store = suite.demo.kit.store;
  await suite.page.goto(`${suite.demo.consentUrl}?companyId=${companyId}`);
  await signIn(suite.page);
  // Another kit instance is mid-exchange for this company: its row, its lease.
  await store.integrations.insertPending(
    { id: `other-${companyId}`, companyId, tenantId: 'tenant-acme', approvedBy: 'user-acme-admin', issuedClientId: `other-${companyId}`, issuedSecretHash: 'v1.x', issuedSecretPending: 'v1.y' },
    Date.now(),
  );
  expect(await store.integrations.acquireLease(companyId, 'other-instance', Date.now() + 60_000, Date.now())).toBe(true);
  let approvals = 0;
  suite.page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/approve')) approvals += 1;
  });

  const errors: string[] = [];
  await suite.page.exposeFunction('recordAtsError', (code: string) => errors.push(code));
  await suite.page.evaluate(() =>
    document.querySelector('ats-consent')!.addEventListener('ats-error', (event) => (window as unknown as { recordAtsError(code: string): void }).recordAtsError((event as CustomEvent<{ code: string }>).detail.code)),
  );

  await approve(suite.page);
  await suite.page.getByRole('heading', { name: 'Connecting…' }).waitFor();
  // The kit waits up to 3 s for the other attempt's outcome before it answers "in progress".
  await suite.page
    .getByRole('heading', { name: 'Finishing an earlier attempt…' })
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      const shown = await suite.page.evaluate(() => document.querySelector('ats-consent')?.shadowRoot?.textContent?.replace(/\s+/g, ' '));
      // (The bundle under test is dist/, built by the test run's global setup: a stale one lacks this step.)
      throw new Error(`the waiting step did not show; the widget shows: ${shown}`, { cause: error });
    });
  await suite.page.getByRole('status').filter({ hasText: 'still finishing' }).waitFor();
  await screenshot(suite.page, 'step-waiting');
  expect(await axeViolations(suite.page), 'axe violations on the waiting step').toEqual([]);
  await expect.poll(() => approvals, { timeout: 10_000 }).toBeGreaterThanOrEqual(2); // it asked again by itself

  // The other instance finishes.
  await store.integrations.activate(companyId, 'other-instance', { srCredentials: 'v1.z', srIntegrationId: 'from-other' }, Date.now());
  await suite.page.getByRole('heading', { name: 'Connected' }).waitFor({ timeout: 10_000 });
  expect(errors).toEqual([]); // waiting is not an error
});
