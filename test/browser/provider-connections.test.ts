/**
 * Connecting TE Recruit, CareerPlug and Total Expert from the partner's page in Chromium (RFC 6749
 * §4.1 with PKCE, RFC 7636): the popup path, the full-page path, a denial, and a blocked popup,
 * for each provider against its fake (Doorkeeper or oauth2-server-php behaviour); and a third site
 * that tries to start a connection for the signed-in user (issue 13 finding 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { startAttackerSite, type AttackerSite } from '../helpers/attacker-site.js';
import { axeViolations } from '../helpers/axe.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { screenshot, waitForText } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { approveAtProvider, denyAtProvider, type ProviderId } from '../helpers/provider-page.js';

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

  it('deny: the widget says nothing was connected', async () => {
    const { page, context, demo } = suite;
    await openConnections();
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: `Connect ${name}` }).click()]);
    await popup.getByRole('button', { name: 'Deny' }).waitFor();
    await denyAtProvider(popup);
    await popup.waitForEvent('close');
    await page.getByRole('alert').filter({ hasText: `You did not allow access in ${name}` }).waitFor();
    expect((await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' })).filter((entry) => entry.provider === id && entry.status === 'connected')).toEqual([]);
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


describe('reference/security.md T15: COOP at the provider severs window.opener', () => {
  it('the widget still learns the outcome from the server and shows the connection', async () => {
    const { page, demo, context } = suite;
    demo.providers['te-recruit'].options.coop = true;
    try {
      await openConnections();
      const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Connect TE Recruit' }).click()]);
      await popup.getByRole('button', { name: 'Authorize' }).waitFor();
      expect(await popup.evaluate(() => window.opener)).toBeNull();
      await approveAtProvider(popup, 'te-recruit');
      await popup.getByText('TE Recruit is connected.').waitFor();
      await waitForText(page, 'ats-consent', 'TE Recruit is connected.', 10_000);
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
    const startRequest = page.waitForRequest((request) => request.url().startsWith(`${demo.kitUrl}/ats/connect/total-expert/start`));
    await page.goto(attacker.url + path);
    const request = await startRequest;
    const headers = await request.allHeaders();
    expect(request.method()).toBe(method);
    expect(headers['sec-fetch-site']).toBe('cross-site');
    expect(headers.cookie).toContain('ats-session'); // the victim's session rides along: only the kit's checks stop it
    const response = (await request.response())!;
    expect(response.status()).toBe(status);
    await page.waitForLoadState();
    expect(new URL(page.url()).origin).toBe(demo.kitUrl);
    expect(await flowCount()).toBe(flowsBefore);
    expect(demo.providers['total-expert'].counts.authorizePages).toBe(authorizePagesBefore);
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
