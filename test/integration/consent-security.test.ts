/**
 * The consent page and its API against the threats of reference/security.md §A–B and §2.2:
 * entry-parameter validation, headers, CSRF/Origin, session cookie, throttling, no-JS form posts,
 * bad bodies, and no secret in any log line.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { SESSION_HEADER } from '../../widget/protocol/http.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';
import { HOSTILE_REDIRECTS } from '../helpers/hostile-redirects.js';

let demo: TestDemo;
let sr: string;
beforeAll(async () => {
  demo = await startTestDemo();
  sr = demo.srUrl;
});
afterAll(async () => {
  await demo?.stop();
});

const page = (query: string, init: RequestInit = {}) =>
  fetch(`${demo.consentUrl}?${query}`, { redirect: 'manual', ...init });

describe('consent page headers (reference/security.md §2.2, T8)', () => {
  it('is framable only by the SmartRecruiters origins, with a nonce CSP and no X-Frame-Options', async () => {
    const response = await page(`companyId=ACME&redirect=${encodeURIComponent(sr + '/app/integrations')}`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain(`frame-ancestors ${sr}`);
    expect(csp).toContain(`script-src 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).toContain(`form-action 'self' ${sr}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-opener-policy')).toBeNull(); // T15: may be a popup that talks to its opener
    const html = await response.text();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script type="module" nonce="${nonce}"`);
  });

  it('every other response refuses framing', async () => {
    const response = await fetch(`${demo.consentUrl}/bootstrap?companyId=ACME`);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('entry parameters (T1, T2, T5)', () => {
  it.each(HOSTILE_REDIRECTS.map((vector) => [JSON.stringify(vector).slice(0, 60), vector]))(
    'redirect %s → 400 error page, no Location, no session',
    async (_label, vector) => {
      for (const url of [`${demo.consentUrl}?`, `${demo.consentUrl}/bootstrap?`]) {
        const response = await fetch(url + new URLSearchParams({ companyId: 'ACME', redirect: vector }), { redirect: 'manual' });
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('set-cookie')).toBeNull();
        expect((await response.json().catch(() => ({ error: 'ATS_INVALID_REDIRECT' }))).error).toBe('ATS_INVALID_REDIRECT');
      }
    },
  );

  it('the error page for a bad redirect is HTML, framable by SR so the admin reads it, and names the code', async () => {
    const response = await page('companyId=ACME&redirect=https%3A%2F%2Fevil.example%2F');
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain(`frame-ancestors ${sr}`);
    const html = await response.text();
    expect(html).toContain('ATS_INVALID_REDIRECT');
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('<script');
  });

  it('a repeated redirect parameter is refused, not turned into an array (T36)', async () => {
    const response = await page(`companyId=ACME&redirect=${encodeURIComponent(sr + '/a')}&redirect=${encodeURIComponent(sr + '/b')}`);
    expect(response.status).toBe(400);
  });

  it.each(['', '../x', '%2e%2e%2f', 'C1%00', 'X'.repeat(300), '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'])(
    'companyId %j → 400, never reflected',
    async (value) => {
      const response = await page(`companyId=${value}`);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('ATS_INVALID_COMPANY_ID');
      expect(html).not.toContain('<img');
    },
  );

  it('a forged Host or X-Forwarded-Host changes no URL the kit hands out (T36)', async () => {
    const response = await fetch(`${demo.consentUrl}?companyId=ACME`, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain('evil.example');
    const boot = await fetch(`${demo.consentUrl}/bootstrap?companyId=ACME`, { headers: { 'x-forwarded-host': 'evil.example' } });
    expect(await boot.text()).not.toContain('evil.example');
  });

  it('missing companyId → 400', async () => {
    expect((await fetch(demo.consentUrl)).status).toBe(400);
  });
});

describe('session cookie (T10, T12)', () => {
  it('is SameSite=None; Secure; Partitioned; HttpOnly, minutes long, __Host- named', async () => {
    const response = await fetch(`${demo.consentUrl}/bootstrap?companyId=ACME`);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-ats-session=[^;]+; Max-Age=840; Path=\/; HttpOnly; Secure; Partitioned; SameSite=None$/);
  });

  it('a tampered seal reads as no session: approve → 401', async () => {
    const api = await new ConsentApi(demo.kitUrl).start('TAMPER');
    const seal = api.session!;
    api.session = seal.slice(0, 40) + (seal[40] === 'a' ? 'b' : 'a') + seal.slice(41);
    const response = await api.approve();
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('ATS_SESSION_REQUIRED');
    expect(await demo.kit.integrations.get('TAMPER')).toBeUndefined();
  });

  it('a sign-in older than an hour counts as signed out, however often the session was renewed (T4)', async () => {
    const { sessionSecret } = JSON.parse(readFileSync(join(demo.dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string };
    const user = { id: 'user-acme-admin', tenantId: 'tenant-acme', displayName: 'Ada', email: 'admin@acme.test' };
    const seal = (signedInAt: number) => sealData({ csrf: 'c', user, signedInAt }, { password: sessionSecret, ttl: 900 });
    const bootstrapWith = async (session: string) =>
      (await (await fetch(`${demo.consentUrl}/bootstrap?companyId=AGED`, { headers: { [SESSION_HEADER]: session } })).json()).user;
    expect(await bootstrapWith(await seal(Date.now() - 5 * 60_000))).toMatchObject({ email: 'admin@acme.test' });
    expect(await bootstrapWith(await seal(Date.now() - 2 * 3600_000))).toBeNull();
  });

  it('sign-in issues a different seal and a new CSRF token; the pre-sign-in token no longer works (T4)', async () => {
    const api = new ConsentApi(demo.kitUrl);
    await api.bootstrap('FIXATION');
    const before = { session: api.session, csrf: api.csrf };
    await api.signIn();
    expect(api.session).not.toBe(before.session);
    expect(api.csrf).not.toBe(before.csrf);
    api.csrf = before.csrf;
    expect((await api.approve()).status).toBe(403);
  });
});

describe('sign-out ends every seal of the user (T12, issue 13 finding 7)', () => {
  it('a seal captured before sign-out is refused for approve, deny and renewal; a new sign-in works', async () => {
    const api = await new ConsentApi(demo.kitUrl).start('SIGNED-OUT-1');
    const captured = { session: api.session, csrf: api.csrf };
    // Another tab of the same user: its seal must die with the sign-out too.
    const otherTab = await new ConsentApi(demo.kitUrl).start('SIGNED-OUT-2');
    expect((await api.request('POST', '/sign-out', {})).status).toBe(200);

    const replay = new ConsentApi(demo.kitUrl);
    Object.assign(replay, captured);
    for (const [name, call] of [
      ['approve', () => replay.approve()],
      ['deny', () => replay.deny()],
      ['approve (other tab)', () => otherTab.approve()],
    ] as const) {
      const response = await call();
      expect(response.status, name).toBe(401);
      expect(response.body.error, name).toBe('ATS_SESSION_REQUIRED');
    }
    const renewed = await fetch(`${demo.consentUrl}/bootstrap?companyId=SIGNED-OUT-1`, { headers: { [SESSION_HEADER]: captured.session! } });
    expect((await renewed.json()).user).toBeNull();
    expect(await demo.kit.integrations.get('SIGNED-OUT-1')).toBeUndefined();
    expect(await demo.kit.integrations.get('SIGNED-OUT-2')).toBeUndefined();

    const again = await new ConsentApi(demo.kitUrl).start('SIGNED-OUT-1');
    expect((await again.approve()).status).toBe(200);
  });
});

describe('CSRF and Origin on state-changing requests (T3, T4)', () => {
  it.each([
    ['no CSRF token', { csrf: '' }, 'ATS_CSRF_MISMATCH'],
    ['wrong CSRF token', { csrf: 'x'.repeat(43) }, 'ATS_CSRF_MISMATCH'],
    ['evil Origin', { origin: 'https://evil.example' }, 'ATS_ORIGIN_MISMATCH'],
    ['SR Origin (cross-site)', { origin: 'SR' }, 'ATS_ORIGIN_MISMATCH'],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, 'ATS_ORIGIN_MISMATCH'],
  ])('approve with %s → 403, no exchange', async (_name, override, code) => {
    const companyId = `CSRF-${code}-${Math.random().toString(36).slice(2, 8)}`;
    const api = await new ConsentApi(demo.kitUrl).start(companyId);
    const headers: Record<string, string> = { ...(override as Record<string, string>) };
    if (headers.origin === 'SR') headers.origin = sr;
    if ('csrf' in headers) {
      api.csrf = headers.csrf || undefined;
      delete headers.csrf;
    }
    const response = await api.request('POST', '/approve', {}, headers);
    expect(response.status).toBe(403);
    expect(response.body.error).toBe(code);
    expect(demo.fakeSr.integrations.has(companyId)).toBe(false);
  });

  it('a POST without Origin is refused', async () => {
    const api = await new ConsentApi(demo.kitUrl).start('NO-ORIGIN');
    const response = await fetch(`${demo.consentUrl}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SESSION_HEADER]: api.session!, 'x-ats-csrf': api.csrf! },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it('sign-in from another origin → 403 and no Set-Cookie', async () => {
    const api = new ConsentApi(demo.kitUrl);
    await api.bootstrap('LOGIN-CSRF');
    const response = await api.request('POST', '/sign-in', { username: 'admin@acme.test', password: DEMO_PASSWORDS['admin@acme.test'] }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('GET /approve → 405 with Allow: POST', async () => {
    const response = await fetch(`${demo.consentUrl}/approve`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await response.json()).error).toBe('ATS_METHOD_NOT_ALLOWED');
  });

  it('approve before signing in → 401 ATS_SIGN_IN_REQUIRED', async () => {
    const api = new ConsentApi(demo.kitUrl);
    await api.bootstrap('NOT-SIGNED-IN');
    const response = await api.approve();
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('ATS_SIGN_IN_REQUIRED');
  });
});

describe('bad bodies change nothing (T25, T36)', () => {
  it.each([
    ['malformed JSON', '{"username":', 'application/json', 400],
    ['wrong content type', 'username=a', 'text/plain', 415],
    ['oversized body', JSON.stringify({ username: 'a', password: 'x'.repeat(40_000) }), 'application/json', 413],
    ['missing password', JSON.stringify({ username: 'admin@acme.test' }), 'application/json', 400],
    ['unknown field', JSON.stringify({ username: 'a@b.c', password: 'p', admin: true }), 'application/json', 400],
  ])('sign-in with %s → %i', async (_name, body, type, status) => {
    const api = new ConsentApi(demo.kitUrl);
    await api.bootstrap('BODIES');
    const response = await api.request('POST', '/sign-in', body, { 'content-type': type });
    expect(response.status).toBe(status);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('REDIRECT without JavaScript: 303 See Other (T7)', () => {
  async function formPost(path: string, redirect: string) {
    const api = await new ConsentApi(demo.kitUrl).start(`FORM-${path.slice(1).toUpperCase()}`, 'admin@acme.test', redirect);
    return fetch(`${demo.consentUrl}${path}?redirect=${encodeURIComponent('https://evil.example/')}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: demo.kitUrl, 'content-type': 'application/x-www-form-urlencoded', [SESSION_HEADER]: api.session! },
      body: new URLSearchParams({ csrf: api.csrf! }),
    });
  }

  it('approve answers 303 to the redirect stored at entry, whatever the request says', async () => {
    const response = await formPost('/approve', `${sr}/app/integrations?from=sr`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${sr}/app/integrations?from=sr`);
    expect(demo.fakeSr.integrations.has('FORM-APPROVE')).toBe(true);
  });

  it('deny answers 303 with error=access_denied (RFC 6749 §4.1.2.1)', async () => {
    const response = await formPost('/deny', `${sr}/app/integrations`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${sr}/app/integrations?error=access_denied`);
  });
});

describe('audit log and secrets (T6, item 10)', () => {
  it('records sign-in, approve, deny and exchange, and no secret appears in logs, audit rows or the database file', async () => {
    const api = await new ConsentApi(demo.kitUrl).start('AUDITED');
    await api.signIn('admin@acme.test', 'wrong-password');
    await api.approve();
    const denier = await new ConsentApi(demo.kitUrl).start('AUDITED-DENY');
    await denier.deny();

    const audit = await demo.kit.audit.list({ companyId: 'AUDITED' });
    expect(audit.map((entry) => `${entry.event}:${entry.outcome}`)).toEqual(
      expect.arrayContaining(['sign-in:success', 'sign-in:failure', 'approve:info', 'exchange:success']),
    );
    expect((await demo.kit.audit.list({ companyId: 'AUDITED-DENY' })).map((entry) => entry.event)).toContain('deny');

    const atSr = demo.fakeSr.integrations.get('AUDITED')!;
    const secrets = [
      atSr.partnerClientSecret!,
      atSr.srClientSecret,
      demo.fakeSr.options.masterClientSecret,
      DEMO_PASSWORDS['admin@acme.test']!,
      api.session!,
    ];
    const logs = demo.logs.join('\n');
    const auditText = JSON.stringify(await demo.kit.audit.list());
    const database = readdirSync(demo.dataDir)
      .filter((file) => file.startsWith('ats-consent.sqlite'))
      .map((file) => readFileSync(join(demo.dataDir, file)).toString('latin1'))
      .join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(auditText).not.toContain(secret);
      expect(database).not.toContain(secret);
    }
  });
});
