/**
 * The demo's API keys page (issue 14 item 8) in every engine (test/helpers/engine.ts: Chromium and
 * Firefox through puppeteer-core): a key created there is shown once and works against the partner
 * API; the list shows it (scopes, tenant, created, last used) but never its secret; a reload that
 * posts the form again is refused; Revoke ends it at once. The POSTs' guards (Origin, CSRF
 * double-submit cookie) are checked over HTTP, as a cross-site attacker or a stale page would send
 * them: no browser there, so once, with the first engine's demo.
 */
import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { axeViolationsIn } from '../helpers/axe.js';
import { byCss, byRole, clickByRole, countByRole, ENGINES, fillByLabel, screenshot, selectByLabel, setCheckedByLabel, textsByRole } from '../helpers/engine.js';
import { useEngineSuite } from '../helpers/engine-suite.js';

const KEY = /^atsk_[0-9A-Za-z]{49}$/;
const ASSESSMENT_KEYS = 'Assessment app (orders, results) keys';

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  const keysTable = (page: Page, text?: string) => byRole(page, 'table', ASSESSMENT_KEYS, { text });
  /** The table's row for the key `name`, once its text matches `text` (the page may still be loading). */
  const row = async (page: Page, name: string, text?: RegExp): Promise<ElementHandle<Element>> => {
    const found = await byRole(page, 'row', undefined, { within: await keysTable(page), text: name });
    if (text) await byRole(page, 'row', undefined, { within: await keysTable(page), text });
    return found;
  };
  const ordersWith = (key: string) =>
    fetch(`${suite.demo.kitUrl}${suite.demo.assessmentKit.paths.partnerApi}/assessment/orders`, { headers: { authorization: `Bearer ${key}` } });

  async function createKey(page: Page, name: string, options: { scopes?: string[]; tenant?: string } = {}): Promise<string> {
    await page.goto(`${suite.demo.kitUrl}/api-keys`);
    await selectByLabel(page, 'Kit', 'Assessment app (orders, results)');
    await fillByLabel(page, 'Name', name);
    for (const scope of options.scopes ?? []) await setCheckedByLabel(page, scope, true, { within: await byRole(page, 'group', 'Scopes') });
    if (options.tenant) await fillByLabel(page, 'Tenant (optional)', options.tenant);
    await Promise.all([page.waitForNavigation(), clickByRole(page, 'button', 'Create key')]);
    const shown = await byCss(page, '#new-key', { within: await byRole(page, 'region', 'New key') });
    const key = (await shown.evaluate((element) => element.textContent))!;
    expect(key).toMatch(KEY);
    return key;
  }

  describe('the API keys page', () => {
    it('creates a key shown once; the list shows it without the secret; the key works and its use is recorded', async () => {
      const { page } = suite;
      await page.goto(`${suite.demo.kitUrl}/api-keys`);
      await keysTable(page, 'No keys yet.');
      expect(await axeViolationsIn(page)).toEqual([]);

      const key = await createKey(page, 'python backend', { scopes: ['write'], tenant: 'tenant-acme' });
      await screenshot(page, engine, 'api-keys-created');
      await row(page, 'python backend', /python backend.*read, write.*tenant-acme.*never/s);

      // A reload posts the form again: refused, no second key, the key not shown again.
      await page.reload();
      await byRole(page, 'alert', undefined, { text: 'This form was already sent, and its key shown once' });
      expect(await page.content()).not.toContain(key);
      expect(await countByRole(page, 'region', 'New key')).toBe(0);
      // Any later view lists the key without its secret.
      await page.goto(`${suite.demo.kitUrl}/api-keys`);
      await keysTable(page);
      expect(await page.content()).not.toContain(key);
      expect(await countByRole(page, 'row', undefined, { within: await keysTable(page), text: 'python backend' })).toBe(1);
      expect(await (await row(page, 'python backend')).evaluate((element) => element.textContent)).toContain('never');

      expect((await ordersWith(key)).status).toBe(200);
      await page.goto(`${suite.demo.kitUrl}/api-keys`);
      await expect
        .poll(async () => (await textsByRole(page, 'cell', undefined, { within: await row(page, 'python backend') }))[5])
        .toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      const [listed] = await suite.demo.assessmentKit.apiKeys.list();
      expect(listed).toMatchObject({ name: 'python backend', scopes: ['read', 'write'], tenantId: 'tenant-acme', revokedAt: null });
      expect(suite.demo.logs.join('\n')).not.toContain(key);
    });

    it('Revoke ends the key at once; the row says revoked', async () => {
      const { page } = suite;
      const key = await createKey(page, 'to revoke');
      expect((await ordersWith(key)).status).toBe(200);
      await page.goto(`${suite.demo.kitUrl}/api-keys`);
      await Promise.all([page.waitForNavigation(), clickByRole(page, 'button', 'Revoke to revoke', { within: await row(page, 'to revoke') })]);
      expect(page.url()).toBe(`${suite.demo.kitUrl}/api-keys`);
      const revoked = await row(page, 'to revoke', /to revoke.*revoked \d{4}-/s);
      expect(await countByRole(page, 'button', undefined, { within: revoked })).toBe(0);
      expect((await ordersWith(key)).status).toBe(401);
    });

    it('a bad request shows its error and creates nothing', async () => {
      const { page } = suite;
      const before = (await suite.demo.kit.apiKeys.list()).length;
      await page.goto(`${suite.demo.kitUrl}/api-keys`);
      await selectByLabel(page, 'Kit', 'General Partner kit (connections, proxy)');
      await fillByLabel(page, 'Name', 'no scope');
      await setCheckedByLabel(page, 'read', false, { within: await byRole(page, 'group', 'Scopes') });
      await clickByRole(page, 'button', 'Create key');
      await byRole(page, 'alert', undefined, { text: 'name at least one scope' });
      expect((await suite.demo.kit.apiKeys.list()).length).toBe(before);
    });
  });

  // Not a browser test: once, with the first engine's demo.
  describe.runIf(engine === ENGINES[0])('the POST guards (over HTTP)', () => {
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
});
