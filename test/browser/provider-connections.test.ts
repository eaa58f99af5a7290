/**
 * Connecting TE Recruit, CareerPlug and Total Expert from the partner's page in Chromium (RFC 6749
 * §4.1 with PKCE, RFC 7636): the popup path, the full-page path and a blocked popup, for each
 * provider against its fake (Doorkeeper or oauth2-server-php behaviour), with the token request
 * checked; a refused start, axe on the connections view, reconnecting. A denial at each provider,
 * COOP at the provider (T15) and a third site starting a connection (T3) run in every engine:
 * engines-connections.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { screenshot, waitForText } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { approveAtProvider, type ProviderId } from '../helpers/provider-page.js';

const suite = useBrowserSuite();

const PROVIDERS: Array<{ id: ProviderId; name: string }> = [
  { id: 'te-recruit', name: 'TE Recruit' },
  { id: 'careerplug', name: 'CareerPlug' },
  { id: 'total-expert', name: 'Total Expert' },
];

async function openConnections(path = '/connections', user = 'admin@acme.test') {
  const { page, demo } = suite;
  await page.goto(demo.kitUrl + path);
  await page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
  await page.getByLabel('Email').fill(user);
  await page.getByLabel('Password').fill(DEMO_PASSWORDS[user]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Connected systems' }).waitFor();
}

describe.each(PROVIDERS)('$name', ({ id, name }) => {
  it('popup: connects, the popup closes, the widget shows it connected, and the token works at the provider', async () => {
    const { page, demo, context } = suite;
    await openConnections();
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: `Connect ${name}` }).click()]);
    await popup.getByRole('button', { name: 'Authorize' }).waitFor();
    await screenshot(popup, `connect-${id}-provider-page`);
    await approveAtProvider(popup, id);
    await popup.waitForEvent('close');
    await waitForText(page, 'ats-consent', `${name} is connected.`);
    await page.getByRole('button', { name: `Disconnect ${name}` }).waitFor();
    await screenshot(page, `connect-${id}-connected`);

    const fake = demo.providers[id];
    const authorize = fake.lastAuthorization!;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('state')!.length).toBeGreaterThanOrEqual(43);
    const token = fake.lastTokenRequest!;
    expect(token.form.get('grant_type')).toBe('authorization_code');
    expect(token.form.get('redirect_uri')).toBe(authorize.get('redirect_uri'));
    expect(token.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

    const [connection] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === id && entry.status === 'connected');
    const me = await demo.kit.connections.fetch(connection!.id, '/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ provider: id });
    await demo.kit.connections.disconnect(connection!.id);
  });

  it('full page: leaves for the provider and comes back to the partner page, connected', async () => {
    const { page, demo } = suite;
    await openConnections('/connections?mode=page');
    await page.getByRole('button', { name: `Connect ${name}` }).click();
    await page.getByRole('button', { name: 'Authorize' }).waitFor();
    await approveAtProvider(page, id);
    await page.waitForURL((url) => url.origin === demo.kitUrl && url.pathname === '/connections');
    expect(new URL(page.url()).searchParams.get('ats_connect')).toBe('connected');
    await page.getByRole('button', { name: `Disconnect ${name}` }).waitFor();
    await waitForText(page, 'ats-consent', 'The connection is set up.');
    const [connection] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === id && entry.status === 'connected');
    await demo.kit.connections.disconnect(connection!.id);
  });

  it('popup blocked: a visible fallback, and "Continue in this window" completes the connection', async () => {
    const { page, demo } = suite;
    await page.addInitScript(() => {
      window.open = () => null; // what a popup blocker does
    });
    await openConnections();
    await page.getByRole('button', { name: `Connect ${name}` }).click();
    await page.getByRole('alert').filter({ hasText: `Your browser blocked the ${name} sign-in window` }).waitFor();
    await page.getByRole('button', { name: `Open the ${name} sign-in window` }).waitFor();
    await screenshot(page, `connect-${id}-popup-blocked`);
    await page.getByRole('button', { name: 'Continue in this window' }).click();
    await approveAtProvider(page, id);
    await page.waitForURL((url) => url.origin === demo.kitUrl && url.searchParams.get('ats_connect') === 'connected');
    await page.getByRole('button', { name: `Disconnect ${name}` }).waitFor();
    const [connection] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === id && entry.status === 'connected');
    await demo.kit.connections.disconnect(connection!.id);
  });
});

describe('a refused start', () => {
  it('over the per-user limit: the popup closes and the widget says why; nothing reaches the provider', async () => {
    const { page, context, demo } = suite;
    const elsewhere = await new ConnectApi(demo.kitUrl).signIn('admin@globex.test');
    for (let i = 0; i < 20; i += 1) expect((await elsewhere.start('careerplug')).status).toBe(200);
    const authorizePagesBefore = demo.providers.careerplug.counts.authorizePages;
    await openConnections('/connections', 'admin@globex.test');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Connect CareerPlug' }).click()]);
    await page.getByRole('alert').filter({ hasText: 'Too many connection attempts' }).waitFor();
    await expect.poll(() => popup.isClosed()).toBe(true); // it may close before a 'close' listener could be attached
    await page.getByRole('button', { name: 'Connect CareerPlug' }).waitFor(); // enabled again
    expect(demo.providers.careerplug.counts.authorizePages).toBe(authorizePagesBefore);
  });
});

describe('accessibility of the connections view', () => {
  it('axe-core reports no violations on the sign-in and list steps', async () => {
    const { browser, demo } = suite;
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const violations = () => axeViolations(page);
    await page.goto(demo.kitUrl + '/connections');
    await page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
    expect(await violations()).toEqual([]);
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORDS['admin@acme.test']!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connected systems' }).waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'connections-list');
    await context.close();
  });
});

describe('disconnect and connect again from the widget', () => {
  it('keeps the connection id', async () => {
    const { page, context, demo } = suite;
    await openConnections();
    const connectOnce = async () => {
      const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Connect CareerPlug' }).click()]);
      await popup.getByRole('button', { name: 'Authorize' }).waitFor();
      await approveAtProvider(popup, 'careerplug');
      await popup.waitForEvent('close');
      await page.getByRole('button', { name: 'Disconnect CareerPlug' }).waitFor();
    };
    await connectOnce();
    const [first] = (await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === 'careerplug' && entry.status === 'connected');
    await page.getByRole('button', { name: 'Disconnect CareerPlug' }).click();
    await waitForText(page, 'ats-consent', 'CareerPlug is disconnected.');
    await connectOnce();
    expect((await demo.kit.connections.get(first!.id))?.status).toBe('connected');
    await demo.kit.connections.disconnect(first!.id);
  });
});
