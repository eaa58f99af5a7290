/**
 * After a crash, the user is not left waiting (issue 9 item 7; reference/security.md T33, T35).
 *
 * Two kit processes share one database (a SQLite file, then a real PostgreSQL), as a partner runs
 * them behind a load balancer; SmartRecruiters is the fake, here, holding the exchange's answer back.
 *
 * - Instance A takes the company's exchange lease, SR receives (and commits) its exchange, and A is
 *   killed with SIGKILL before SR answers. The admin's retry reaches instance B: B takes over once
 *   A's short lease lapses (nobody renews it any more) and completes within seconds, sending the
 *   identical exchange under the same Idempotency-Key, so SR keeps one integration.
 * - A live A whose call to SR is slow keeps renewing its lease: B answers "in progress" for as long
 *   as it takes, past the lease's expiry, and never sends an exchange of its own.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { openStore } from '../../server/store/open-store.js';
import type { ResolvedConfig } from '../../server/config.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startKitProcess, type KitProcess } from '../helpers/kit-process.js';
import { createDatabase } from '../helpers/postgres.js';

/** Generous: the lease lapses about 5 s after the crash; the lease as it was (timeout-based) took 45 s. */
const TAKEOVER_BOUND_MS = 10_000;
const PUBLIC_ORIGIN = 'http://localhost:8443';

let fake: FakeSmartRecruiters;
let srServer: Server;
let srUrl: string;
/** Every exchange SR received, with its Idempotency-Key, in order. */
const exchanges: Array<{ key: string; at: number }> = [];
let exchangeArrived: (() => void) | undefined;
const running: KitProcess[] = [];

beforeAll(async () => {
  fake = new FakeSmartRecruiters({ appId: 'app', masterClientId: 'master', masterClientSecret: 'master-secret' });
  srServer = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/apps-integrations/partner-api/integrations') {
      exchanges.push({ key: String(req.headers['idempotency-key'] ?? ''), at: Date.now() });
      exchangeArrived?.();
    }
    fake.handle(req, res);
  });
  await new Promise<void>((resolve) => srServer.listen(0, '127.0.0.1', resolve));
  srUrl = `http://127.0.0.1:${(srServer.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((kit) => kit.stop()));
  fake.clearFaults();
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    srServer?.close(() => resolve());
    srServer?.closeAllConnections();
  });
});

const nextExchange = () => new Promise<void>((resolve) => (exchangeArrived = resolve));

/** `skewBMs`: instance B's host clock runs this far ahead (test/helpers/host-clock-skew.mjs). */
async function twoInstances(database: ResolvedConfig['database'], skewBMs = 0): Promise<[KitProcess, KitProcess]> {
  const env = {
    ATS_PUBLIC_URL: PUBLIC_ORIGIN,
    ATS_PARTNER_NAME: 'Crash Takeover',
    ATS_SR_API_BASE_URL: srUrl,
    ATS_SR_APP_ID: 'app',
    ATS_SR_CLIENT_ID: 'master',
    ATS_SR_CLIENT_SECRET: 'master-secret',
    ATS_SR_ALLOWED_ORIGINS: srUrl,
    ATS_SESSION_SECRET: 's'.repeat(40),
    ATS_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    ATS_DATABASE_URL: database.kind === 'postgres' ? database.url : `sqlite:${database.path}`,
    ATS_USERS_FILE: 'demo/users.example.json',
  };
  // One after the other: both migrate the same database, and a SQLite file takes one writer at a time.
  const a = await startKitProcess(env);
  running.push(a);
  const b = skewBMs === 0 ? await startKitProcess(env) : await startKitProcess({ ...env, ATS_TEST_CLOCK_SKEW_MS: String(skewBMs) }, ['--import', './test/helpers/host-clock-skew.mjs']);
  running.push(b);
  return [a, b];
}

/** The admin's session, begun on `first`, used against `other` (sessions are sealed cookies: any instance reads them). */
function sameSessionOn(other: KitProcess, first: ConsentApi): ConsentApi {
  return Object.assign(new ConsentApi(other.url, '/ats/consent', PUBLIC_ORIGIN), { session: first.session, csrf: first.csrf });
}

async function rowsOf(database: ResolvedConfig['database'], companyId: string) {
  const store = await openStore(database);
  try {
    const rows = (await store.integrations.list()).filter((row) => row.company_id === companyId);
    const audit = (await store.audit.list({ companyId })).filter((entry) => entry.event === 'exchange');
    return { rows, audit };
  } finally {
    await store.close();
  }
}

const DATABASES: Array<{ name: string; open: () => Promise<ResolvedConfig['database']> }> = [
  { name: 'a SQLite file shared by two processes', open: async () => ({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-takeover-')), 'kit.sqlite') }) },
  { name: 'PostgreSQL', open: async () => ({ kind: 'postgres', url: await createDatabase(inject('postgresUrl'), 'takeover') }) },
];

describe.each(DATABASES)('exchange lease on $name', ({ name, open }) => {
  it('the holder is killed mid-exchange: the retry on the other instance completes within seconds, one integration at SR', async () => {
    const database = await open();
    const [a, b] = await twoInstances(database);
    const companyId = `CRASH-${name.slice(0, 6).toUpperCase().replace(/\W/g, '')}`;
    const onA = await new ConsentApi(a.url, '/ats/consent', PUBLIC_ORIGIN).start(companyId);
    fake.options.faultDelayMs = 60_000; // SR commits, then holds its answer: A dies waiting for it
    fake.injectFault('delay');
    const before = exchanges.length;
    const arrived = nextExchange();
    const doomed = onA.approve().catch(() => undefined);
    await arrived;
    await a.kill9();
    const killedAt = Date.now();
    await doomed;

    const { response, waited } = await sameSessionOn(b, onA).approveUntilSettled();
    const takeoverMs = Date.now() - killedAt;
    console.log(`[${name}] retry after kill -9 completed in ${takeoverMs} ms (${waited.length} in-progress answers first)`);

    expect(response.status).toBe(200);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    // What the widget showed meanwhile: "still finishing", with when to ask again.
    for (const answer of waited) {
      expect(answer.body).toMatchObject({ error: 'ATS_EXCHANGE_IN_PROGRESS', retryable: true });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // A's exchange (lost with A) and B's, identical: same generation of credentials, same key, one integration.
    const sent = exchanges.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    const { rows, audit } = await rowsOf(database, companyId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'active', lease_owner: null, issued_secret_pending: null });
    expect(sent[0]!.key).toBe(`${rows[0]!.id}:${rows[0]!.issued_client_id}`);
    expect(fake.integrations.get(companyId)).toMatchObject({ partnerClientId: rows[0]!.issued_client_id, integrationId: rows[0]!.sr_integration_id });
    expect(audit.map((entry) => entry.outcome)).toEqual(['success']);
  });

  it('a live holder with a slow SR keeps its lease: the other instance answers "in progress" and never takes over', async () => {
    const database = await open();
    const [a, b] = await twoInstances(database);
    const companyId = `SLOW-${name.slice(0, 6).toUpperCase().replace(/\W/g, '')}`;
    const onA = await new ConsentApi(a.url, '/ats/consent', PUBLIC_ORIGIN).start(companyId);
    fake.options.faultDelayMs = 7_000; // longer than the lease's expiry, shorter than the 10 s outbound timeout
    fake.injectFault('delay');
    const before = exchanges.length;
    const arrived = nextExchange();
    const holding = onA.approve();
    await arrived;
    const sentAt = Date.now();

    const onB = sameSessionOn(b, onA);
    const { response, waited } = await onB.approveUntilSettled();
    const answeredAt = Date.now();
    expect((await holding).status).toBe(200);
    expect(response.status).toBe(200);
    // B was told "in progress" until SR answered A, well past the lease's expiry: A's heartbeat kept it.
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.every((answer) => answer.body.error === 'ATS_EXCHANGE_IN_PROGRESS')).toBe(true);
    expect(answeredAt - sentAt).toBeGreaterThan(6_500);
    // Only A ever talked to SR.
    expect(exchanges.length - before).toBe(1);
    const { rows, audit } = await rowsOf(database, companyId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('active');
    expect(audit.map((entry) => entry.outcome)).toEqual(['success']);
  });
});

describe('exchange lease on PostgreSQL with one host clock running ahead (outside review L3)', () => {
  it('instance B’s clock is 60 s ahead: B keeps time by the database’s, never takes over A’s live lease, and logs the difference', async () => {
    const database: ResolvedConfig['database'] = { kind: 'postgres', url: await createDatabase(inject('postgresUrl'), 'skew') };
    const [a, b] = await twoInstances(database, 60_000);
    const onA = await new ConsentApi(a.url, '/ats/consent', PUBLIC_ORIGIN).start('SKEW-1');
    fake.options.faultDelayMs = 7_000; // A holds (and renews) its lease while SR takes its time, past what B would wait for
    fake.injectFault('delay');
    const before = exchanges.length;
    const arrived = nextExchange();
    const holding = onA.approve();
    await arrived;

    // On its own clock B would see A's lease (until about 5 s from now) as expired a minute ago.
    const { response, waited } = await sameSessionOn(b, onA).approveUntilSettled();
    expect((await holding).status).toBe(200);
    expect(response.status).toBe(200);
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.every((answer) => answer.body.error === 'ATS_EXCHANGE_IN_PROGRESS')).toBe(true);
    expect(exchanges.length - before).toBe(1);
    const { rows, audit } = await rowsOf(database, 'SKEW-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('active');
    expect(audit.map((entry) => entry.outcome)).toEqual(['success']);
    expect(b.output()).toContain("this host's clock differs from the database server's");
    expect(a.output()).not.toContain("this host's clock differs");
  });

  it('a host clock two hours ahead: a sign-in made there still counts, since it is stamped and checked on the kit’s clock', async () => {
    const database: ResolvedConfig['database'] = { kind: 'postgres', url: await createDatabase(inject('postgresUrl'), 'skew') };
    const [, b] = await twoInstances(database, 2 * 60 * 60_000);
    const onB = await new ConsentApi(b.url, '/ats/consent', PUBLIC_ORIGIN).start('SKEW-2');
    // Against the host's clock the sign-in would look two hours old, past its one-hour limit (T4).
    const response = await onB.approve();
    expect(response.status).toBe(200);
    expect((await rowsOf(database, 'SKEW-2')).rows[0]?.state).toBe('active');
  });
});
