/**
 * `ats-consent serve` as a partner runs it (a child process, environment variables only), for issue
 * 14 item 6: on SIGTERM a slow request in flight still gets its answer; result delivery stuck on a
 * SmartRecruiters call that does not answer is cut short at ATS_SHUTDOWN_TIMEOUT_MS, its company
 * lease handed back (another instance can take it at once, not after the lease's 15 s), and the
 * process exits 0. The metrics are served on ATS_METRICS_PORT only, never on the public port, and
 * carry operation ids and closed label sets, never a raw path, a key, a token or candidate data.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { srConfigure } from '../../server/cli/sr-configure.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';
import { runCli, startCli, type RunningCli } from '../helpers/cli-process.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { assessmentKitEnv, startFakeSrServer, type FakeSrServer } from '../helpers/fake-sr-server.js';
import { freePort } from '../helpers/free-port.js';

const COMPANY = 'ACME-ASSESS';
const CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
let sr: FakeSrServer;
let fake: FakeSmartRecruiters;
let srUrl: string;
/** While set, SR's results PATCHes are held unanswered (released at the end). */
let holdResults = false;
const held: Array<() => void> = [];
/** While set, SR's credential exchanges (PUT/POST …/integration/company/{id}) are held unanswered. */
let holdExchange = false;
/** Delay before SR answers a candidate read. */
let readDelayMs = 0;
const running: RunningCli[] = [];

beforeAll(async () => {
  sr = await startFakeSrServer({
    intercept: (req, res, fake) => {
      const hold = (holdResults && req.method === 'PATCH' && /\/results$/.test(req.url ?? '')) || (holdExchange && req.method !== 'GET' && /\/integration\/company\//.test(req.url ?? ''));
      if (hold) held.push(() => void fake.handle(req, res));
      else if (readDelayMs > 0 && req.method === 'GET' && /\/candidates\//.test(req.url ?? '')) setTimeout(() => void fake.handle(req, res), readDelayMs);
      else return false;
      return true;
    },
  });
  fake = sr.fake;
  srUrl = sr.url;
});

afterAll(async () => {
  for (const release of held.splice(0)) release();
  await Promise.all(running.map((cli) => cli.stop('SIGKILL')));
  await sr?.close();
});

const kitEnv = (port: number, extra: Record<string, string> = {}) => assessmentKitEnv(srUrl, port, { partnerName: 'Shutdown Assessments', timeoutMs: 20_000 }, extra);

/** The stopped kit's database, as the next instance would open it. */
async function withStore(env: Record<string, string>, use: (store: Store, now: number) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: 'sqlite', path: env.ATS_DATABASE_URL!.slice('sqlite:'.length) });
  try {
    await use(store, Date.now());
  } finally {
    await store.close();
  }
}

async function serve(env: Record<string, string>): Promise<{ cli: RunningCli; url: string }> {
  const cli = startCli(['serve'], env);
  running.push(cli);
  const [, url] = await cli.waitFor(/listening on (http:\/\/[\d.:]+)/);
  return { cli, url: url! };
}

/** Registers with the fake SR, connects COMPANY, places an order; returns the order id and a read+write key. */
async function connectedOrder(env: Record<string, string>, url: string): Promise<{ orderId: string; key: string }> {
  expect(await srConfigure(env, [], () => undefined)).toBe(0);
  fake.assessment!.integrations.delete(COMPANY);
  fake.assessment!.recordConsent(COMPANY);
  const consent = await new ConsentApi(url, '/ats/consent', env.ATS_PUBLIC_URL).start(COMPANY);
  expect((await consent.approve()).status).toBe(200);
  const ordered = await fake.assessment!.orderAssessment(COMPANY, CANDIDATE, 'static-skills');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  const created = await runCli(['keys', 'create', '--scopes', 'read,write', '--name', 'shutdown test', '--json'], env);
  expect(created.code, created.stderr).toBe(0);
  return { orderId: ordered.orderId!, key: (JSON.parse(created.stdout) as { key: string }).key };
}

describe('ats-consent serve: graceful shutdown', () => {
  it('SIGTERM: the slow request in flight is answered; delivery stuck at SR past ATS_SHUTDOWN_TIMEOUT_MS hands its company lease back; exit 0', async () => {
    const port = await freePort();
    // The partner's webhook receiver takes every event and never answers: the kit holds their leases.
    const receiver = createServer(() => undefined);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const env = kitEnv(port, { ATS_SHUTDOWN_TIMEOUT_MS: '2500', ATS_WEBHOOK_URL: hook, ATS_WEBHOOK_SECRET: 'w'.repeat(32) });
    const { cli, url } = await serve(env);
    const { orderId, key } = await connectedOrder(env, url);
    const partner = `${url}/ats/partner/v1`;
    const auth = { authorization: `Bearer ${key}` };

    // A result whose delivery SR never answers: the kit holds the company's delivery lease.
    holdResults = true;
    const patched = await fetch(`${partner}/assessment/orders/${orderId}/result`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'COMPLETED', score: { raw: 9, min: 0, max: 10 } }),
    });
    expect(patched.status).toBe(202);
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);

    // A read SR answers slowly, in flight when the signal arrives.
    readDelayMs = 1_200;
    const started = Date.now();
    const slowRead = fetch(`${partner}/assessment/orders/${orderId}/candidate`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = cli.stop('SIGTERM');
    const read = await slowRead;
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id?: string }).id).toBe(CANDIDATE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);

    // The process ends soon after the 2.5 s deadline, not at SR's 20 s timeout, and with 0.
    expect(await stopped).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(cli.output().stdout).toMatch(/ats-consent stopped \(SIGTERM; work still running after 2500 ms was cut short and its leases handed back\)/);

    // The lease is free now: another instance takes the company at once (it was held for 15 s).
    await withStore(env, async (store, now) => {
      expect(await store.results.acquireCompanyLease(COMPANY, 'next-instance', now + 15_000, now)).toBe(true);
      // The webhook events it was sending are free and due for the next instance (not after 30 s).
      const waiting = (await store.outbox.list()).filter((row) => row.delivered_at === null);
      expect(waiting.length).toBeGreaterThan(0);
      for (const row of waiting) expect(row.lease_owner).toBeNull();
    });
    receiver.closeAllConnections();
    receiver.close();
    holdResults = false;
    for (const release of held.splice(0)) release();
  }, 60_000);

  it('SIGTERM during a consent exchange SR does not answer: at the deadline the exchange lease lapses at once (another instance takes over), exit 0', async () => {
    const port = await freePort();
    const env = kitEnv(port, { ATS_SHUTDOWN_TIMEOUT_MS: '1500' });
    const { cli, url } = await serve(env);
    expect(await srConfigure(env, [], () => undefined)).toBe(0);
    fake.assessment!.integrations.delete(COMPANY);
    fake.assessment!.recordConsent(COMPANY);
    const consent = await new ConsentApi(url, '/ats/consent', env.ATS_PUBLIC_URL).start(COMPANY);
    holdExchange = true;
    const heldBefore = held.length;
    const approving = consent.approve().catch((error: unknown) => error); // cut short: the connection closes
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(heldBefore);
    const started = Date.now();
    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(6_000);
    await approving;
    await withStore(env, async (store, now) => {
      const row = await store.integrations.findByCompany(COMPANY);
      // Still recorded as the stopped process's, so the taker knows SR may have its exchange; lapsed.
      expect(row).toMatchObject({ state: 'pending', lease_until: 0 });
      expect(row!.lease_owner).not.toBeNull();
      expect(await store.integrations.acquireLease(COMPANY, 'next-instance', now + 5_000, now)).toBe(true);
    });
    holdExchange = false;
    for (const release of held.splice(0)) release();
  }, 60_000);

  it('a stop with nothing in flight is immediate and says nothing was cut short', async () => {
    const { cli } = await serve(kitEnv(await freePort()));
    const started = Date.now();
    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(cli.output().stdout).toMatch(/ats-consent stopped \(SIGTERM\)\n/);
  }, 30_000);

  it('refuses a bad ATS_SHUTDOWN_TIMEOUT_MS or ATS_METRICS_PORT at start (exit 1)', async () => {
    const extras: Array<Record<string, string>> = [{ ATS_SHUTDOWN_TIMEOUT_MS: 'soon' }, { ATS_METRICS_PORT: '99999' }];
    for (const extra of extras) {
      const run = await runCli(['serve'], kitEnv(await freePort(), extra));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ATS_SHUTDOWN_TIMEOUT_MS|ATS_METRICS_PORT/);
    }
  }, 30_000);
});

describe('ats-consent serve: metrics', () => {
  it('on ATS_METRICS_PORT only (not on the public port); requests by operation id and status, outbox depth and age, SR 429s; no path, key or candidate data in any label', async () => {
    const metricsPort = await freePort();
    const port = await freePort();
    const env = kitEnv(port, { ATS_METRICS_PORT: String(metricsPort) });
    const { cli, url } = await serve(env);
    await cli.waitFor(/metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const { orderId, key } = await connectedOrder(env, url);
    const partner = `${url}/ats/partner/v1`;
    const auth = { authorization: `Bearer ${key}` };
    expect((await fetch(`${partner}/assessment/orders/${orderId}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${partner}/assessment/orders/${orderId}/candidate`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${partner}/no/such/${CANDIDATE}`, { headers: auth })).status).toBe(404);
    fake.assessment!.injectFault('reads', 'status-429', 1);
    expect((await fetch(`${partner}/assessment/orders/${orderId}/job`, { headers: auth })).status).toBe(200); // retried after SR's 429

    // Not on the public listener, under any name.
    for (const path of ['/metrics', '/ats/metrics', '/ats/partner/v1/metrics']) expect((await fetch(`${url}${path}`, { headers: auth })).status).toBe(404);

    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    const answer = await fetch(`${metricsUrl}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    expect(text).toMatch(/^ats_partner_api_requests_total\{operation="getAssessmentOrder",method="GET",status="200"\} 1$/m);
    expect(text).toMatch(/^ats_partner_api_requests_total\{operation="getAssessmentOrderCandidate",method="GET",status="200"\} 1$/m);
    expect(text).toMatch(/^ats_partner_api_requests_total\{operation="unmatched",method="GET",status="404"\} 2$/m); // /no/such/… and /ats/partner/v1/metrics
    expect(text).toMatch(/^ats_partner_api_request_duration_seconds_bucket\{le="0\.005",operation="getAssessmentOrder"\} \d+$/m);
    expect(text).toMatch(/^ats_sr_rate_limited_total 1$/m);
    for (const queue of ['webhooks', 'sr_results', 'sr_attachments']) {
      expect(text).toMatch(new RegExp(`^ats_outbox_depth\\{queue="${queue}"\\} \\d+$`, 'm'));
      expect(text).toMatch(new RegExp(`^ats_outbox_oldest_pending_age_seconds\\{queue="${queue}"\\} [\\d.e+-]+$`, 'm'));
    }
    expect(text).toMatch(/^# TYPE ats_provider_token_refreshes_total counter$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    // Nothing that identifies a request, a company, a candidate or a credential.
    for (const secret of [key, key.slice(0, 12), orderId, CANDIDATE, COMPANY, '/assessment/orders', '/no/such', env.ATS_ENCRYPTION_KEY!, 'assess-secret']) {
      expect(text, secret).not.toContain(secret);
    }
    for (const line of text.split('\n').filter((each) => each.includes('{'))) {
      for (const [, label, value] of line.matchAll(/(\w+)="([^"]*)"/g)) {
        expect(['operation', 'method', 'status', 'queue', 'le', 'provider', 'outcome', 'version', 'major', 'minor', 'patch', 'space', 'kind', 'type'], `${label} in ${line}`).toContain(label);
        expect(value, line).toMatch(/^[\w.+-]*$/);
      }
    }
    // The metrics listener serves nothing else.
    expect((await fetch(`${metricsUrl}/ats/partner/v1/openapi.json`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
    expect(await cli.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
