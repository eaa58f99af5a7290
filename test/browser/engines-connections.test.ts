/**
 * A provider connection from the partner's page in every engine (RFC 6749 §4.1 with PKCE): by
 * popup, by full page, and the blocked-popup fallback. One provider per path here (each provider
 * against its fake is covered in provider-connections.test.ts); the same body in each engine.
 */
import { describe, expect, it } from 'vitest';
import { byRole, byText, clickByRole, ENGINES, fillByLabel, screenshot, waitForClosed, waitForPopup, waitForUrl } from '../helpers/engine.js';
import { approveAtProvider, useEngineSuite, type ProviderId } from '../helpers/engine-suite.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';

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
});
