/**
 * A provider connection from the partner's page in every engine (RFC 6749 §4.1 with PKCE): by
 * popup, by full page, and the blocked-popup fallback (one provider per path here; each provider's
 * popup, full-page and blocked paths against its fake are covered in provider-connections.test.ts);
 * a denial at each provider; COOP at the provider (reference/security.md T15); and a third site
 * that tries to start a connection for the signed-in user (T3, issue 13 finding 6). The same body
 * in each engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { startAttackerSite, type AttackerSite } from '../helpers/attacker-site.js';
import { byRole, byText, clickByRole, ENGINES, fillByLabel, screenshot, waitForClosed, waitForPopup, waitForUrl } from '../helpers/engine.js';
import { approveAtProvider, denyAtProvider, useEngineSuite, type ProviderId } from '../helpers/engine-suite.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';

const PROVIDERS: Array<{ id: ProviderId; name: string }> = [
  { id: 'te-recruit', name: 'TE Recruit' },
  { id: 'careerplug', name: 'CareerPlug' },
  { id: 'total-expert', name: 'Total Expert' },
];

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  async function openConnections(path = '/connections') {
    await suite.page.goto(suite.demo.kitUrl + path);
    await byRole(suite.page, 'heading', 'Sign in to continue');
    await fillByLabel(suite.page, 'Email', 'admin@acme.test');
    await fillByLabel(suite.page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
    await clickByRole(suite.page, 'button', 'Sign in');
    await byRole(suite.page, 'heading', 'Connected systems');
  }

  async function expectConnected(provider: ProviderId) {
    const connected = (await suite.demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter(
      (entry) => entry.provider === provider && entry.status === 'connected',
    );
    expect(connected).toHaveLength(1);
    const me = await suite.demo.kit.connections.fetch(connected[0]!.id, '/me');
    expect(me.status).toBe(200);
    await suite.demo.kit.connections.disconnect(connected[0]!.id);
  }

  it('popup (TE Recruit): the provider window opens, closes after Authorize, and the widget shows it connected', async () => {
    await openConnections();
    const popup = await waitForPopup(suite.page, () => clickByRole(suite.page, 'button', 'Connect TE Recruit'));
    await byRole(popup, 'button', 'Authorize');
    await screenshot(popup, engine, 'connect-popup-provider-page');
    await approveAtProvider(popup, 'te-recruit');
    await waitForClosed(popup);
    await byText(suite.page, 'TE Recruit is connected.');
    await byRole(suite.page, 'button', 'Disconnect TE Recruit');
    await screenshot(suite.page, engine, 'connect-popup-connected');
    expect(suite.demo.providers['te-recruit'].lastAuthorization?.get('code_challenge_method')).toBe('S256');
    await expectConnected('te-recruit');
  });

  it('full page (CareerPlug): leaves for the provider and comes back connected', async () => {
    await openConnections('/connections?mode=page');
    await clickByRole(suite.page, 'button', 'Connect CareerPlug');
    await byRole(suite.page, 'button', 'Authorize');
    await approveAtProvider(suite.page, 'careerplug');
    const url = await waitForUrl(suite.page, (at) => at.origin === suite.demo.kitUrl && at.pathname === '/connections');
    expect(url.searchParams.get('ats_connect')).toBe('connected');
    await byRole(suite.page, 'button', 'Disconnect CareerPlug');
    await byText(suite.page, 'The connection is set up.');
    await screenshot(suite.page, engine, 'connect-page-connected');
    await expectConnected('careerplug');
  });

  it('popup blocked (Total Expert): a visible fallback, and "Continue in this window" completes it', async () => {
    await suite.page.evaluateOnNewDocument(() => {
      window.open = () => null; // what a popup blocker does
    });
    await openConnections();
    await clickByRole(suite.page, 'button', 'Connect Total Expert');
    await byRole(suite.page, 'alert', /Your browser blocked the Total Expert sign-in window/);
    await byRole(suite.page, 'button', 'Open the Total Expert sign-in window');
    await screenshot(suite.page, engine, 'connect-popup-blocked');
    await clickByRole(suite.page, 'button', 'Continue in this window');
    await approveAtProvider(suite.page, 'total-expert');
    await waitForUrl(suite.page, (at) => at.origin === suite.demo.kitUrl && at.searchParams.get('ats_connect') === 'connected');
    await byRole(suite.page, 'button', 'Disconnect Total Expert');
    await expectConnected('total-expert');
  });

  it.each(PROVIDERS)('deny at $name: the widget says nothing was connected', async ({ id, name }) => {
    await openConnections();
    const popup = await waitForPopup(suite.page, () => clickByRole(suite.page, 'button', `Connect ${name}`));
    await byRole(popup, 'button', 'Deny');
    await denyAtProvider(popup);
    await waitForClosed(popup);
    await byRole(suite.page, 'alert', undefined, { text: `You did not allow access in ${name}` });
    expect((await suite.demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === id && entry.status === 'connected')).toEqual([]);
  });

  describe('reference/security.md T15: COOP at the provider severs window.opener', () => {
    it('the widget still learns the outcome from the server and shows the connection', async () => {
      const { page, demo } = suite;
      demo.providers['te-recruit'].options.coop = true;
      try {
        await openConnections();
        const popup = await waitForPopup(page, () => clickByRole(page, 'button', 'Connect TE Recruit'));
        await byRole(popup, 'button', 'Authorize');
        expect(await popup.evaluate(() => window.opener)).toBeNull();
        await approveAtProvider(popup, 'te-recruit');
        await byText(popup, 'TE Recruit is connected.');
        await byText(page, 'TE Recruit is connected.');
        const [connection] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === 'te-recruit' && entry.status === 'connected');
        await demo.kit.connections.disconnect(connection!.id);
      } finally {
        demo.providers['te-recruit'].options.coop = false;
      }
    });
  });

  describe('T3: a third site cannot start a connection for the signed-in user (issue 13 finding 6)', () => {
    let attacker: AttackerSite;
    const flowCount = async () => (await (suite.demo.kit.store as KyselyStore).db.selectFrom('oauth_flows').select('state_hash').execute()).length;

    beforeAll(async () => {
      const { kitUrl } = suite.demo;
      const start = `${kitUrl}/ats/connect/total-expert/start`;
      const fields = { flow: 'A'.repeat(24), flowId: 'A'.repeat(24), mode: 'page', returnTo: `${kitUrl}/connections`, serviceProvider: 'evil-sso' };
      const query = new URLSearchParams(fields);
      // A text/plain form body that reads as the JSON the widget sends: the classic cross-site JSON POST.
      const json = JSON.stringify({ flowId: fields.flowId, mode: fields.mode, returnTo: fields.returnTo, serviceProvider: fields.serviceProvider, pad: '' });
      const [name, value] = [json.slice(0, -2), json.slice(-2)];
      const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      attacker = await startAttackerSite({
        '/navigate': `<h1>win a prize</h1><script>location.href = ${JSON.stringify(`${start}?${query}`)};</script>`,
        '/form': `<h1>win a prize</h1><form id="f" method="POST" enctype="text/plain" action="${start}"><input name="${escape(name)}" value="${escape(value)}"></form><script>document.getElementById('f').submit();</script>`,
      });
    });
    afterAll(async () => {
      await attacker?.stop();
    });

    it.each([
      ['a navigation (the old GET start link)', '/navigate', 'GET', 405],
      ['an auto-submitted cross-site form POST', '/form', 'POST', 403],
    ])('%s carries the session but creates no flow and reaches no provider', async (_name, path, method, status) => {
      const { page, demo } = suite;
      await openConnections();
      // The positive control: the browser's cookie alone (no widget header) is a signed-in session.
      await expect
        .poll(() => page.evaluate(async () => ((await (await fetch('/ats/connect/bootstrap')).json()) as { user: { email: string } | null }).user?.email))
        .toBe('admin@acme.test');
      const flowsBefore = await flowCount();
      const authorizePagesBefore = demo.providers['total-expert'].counts.authorizePages;
      const startResponse = page.waitForResponse((response) => response.url().startsWith(`${demo.kitUrl}/ats/connect/total-expert/start`));
      await page.goto(attacker.url + path);
      const response = await startResponse;
      // Read after the response: over CDP the Cookie header arrives in a later event than the request's.
      const request = response.request();
      const headers = Object.fromEntries(Object.entries(request.headers()).map(([header, value]) => [header.toLowerCase(), value]));
      expect(request.method()).toBe(method);
      expect(headers['sec-fetch-site']).toBe('cross-site');
      expect(headers.cookie).toContain('ats-session'); // the victim's session rides along: only the kit's checks stop it
      expect(response.status()).toBe(status);
      await waitForUrl(page, (url) => url.origin === demo.kitUrl);
      expect(await flowCount()).toBe(flowsBefore);
      expect(demo.providers['total-expert'].counts.authorizePages).toBe(authorizePagesBefore);
    });
  });
});
