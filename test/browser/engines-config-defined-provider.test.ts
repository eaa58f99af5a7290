/**
 * "Any other OAuth2 provider by configuration": a provider the kit has never heard of, described
 * only by options, completes the whole flow against an independent authorization server, node
 * oidc-provider started in-process: authorization code + PKCE (RFC 7636) in every engine
 * (test/helpers/engine.ts: Chromium and Firefox through puppeteer-core), then refresh with rotation
 * (RFC 6749 §6; RFC 9700 §4.14.2, which oidc-provider enforces). Per engine its own demo and
 * authorization server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { byRole, clickByRole, ENGINES, fillByLabel, fillCss, launchEngine, screenshot, waitForUrl } from '../helpers/engine.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

describe.each(ENGINES)('%s', (engine) => {
  let server: Server;
  let issuer: string;
  let demo: TestDemo;
  let browser: Browser;
  const refreshRequests: string[] = [];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    demo = await startTestDemo({
      kitOptions: {
        providers: {
          'generic-oidc': {
            displayName: 'Generic OIDC',
            issuer,
            authorizationEndpoint: `${issuer}/auth`,
            tokenEndpoint: `${issuer}/token`,
            clientAuth: 'client_secret_basic',
            clientId: 'ats-kit',
            clientSecret: 'ats-kit-secret-for-tests',
            scopes: ['openid', 'offline_access'],
            authorizeParams: { prompt: 'consent' },
          },
        },
      },
    });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'ats-kit',
          client_secret: 'ats-kit-secret-for-tests',
          redirect_uris: [`${demo.kitUrl}/ats/connect/generic-oidc/callback`],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      rotateRefreshToken: true,
      ttl: { AccessToken: 600, RefreshToken: 86_400, Interaction: 600, Session: 600, Grant: 86_400, IdToken: 600 },
      cookies: { keys: ['test-only-cookie-key-0123456789'] },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    });
    provider.on('grant.success', (ctx) => {
      if ((ctx.oidc.params as Record<string, unknown>)?.grant_type === 'refresh_token') refreshRequests.push('refresh');
    });
    server.on('request', provider.callback());
    browser = await launchEngine(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  describe('a provider defined by configuration alone, against node oidc-provider', () => {
    it('RFC 6749 §4.1 + RFC 7636: connects in the browser; RFC 6749 §6: refreshes with rotation', async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(`${demo.kitUrl}/connections?mode=page`);
      await fillByLabel(page, 'Email', 'admin@acme.test');
      await fillByLabel(page, 'Password', DEMO_PASSWORDS['admin@acme.test']!);
      await clickByRole(page, 'button', 'Sign in');
      await clickByRole(page, 'button', 'Connect Generic OIDC');
      await fillCss(page, 'input[name="login"]', 'someone');
      await fillCss(page, 'input[name="password"]', 'anything');
      await clickByRole(page, 'button', 'Sign-in');
      await clickByRole(page, 'button', 'Continue');
      await waitForUrl(page, (url) => url.origin === demo.kitUrl && url.searchParams.get('ats_connect') === 'connected');
      await byRole(page, 'button', 'Disconnect Generic OIDC');
      await screenshot(page, engine, 'connect-generic-oidc-connected');
      await context.close();

      const [connection] = await demo.kit.connections.list({ tenantId: 'tenant-acme', id: 'user-acme-admin' });
      expect(connection).toMatchObject({ provider: 'generic-oidc', status: 'connected' });
      const db = (demo.kit.store as KyselyStore).db;
      const refreshToken = async () => (await db.selectFrom('connections').select('refresh_token').where('id', '=', connection!.id).executeTakeFirst())!.refresh_token;
      const first = await refreshToken();
      expect(first).toBeTruthy();

      for (let round = 1; round <= 2; round += 1) {
        await db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connection!.id).execute();
        const before = await refreshToken();
        expect(await demo.kit.connections.getAccessToken(connection!.id)).toBeTruthy();
        expect(await refreshToken()).not.toBe(before); // rotated, and stored
        expect(refreshRequests).toHaveLength(round);
      }
      expect((await demo.kit.connections.get(connection!.id))?.status).toBe('connected');
    });
  });
});
