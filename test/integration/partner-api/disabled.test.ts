/**
 * `partnerApi.enabled: false` (`ATS_PARTNER_API=off`): a kit no backend calls over HTTP leaves
 * `<prefix>/partner/v1` unmounted, so a valid key reaches nothing there, while the rest of the kit
 * (here its health probe) answers as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKitServer } from '../../../server/app.js';
import { optionsFromEnv } from '../../../server/config-env.js';
import { createConsentKit, type ConsentKit } from '../../../server/kit.js';

let kit: ConsentKit;
let url: string;
let server: ReturnType<typeof createKitServer>;

beforeAll(async () => {
  const env = {
    ATS_PUBLIC_URL: 'http://localhost:3997',
    ATS_PARTNER_NAME: 'No API',
    ATS_SR_API_BASE_URL: 'http://127.0.0.1:1',
    ATS_SR_APP_ID: 'app',
    ATS_SR_CLIENT_ID: 'master',
    ATS_SR_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    ATS_SESSION_SECRET: randomBytes(32).toString('base64url'),
    ATS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ATS_DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'ats-no-partner-api-')), 'kit.sqlite')}`,
    ATS_LOG_LEVEL: 'silent',
    ATS_PARTNER_API: 'off',
  };
  kit = await createConsentKit(optionsFromEnv(env, async () => null));
  server = createKitServer(kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await kit?.close();
});

describe('the partner API turned off', () => {
  it('answers 404 in the kit’s error shape under /partner/v1, even to a valid key; the rest of the kit answers', async () => {
    const { key } = await kit.apiKeys.create({ name: 'unused', scopes: ['read'] });
    for (const path of ['/ats/partner/v1/openapi.json', '/ats/partner/v1/integrations']) {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'ATS_NOT_FOUND' });
    }
    expect((await fetch(`${url}/ats/healthz`)).status).toBe(200);
  });

  it('ATS_PARTNER_API takes on or off only, naming the variable otherwise', () => {
    expect(() => optionsFromEnv({ ATS_PARTNER_API: 'no' }, async () => null)).toThrow(/ATS_PARTNER_API.*on or off/);
    expect(optionsFromEnv({ ATS_PARTNER_API: 'on' }, async () => null).partnerApi?.enabled).toBe(true);
  });
});
