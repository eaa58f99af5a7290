/**
 * The demo's API keys page (issue 14 item 8) in Chromium: a key created there is shown once and
 * works against the partner API; the list shows it (scopes, tenant, created, last used) but never
 * its secret; Revoke ends it at once. The POSTs' guards (Origin, CSRF double-submit cookie) are
 * checked over HTTP, as a cross-site attacker or a stale page would send them.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { screenshot } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';

const suite = useBrowserSuite();
const KEY = /^atsk_[0-9A-Za-z]{49}$/;
const ASSESSMENT_KEYS = 'Assessment app (orders, results) keys';

const keysTable = (page: Page, label = ASSESSMENT_KEYS) => page.getByRole('table', { name: label, exact: true });
const row = (page: Page, name: string) => keysTable(page).getByRole('row').filter({ hasText: name });
const ordersWith = (key: string) =>
  fetch(`${suite.demo.kitUrl}${suite.demo.assessmentKit.paths.partnerApi}/assessment/orders`, { headers: { authorization: `Bearer ${key}` } });

async function createKey(page: Page, name: string, options: { scopes?: string[]; tenant?: string } = {}): Promise<string> {
  await page.goto(`${suite.demo.kitUrl}/api-keys`);
  await page.getByLabel('Kit', { exact: true }).selectOption({ label: 'Assessment app (orders, results)' });
  await page.getByLabel('Name', { exact: true }).fill(name);
  for (const scope of options.scopes ?? []) await page.getByRole('group', { name: 'Scopes' }).getByLabel(scope, { exact: true }).check();
  if (options.tenant) await page.getByLabel('Tenant (optional)').fill(options.tenant);
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByRole('region', { name: 'New key' }).locator('#new-key').textContent())!;
  expect(key).toMatch(KEY);
  return key;
}

describe('the API keys page', () => {
  it('creates a key shown once; the list shows it without the secret; the key works and its use is recorded', async () => {
    const { page } = suite;
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    await expect.poll(() => keysTable(page).textContent()).toContain('No keys yet.');
    expect(await axeViolations(page)).toEqual([]);

    const key = await createKey(page, 'python backend', { scopes: ['write'], tenant: 'tenant-acme' });
    await screenshot(page, 'api-keys-created');
    await expect.poll(() => row(page, 'python backend').textContent()).toMatch(/read, write.*tenant-acme.*never/s);

    // A reload posts the form again: refused, no second key, the key not shown again.
    await page.reload();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This form was already sent, and its key shown once');
    expect(await page.content()).not.toContain(key);
    expect(await page.getByRole('region', { name: 'New key' }).count()).toBe(0);
    // Any later view lists the key without its secret.
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    expect(await page.content()).not.toContain(key);
    expect(await keysTable(page).getByRole('row').filter({ hasText: 'python backend' }).count()).toBe(1);
    expect(await row(page, 'python backend').textContent()).toContain('never');

    expect((await ordersWith(key)).status).toBe(200);
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    await expect.poll(() => row(page, 'python backend').locator('td').nth(5).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const [listed] = await suite.demo.assessmentKit.apiKeys.list();
    expect(listed).toMatchObject({ name: 'python backend', scopes: ['read', 'write'], tenantId: 'tenant-acme', revokedAt: null });
    expect(suite.demo.logs.join('\n')).not.toContain(key);
  });

  it('Revoke ends the key at once; the row says revoked', async () => {
    const { page } = suite;
    const key = await createKey(page, 'to revoke');
    expect((await ordersWith(key)).status).toBe(200);
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    await row(page, 'to revoke').getByRole('button', { name: 'Revoke to revoke' }).click();
    await page.waitForURL(`${suite.demo.kitUrl}/api-keys`);
    await expect.poll(() => row(page, 'to revoke').textContent()).toMatch(/revoked \d{4}-/);
    expect(await row(page, 'to revoke').getByRole('button').count()).toBe(0);
    expect((await ordersWith(key)).status).toBe(401);
  });

  it('a bad request shows its error and creates nothing', async () => {
    const { page } = suite;
    const before = (await suite.demo.kit.apiKeys.list()).length;
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    await page.getByLabel('Kit', { exact: true }).selectOption({ label: 'General Partner kit (connections, proxy)' });
    await page.getByLabel('Name', { exact: true }).fill('no scope');
    await page.getByRole('group', { name: 'Scopes' }).getByLabel('read', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('name at least one scope');
    expect((await suite.demo.kit.apiKeys.list()).length).toBe(before);
  });
});

describe('the POST guards (over HTTP)', () => {
  /** The page's CSRF cookie and form token, as a browser that loaded it holds them. */
  async function loadedPage(): Promise<{ cookie: string; csrf: string }> {
    const answer = await fetch(`${suite.demo.kitUrl}/api-keys`);
    const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
    expect(answer.headers.get('set-cookie')).toMatch(/^__Host-demo-keys-csrf=[\w-]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await answer.text())![1]!;
    return { cookie, csrf };
  }
  const post = (path: string, form: Record<string, string>, headers: Record<string, string>) =>
    fetch(`${suite.demo.kitUrl}/api-keys/${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });

  it('another origin, a cross-site fetch, a missing or wrong token: 403 and nothing created or revoked', async () => {
    const { cookie, csrf } = await loadedPage();
    const live = await suite.demo.kit.apiKeys.create({ name: 'guarded', scopes: ['read'] });
    const before = (await suite.demo.kit.apiKeys.list()).length;
    const origin = suite.demo.kitUrl;
    const create = { kit: 'general', name: 'x', scope: 'read' };
    for (const [form, headers] of [
      [{ ...create, csrf }, { cookie, origin: 'http://attacker.example' }],
      [{ ...create, csrf }, { cookie }], // no Origin at all
      [{ ...create, csrf }, { cookie, origin, 'sec-fetch-site': 'cross-site' }],
      [create, { cookie, origin }],
      [{ ...create, csrf: 'A'.repeat(43) }, { cookie, origin }],
      [{ ...create, csrf }, { origin }], // the token without its cookie
      [{ kit: 'general', id: live.id, csrf: 'A'.repeat(43) }, { cookie, origin }],
    ] as Array<[Record<string, string>, Record<string, string>]>) {
      const answer = await post(form.id ? 'revoke' : 'create', form, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(await answer.text()).not.toMatch(/atsk_/);
    }
    expect((await suite.demo.kit.apiKeys.list()).length).toBe(before);
    expect((await suite.demo.kit.apiKeys.list()).find((key) => key.id === live.id)!.revokedAt).toBeNull();
    // The same requests with the page's cookie and token, from its origin, succeed.
    expect((await post('create', { ...create, csrf }, { cookie, origin })).status).toBe(201);
    const revoked = await post('revoke', { kit: 'general', id: live.id, csrf }, { cookie, origin });
    expect([revoked.status, revoked.headers.get('location')]).toEqual([303, '/api-keys']);
  });
});
