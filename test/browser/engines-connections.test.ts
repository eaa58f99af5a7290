/**
 * Connecting TE Recruit, CareerPlug and Total Expert from the partner's page in every engine (RFC
 * 6749 §4.1 with PKCE, RFC 7636): by popup, by full page, and the blocked-popup fallback, for each
 * provider against its fake, with the token request checked; a denial at each provider; COOP at
 * the provider (reference/security.md T15); a third site that tries to start a connection for the
 * signed-in user (T3, issue 13 finding 6); a refused start; axe on the connections view;
 * reconnecting. The same body in each engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { startAttackerSite, type AttackerSite } from '../helpers/attacker-site.js';
import { axeViolationsIn } from '../helpers/axe.js';
import { ConnectApi } from '../helpers/connect-api.js';
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

  async function openConnections(path = '/connections', user = 'admin@acme.test') {
    await suite.page.goto(suite.demo.kitUrl + path);
    await byRole(suite.page, 'heading', 'Sign in to continue');
    await fillByLabel(suite.page, 'Email', user);
    await fillByLabel(suite.page, 'Password', DEMO_PASSWORDS[user]!);
    await clickByRole(suite.page, 'button', 'Sign in');
    await byRole(suite.page, 'heading', 'Connected systems');
  }

  /** The user's one connected connection to `provider`, its token working at the provider; then disconnected. */
  async function expectConnected(provider: ProviderId) {
    const connected = (await suite.demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter(
      (entry) => entry.provider === provider && entry.status === 'connected',
    );
    expect(connected).toHaveLength(1);
    const me = await suite.demo.kit.connections.fetch(connected[0]!.id, '/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ provider });
    await suite.demo.kit.connections.disconnect(connected[0]!.id);
  }

  // Each provider against its fake (Doorkeeper or oauth2-server-php behaviour), on each path.
  describe.each(PROVIDERS)('$name', ({ id, name }) => {
    it('popup: connects, the popup closes, the widget shows it connected, and the token works at the provider', async () => {
      await openConnections();
      const popup = await waitForPopup(suite.page, () => clickByRole(suite.page, 'button', `Connect ${name}`));
      await byRole(popup, 'button', 'Authorize');
      await screenshot(popup, engine, `connect-${id}-provider-page`);
      await approveAtProvider(popup, id);
      await waitForClosed(popup);
      await byText(suite.page, `${name} is connected.`);
      await byRole(suite.page, 'button', `Disconnect ${name}`);
      await screenshot(suite.page, engine, `connect-${id}-connected`);

      const fake = suite.demo.providers[id];
      const authorize = fake.lastAuthorization!;
      expect(authorize.get('code_challenge_method')).toBe('S256');
      expect(authorize.get('state')!.length).toBeGreaterThanOrEqual(43);
      const token = fake.lastTokenRequest!;
      expect(token.form.get('grant_type')).toBe('authorization_code');
      expect(token.form.get('redirect_uri')).toBe(authorize.get('redirect_uri'));
      expect(token.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      await expectConnected(id);
    });

    it('full page: leaves for the provider and comes back to the partner page, connected', async () => {
      await openConnections('/connections?mode=page');
      await clickByRole(suite.page, 'button', `Connect ${name}`);
      await byRole(suite.page, 'button', 'Authorize');
      await approveAtProvider(suite.page, id);
      const url = await waitForUrl(suite.page, (at) => at.origin === suite.demo.kitUrl && at.pathname === '/connections');
      expect(url.searchParams.get('ats_connect')).toBe('connected');
      await byRole(suite.page, 'button', `Disconnect ${name}`);
      await byText(suite.page, 'The connection is set up.');
      await screenshot(suite.page, engine, `connect-${id}-page-connected`);
      await expectConnected(id);
    });

    it('popup blocked: a visible fallback, and "Continue in this window" completes the connection', async () => {
      await suite.page.evaluateOnNewDocument(() => {
        window.open = () => null; // what a popup blocker does
      });
      await openConnections();
      await clickByRole(suite.page, 'button', `Connect ${name}`);
      await byRole(suite.page, 'alert', undefined, { text: `Your browser blocked the ${name} sign-in window` });
      await byRole(suite.page, 'button', `Open the ${name} sign-in window`);
      await screenshot(suite.page, engine, `connect-${id}-popup-blocked`);
      await clickByRole(suite.page, 'button', 'Continue in this window');
      await approveAtProvider(suite.page, id);
      await waitForUrl(suite.page, (at) => at.origin === suite.demo.kitUrl && at.searchParams.get('ats_connect') === 'connected');
      await byRole(suite.page, 'button', `Disconnect ${name}`);
      await expectConnected(id);
    });
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

  describe('a refused start', () => {
    it('over the per-user limit: the popup closes and the widget says why; nothing reaches the provider', async () => {
      const { page, demo } = suite;
      const elsewhere = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
      for (let i = 0; i < 20; i += 1) expect((await elsewhere.start('careerplug')).status).toBe(200);
      const authorizePagesBefore = demo.providers.careerplug.counts.authorizePages;
      await openConnections('/connections', 'admin@globex.test');
      const popup = await waitForPopup(page, () => clickByRole(page, 'button', 'Connect CareerPlug'));
      await byRole(page, 'alert', undefined, { text: 'Too many connection attempts' });
      await waitForClosed(popup);
      await byRole(page, 'button', 'Connect CareerPlug'); // enabled again
      expect(demo.providers.careerplug.counts.authorizePages).toBe(authorizePagesBefore);
    });
  });

  describe('accessibility of the connections view', () => {
    it('axe-core reports no violations on the sign-in and list steps', async () => {
      const { page, demo } = suite;
      await page.goto(demo.kitUrl + '/connections');
      await byRole(page, 'heading', 'Sign in to continue');
      expect(await axeViolationsIn(page)).toEqual([]);
      await fillByLabel(page, 'Email', 'admin@acme.test');
      await fillByLabel(page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
      await clickByRole(page, 'button', 'Sign in');
      await byRole(page, 'heading', 'Connected systems');
      expect(await axeViolationsIn(page)).toEqual([]);
      await screenshot(page, engine, 'connections-list');
    });
  });

  describe('disconnect and connect again from the widget', () => {
    it('keeps the connection id', async () => {
      const { page, demo } = suite;
      await openConnections();
      const connectOnce = async () => {
        const popup = await waitForPopup(page, () => clickByRole(page, 'button', 'Connect CareerPlug'));
        await byRole(popup, 'button', 'Authorize');
        await approveAtProvider(popup, 'careerplug');
        await waitForClosed(popup);
        await byRole(page, 'button', 'Disconnect CareerPlug');
      };
      await connectOnce();
      const [first] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === 'careerplug' && entry.status === 'connected');
      await clickByRole(page, 'button', 'Disconnect CareerPlug');
      await byText(page, 'CareerPlug is disconnected.');
      await connectOnce();
      expect((await demo.kit.connections.get(first!.id))?.status).toBe('connected');
      await demo.kit.connections.disconnect(first!.id);
    });
  });
});
