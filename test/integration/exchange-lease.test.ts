/**
 * The exchange lease's heartbeat and what a holder does when its lease is gone (issue 9 item 7;
 * reference/security.md T33, T35), on a real SQLite store with short timings, SmartRecruiters'
 * exchange stubbed so the test decides what happens while it is "in flight":
 *
 * - a live holder keeps its lease past the expiry by renewing it; released (or dead), it lapses;
 * - a renewal that finds the lease taken over says so, and that holder never activates: the new
 *   holder's outcome becomes its approval's, and it records no failure of its own on the row;
 * - an approval waiting on a live holder answers 409 ATS_EXCHANGE_IN_PROGRESS with Retry-After, and
 *   takes over once the holder stops renewing, with the same Idempotency-Key;
 * - taking over from a holder that died mid-exchange is an ambiguous outcome: the Assessment
 *   exchange's 409 then means SmartRecruiters holds our credentials (seed 003 §1.3).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticatedUser } from '../../server/config.js';
import { CompanyClaims } from '../../server/consent/company-claims.js';
import { ExchangeLease, type LeaseTiming } from '../../server/consent/exchange-lease.js';
import { IntegrationExchange } from '../../server/consent/integration-exchange.js';
import { Cipher } from '../../server/crypto/cipher.js';
import { SecretHasher } from '../../server/crypto/secrets.js';
import { AtsServerError } from '../../server/errors.js';
import { KitEvents } from '../../server/events/kit-events.js';
import { createLogger } from '../../server/log.js';
import { OutboundError } from '../../server/oauth/outbound.js';
import type { CredentialExchange } from '../../server/providers/smartrecruiters.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';

// Short, with room for a busy test machine: a renewal may be 500 ms late before the lease lapses.
const TIMING: LeaseTiming = { expiryMs: 600, renewEveryMs: 100 };
const user: AuthenticatedUser = { id: 'user-1', tenantId: 'tenant-1', displayName: 'Admin', email: 'admin@example.test' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-lease-')), 'lease.sqlite') });
});
afterAll(async () => {
  await store?.close();
});

let counter = 0;
const nextCompany = (label: string) => `${label}-${++counter}`;

/** An exchange wired to the real store, with SR's part played by `exchangeCredentials`; events seen are collected. */
function exchangeWith(exchangeCredentials: CredentialExchange, waitForHolderMs = 2_000, product: 'general' | 'assessment' = 'general') {
  const keys = new Map([[1, randomBytes(32)]]);
  const events = new KitEvents(createLogger('silent'), false, Date.now);
  const published: string[] = [];
  for (const type of ['integration.enabled', 'integration.failed'] as const) events.on(type, (event) => void published.push(event.type));
  const exchange = new IntegrationExchange({
    store,
    cipher: new Cipher(keys, 1),
    hasher: new SecretHasher(keys, 1),
    exchangeCredentials,
    product,
    events,
    authorizeCompany: () => true,
    claims: new CompanyClaims({ maxPerUser: 1_000, maxPerTenant: 1_000, windowSeconds: 60 }),
    leaseTiming: TIMING,
    waitForHolderMs,
  });
  return { exchange, published };
}

/** Another instance takes the lease over, as one does once a stalled holder's lease has lapsed (seen here from a clock a minute ahead). */
async function takeOver(companyId: string, owner: string): Promise<void> {
  const ahead = Date.now() + 60_000;
  expect(await store.integrations.acquireLease(companyId, owner, ahead + 60_000, ahead)).toBe(true);
}

const exchangeLog = async (companyId: string) => (await store.audit.list({ companyId })).filter((entry) => entry.event === 'exchange');

describe('the heartbeat', () => {
  it('keeps a live holder’s lease past its expiry; released, the lease lapses and another instance takes it', async () => {
    const companyId = nextCompany('BEAT');
    await store.integrations.insertPending(
      { id: `row-${companyId}`, companyId, tenantId: 't', approvedBy: 'u', issuedClientId: `client-${companyId}`, issuedSecretHash: 'h', issuedSecretPending: 'p' },
      Date.now(),
    );
    const lease = (await ExchangeLease.acquire(store.integrations, companyId, 'holder', TIMING, Date.now))!;
    expect(lease).toBeDefined();
    await sleep(TIMING.expiryMs * 3);
    expect(await store.integrations.acquireLease(companyId, 'waiter', Date.now() + TIMING.expiryMs, Date.now())).toBe(false);
    expect(lease.lost).toBe(false);
    lease.release();
    await sleep(TIMING.expiryMs + 100);
    expect(await store.integrations.acquireLease(companyId, 'waiter', Date.now() + TIMING.expiryMs, Date.now())).toBe(true);
  });

  it('a renewal that finds the lease taken over marks it lost', async () => {
    const companyId = nextCompany('LOST');
    await store.integrations.insertPending(
      { id: `row-${companyId}`, companyId, tenantId: 't', approvedBy: 'u', issuedClientId: `client-${companyId}`, issuedSecretHash: 'h', issuedSecretPending: 'p' },
      Date.now(),
    );
    const lease = (await ExchangeLease.acquire(store.integrations, companyId, 'holder', TIMING, Date.now))!;
    await takeOver(companyId, 'new-holder');
    await sleep(TIMING.renewEveryMs * 3);
    expect(lease.lost).toBe(true);
    lease.release();
  });
});

describe('a holder whose lease was taken over (its process stalled past the expiry)', () => {
  it('does not activate: the new holder’s outcome is its approval’s, and it publishes nothing', async () => {
    const companyId = nextCompany('STALLED');
    const { exchange, published } = exchangeWith(async () => {
      await takeOver(companyId, 'new-holder');
      setTimeout(() => void store.integrations.activate(companyId, 'new-holder', { srCredentials: 'v1.sr', srIntegrationId: 'from-new-holder' }, Date.now()), 200);
      return { clientId: 'sr-client', clientSecret: 'sr-secret', integrationId: 'from-stalled-holder' };
    });
    const row = await exchange.approve(companyId, user);
    expect(row).toMatchObject({ state: 'active', sr_integration_id: 'from-new-holder' });
    expect(published).toEqual([]);
    expect((await exchangeLog(companyId)).map((entry) => [entry.outcome, entry.detail?.code])).toEqual([['failure', 'lease_lost']]);
  });

  it('whose own call failed records no failure on the row and follows the new holder', async () => {
    const companyId = nextCompany('STALLED-FAIL');
    const { exchange, published } = exchangeWith(async () => {
      await takeOver(companyId, 'new-holder');
      setTimeout(() => void store.integrations.activate(companyId, 'new-holder', { srCredentials: 'v1.sr', srIntegrationId: 'from-new-holder' }, Date.now()), 200);
      throw new OutboundError('integrations', 'timeout');
    });
    const row = await exchange.approve(companyId, user);
    expect(row).toMatchObject({ state: 'active', sr_integration_id: 'from-new-holder', last_error: null });
    expect(published).toEqual([]);
    const log = await exchangeLog(companyId);
    expect(log.map((entry) => [entry.outcome, entry.detail?.code, entry.detail?.leaseLost])).toEqual([['failure', 'ATS_UPSTREAM_TIMEOUT', true]]);
  });
});

describe('an approval while another instance holds the lease', () => {
  it('answers 409 ATS_EXCHANGE_IN_PROGRESS with Retry-After while the holder renews; once it stops, takes over with the same Idempotency-Key', async () => {
    const companyId = nextCompany('WAITER');
    const sent: string[] = [];
    const { exchange } = exchangeWith(async (_request, key) => {
      sent.push(key);
      if (sent.length === 1) throw new OutboundError('integrations', 'unavailable', { status: 500 });
      return { clientId: 'sr-client', clientSecret: 'sr-secret', integrationId: 'from-waiter' };
    }, 800);
    // A first attempt failed: the row keeps its pending credentials for the retry (T33).
    await expect(exchange.approve(companyId, user)).rejects.toMatchObject({ code: 'ATS_UPSTREAM_UNAVAILABLE' });
    const row = (await store.integrations.findByCompany(companyId))!;
    // Another instance is retrying now, alive and renewing.
    const elsewhere = (await ExchangeLease.acquire(store.integrations, companyId, 'elsewhere', TIMING, Date.now))!;

    const started = Date.now();
    const refused = await exchange.approve(companyId, user).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AtsServerError);
    expect(refused).toMatchObject({ status: 409, code: 'ATS_EXCHANGE_IN_PROGRESS', retryable: true, headers: { 'retry-after': '1' } });
    expect(Date.now() - started).toBeGreaterThan(TIMING.expiryMs); // past the first expiry: the heartbeat held the lease
    expect(sent).toHaveLength(1);

    elsewhere.release(); // its process died: nobody renews, the lease lapses
    const active = await exchange.approve(companyId, user);
    expect(active).toMatchObject({ state: 'active', sr_integration_id: 'from-waiter' });
    expect(sent).toEqual([`${row.id}:${row.issued_client_id}`, `${row.id}:${row.issued_client_id}`]);
  });
});

describe('taking over from a holder that died mid-exchange (Assessment)', () => {
  const conflict = () => new OutboundError('integrations', 'conflict', { status: 409 });

  it('reads SR\'s 409 as "SR holds our credentials, its answer was lost": the dead holder may have been answered', async () => {
    const companyId = nextCompany('ASSESS-CRASH');
    const calls: string[] = [];
    const { exchange } = exchangeWith(async (_request, key) => {
      calls.push(key);
      if (calls.length === 1) throw new OutboundError('integrations', 'forbidden', { status: 403 }); // not ambiguous: SR stored nothing
      throw conflict();
    }, 2_000, 'assessment');
    await expect(exchange.approve(companyId, user)).rejects.toMatchObject({ code: 'ATS_UPSTREAM_FORBIDDEN' });
    // The next attempt's process takes the lease, sends, and dies before SR answers: its lease lapses.
    (await ExchangeLease.acquire(store.integrations, companyId, 'died', TIMING, Date.now))!.release();
    await expect(exchange.approve(companyId, user)).rejects.toMatchObject({ status: 409, code: 'ATS_SR_CREDENTIALS_LOST' });
  });

  it('without a dead holder, the same 409 after an unambiguous failure is an integration from elsewhere', async () => {
    const companyId = nextCompany('ASSESS-PLAIN');
    let calls = 0;
    const { exchange } = exchangeWith(async () => {
      calls += 1;
      if (calls === 1) throw new OutboundError('integrations', 'forbidden', { status: 403 });
      throw conflict();
    }, 2_000, 'assessment');
    await expect(exchange.approve(companyId, user)).rejects.toMatchObject({ code: 'ATS_UPSTREAM_FORBIDDEN' });
    await expect(exchange.approve(companyId, user)).rejects.toMatchObject({ status: 409, code: 'ATS_UPSTREAM_CONFLICT' });
  });
});
