/**
 * `GET <prefix>/healthz` and `/readyz` when things are wrong: SmartRecruiters unreachable (200
 * degraded, with the reason and no secret) and the database gone (503 unavailable).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { createConsentKit, type ConsentKit } from '../../../server/kit.js';

let kit: ConsentKit;
let url: string;
let server: ReturnType<ReturnType<typeof createApp>['listen']>;
const masterSecret = randomBytes(24).toString('base64url');

beforeAll(async () => {
  kit = await createConsentKit({
    publicUrl: 'http://localhost:3998',
    partnerName: 'Health',
    smartRecruiters: { apiBaseUrl: 'http://127.0.0.1:1', appId: 'app', clientId: 'master', clientSecret: masterSecret, timeoutMs: 1_000 },
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
    databaseUrl: `sqlite:${join(mkdtempSync(join(tmpdir(), 'ats-health-')), 'kit.sqlite')}`,
    authenticate: async () => null,
    logLevel: 'silent',
  });
  server = createApp(kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('health probes', () => {
  it('SmartRecruiters unreachable: readyz 200 degraded, naming why, without the master secret', async () => {
    const response = await fetch(`${url}/ats/readyz`);
    const text = await response.text();
    expect(response.status).toBe(200);
    const body = JSON.parse(text) as { status: string; checks: { database: unknown; smartRecruitersMasterToken: { ok: boolean; reason: string } } };
    expect(body.status).toBe('degraded');
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.smartRecruitersMasterToken.ok).toBe(false);
    expect(body.checks.smartRecruitersMasterToken.reason).toMatch(/master token/);
    expect(text).not.toContain(masterSecret);
    expect(text).not.toContain('master"'); // no client id either
  });

  it('the database gone: readyz 503 unavailable; healthz still 200 (the process answers)', async () => {
    await kit.close();
    // A database check's answer serves the probes of the next second (readyz is public: a flood
    // costs one query a second); the previous test's answer must age out first.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const ready = await fetch(`${url}/ats/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { database: { ok: false, reason: 'the database does not answer' } } });
    const health = await fetch(`${url}/ats/healthz`);
    expect(health.status).toBe(200);
  });
});
