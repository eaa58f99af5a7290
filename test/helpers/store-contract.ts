/**
 * The Store contract: every adapter must pass the same suite (SQLite now; PostgreSQL plugs in here).
 */
import { describe, expect, it } from 'vitest';
import type { NewIntegration, Store } from '../../server/store/store.js';

let counter = 0;
const pending = (companyId: string, tenantId = 'tenant-a'): NewIntegration => ({
  id: `row-${++counter}-${companyId}`,
  companyId,
  tenantId,
  approvedBy: 'user-1',
  issuedClientId: `client-${counter}-${companyId}`,
  issuedSecretHash: 'v1.hash',
  issuedSecretPending: 'v1.cipher',
});

export function runStoreContract(name: string, openStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('insertPendingIntegration keeps the first row for a company', async () => {
      const store = await openStore();
      const first = await store.integrations.insertPending(pending('C1'), 1);
      const second = await store.integrations.insertPending(pending('C1', 'tenant-b'), 2);
      expect(second.id).toBe(first.id);
      expect(second.tenant_id).toBe('tenant-a');
      expect(second.state).toBe('pending');
      expect((await store.integrations.list()).filter((row) => row.company_id === 'C1')).toHaveLength(1);
      await store.close();
    });

    it('exactly one of many concurrent lease requests wins, and an expired lease can be taken over', async () => {
      const store = await openStore();
      await store.integrations.insertPending(pending('C2'), 1);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.integrations.acquireLease('C2', `owner-${i}`, 1_000, 10)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.integrations.acquireLease('C2', 'late', 2_000, 500)).toBe(false);
      expect(await store.integrations.acquireLease('C2', 'late', 3_000, 1_001)).toBe(true);
      await store.close();
    });

    it('the holder renews its lease (heartbeat): nobody takes a renewed lease; a lapsed one taken over cannot be renewed by its old holder', async () => {
      const store = await openStore();
      await store.integrations.insertPending(pending('C2R'), 1);
      expect(await store.integrations.acquireLease('C2R', 'holder', 1_000, 10)).toBe(true);
      expect(await store.integrations.renewLease('C2R', 'intruder', 5_000)).toBe(false);
      expect(await store.integrations.renewLease('C2R', 'holder', 2_000)).toBe(true);
      expect((await store.integrations.findByCompany('C2R'))).toMatchObject({ lease_owner: 'holder', lease_until: 2_000, updated_at: 10 });
      expect(await store.integrations.acquireLease('C2R', 'waiter', 6_000, 1_500)).toBe(false); // past the first expiry, inside the renewed one
      expect(await store.integrations.acquireLease('C2R', 'waiter', 6_000, 2_001)).toBe(true); // the heartbeat stopped: taken over
      expect(await store.integrations.renewLease('C2R', 'holder', 7_000)).toBe(false); // the old holder learns it lost the lease
      expect(await store.integrations.activate('C2R', 'holder', { srCredentials: 'x', srIntegrationId: 'i' }, 2_002)).toBe(false);
      expect((await store.integrations.findByCompany('C2R'))).toMatchObject({ state: 'pending', lease_owner: 'waiter', lease_until: 6_000 });
      expect(await store.integrations.activate('C2R', 'waiter', { srCredentials: 'v1.sr', srIntegrationId: 'int-r' }, 2_003)).toBe(true);
      expect(await store.integrations.renewLease('C2R', 'waiter', 9_000)).toBe(false); // done: a late heartbeat does not bring the lease back
      expect((await store.integrations.findByCompany('C2R'))).toMatchObject({ state: 'active', lease_owner: null, lease_until: null });
      await store.close();
    });

    it('only the lease owner can activate or fail; activation clears the pending secret and the lease', async () => {
      const store = await openStore();
      await store.integrations.insertPending(pending('C3'), 1);
      await store.integrations.acquireLease('C3', 'owner', 1_000, 1);
      expect(await store.integrations.activate('C3', 'intruder', { srCredentials: 'x', srIntegrationId: 'i' }, 2)).toBe(false);
      expect(await store.integrations.fail('C3', 'intruder', 'E', 2)).toBe(false);
      expect(await store.integrations.activate('C3', 'owner', { srCredentials: 'v1.sr', srIntegrationId: 'int-1' }, 3)).toBe(true);
      const row = (await store.integrations.findByCompany('C3'))!;
      expect(row).toMatchObject({ state: 'active', issued_secret_pending: null, lease_owner: null, lease_until: null, sr_integration_id: 'int-1', updated_at: 3 });
      expect(await store.integrations.acquireLease('C3', 'again', 10_000, 5)).toBe(false); // active rows are not re-exchanged
      await store.close();
    });

    it('a failed attempt keeps the pending credentials and frees the lease for the retry', async () => {
      const store = await openStore();
      await store.integrations.insertPending(pending('C4'), 1);
      await store.integrations.acquireLease('C4', 'owner', 1_000, 1);
      expect(await store.integrations.fail('C4', 'owner', 'ATS_UPSTREAM_TIMEOUT', 2)).toBe(true);
      const row = (await store.integrations.findByCompany('C4'))!;
      expect(row).toMatchObject({ state: 'failed', last_error: 'ATS_UPSTREAM_TIMEOUT', issued_secret_pending: 'v1.cipher', lease_owner: null });
      expect(await store.integrations.renewLease('C4', 'owner', 2_000)).toBe(false); // a late heartbeat after the failure
      expect(await store.integrations.acquireLease('C4', 'retry', 5_000, 3)).toBe(true);
      await store.close();
    });

    it('issued client ids are unique across companies', async () => {
      const store = await openStore();
      const a = pending('C5');
      await store.integrations.insertPending(a, 1);
      await expect(store.integrations.insertPending({ ...pending('C6'), issuedClientId: a.issuedClientId }, 1)).rejects.toThrow();
      await store.close();
    });

    it('appends and filters audit entries in order', async () => {
      const store = await openStore();
      await store.audit.append({ event: 'sign-in', outcome: 'success', companyId: 'A1', actor: 'u' }, 10);
      await store.audit.append({ event: 'exchange', outcome: 'failure', companyId: 'A1', detail: { code: 'X', status: 502 } }, 11);
      await store.audit.append({ event: 'deny', outcome: 'info', companyId: 'A2' }, 12);
      const entries = await store.audit.list({ companyId: 'A1' });
      expect(entries.map((entry) => [entry.event, entry.outcome, entry.at])).toEqual([
        ['sign-in', 'success', 10],
        ['exchange', 'failure', 11],
      ]);
      expect(entries[1]!.detail).toEqual({ code: 'X', status: 502 });
      await store.close();
    });

    it('disable: once only, revoking secrets; the event is written in the same transaction', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C7'), 1);
      const event = { id: `evt-${row.id}`, type: 'integration.disabled', payload: '{}' };
      expect(await store.integrations.disable(row.id, 5, event)).toBe(true);
      expect(await store.integrations.disable(row.id, 6, { ...event, id: `evt2-${row.id}` })).toBe(false);
      const after = (await store.integrations.findByCompany('C7'))!;
      expect(after).toMatchObject({ state: 'disabled', disabled_at: 5, issued_secret_pending: null, sr_credentials: null });
      const events = (await store.outbox.list()).filter((entry) => entry.id.endsWith(row.id));
      expect(events.map((entry) => entry.id)).toEqual([`evt-${row.id}`]);
      await store.close();
    });

    it('rotation: begin is idempotent while pending; complete keeps the old hash as previous', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C8'), 1);
      await store.integrations.acquireLease('C8', 'o', 100, 2);
      await store.integrations.activate('C8', 'o', { srCredentials: 'v1.sr', srIntegrationId: 'i' }, 3);
      const first = await store.integrations.beginRotation(row.id, 'v1.new', 'v1.newpending', 4);
      const second = await store.integrations.beginRotation(row.id, 'v1.other', 'v1.otherpending', 5);
      expect(first?.rotation_secret_hash).toBe('v1.new');
      expect(second?.rotation_secret_hash).toBe('v1.new');
      expect(await store.integrations.completeRotation(row.id, 'v1.wrong', 1_000, 6)).toBe(false);
      expect(await store.integrations.completeRotation(row.id, 'v1.new', 1_000, 6)).toBe(true);
      expect(await store.integrations.findByCompany('C8')).toMatchObject({
        issued_secret_hash: 'v1.new',
        previous_secret_hash: 'v1.hash',
        previous_secret_expires_at: 1_000,
        rotation_secret_hash: null,
        rotation_secret_pending: null,
      });
      await store.close();
    });

    it('tokens: issued only for a matching secret of a live client, found until they expire, then purged', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C9'), 1);
      const issue = (secretHashes: string[], tokenHash: string, clientId = row.issued_client_id) =>
        store.tokens.issueForClient({ clientId, secretHashes, tokenHash, scope: null, expiresAt: 1_000 }, 1);
      expect(await issue(['v1.other'], `bad-${row.id}`)).toBeUndefined();
      expect(await issue(['v1.hash'], `x-${row.id}`, 'no-such-client')).toBeUndefined();
      expect(await issue(['v1.other', 'v1.hash'], `tok-${row.id}`)).toEqual({ integrationId: row.id, via: 'current' });
      const found = await store.tokens.find(`tok-${row.id}`, 999);
      expect(found?.integration.company_id).toBe('C9');
      expect(found?.token).toEqual({ tokenHash: `tok-${row.id}`, integrationId: row.id, scope: null, expiresAt: 1_000 });
      expect(await store.tokens.find(`bad-${row.id}`, 999)).toBeUndefined();
      expect(await store.tokens.find(`tok-${row.id}`, 1_000)).toBeUndefined();
      expect(await store.tokens.deleteExpired(1_000)).toBeGreaterThanOrEqual(1);
      await store.integrations.disable(row.id, 2);
      expect(await issue(['v1.hash'], `late-${row.id}`)).toBeUndefined();
      await store.close();
    });

    it('tokens: a lookup answers what the database holds now, after a change in this store and after one by another instance', async () => {
      const store = await openStore();
      const other = await openStore(); // a second instance on the same database (another process, in production)
      const row = await store.integrations.insertPending(pending('C9b'), 1);
      for (const tokenHash of [`one-${row.id}`, `two-${row.id}`]) {
        await store.tokens.issueForClient({ clientId: row.issued_client_id, secretHashes: ['v1.hash'], tokenHash, scope: null, expiresAt: 10_000 }, 1);
      }
      const state = async (tokenHash: string, now = 5) => (await store.tokens.find(tokenHash, now))?.integration.state ?? 'not found';
      expect([await state(`one-${row.id}`), await state(`one-${row.id}`)]).toEqual(['pending', 'pending']);
      // This store's own write.
      await store.integrations.acquireLease('C9b', 'o', 100, 2);
      await store.integrations.activate('C9b', 'o', { srCredentials: 'v1.sr', srIntegrationId: 'i' }, 3);
      expect(await state(`one-${row.id}`)).toBe('active');
      expect(await state(`one-${row.id}`, 10_000)).toBe('not found'); // expired, though just found
      expect(await state(`two-${row.id}`)).toBe('active');
      // Another instance's: the disable shows at once here too (the bearer check refuses a disabled integration's tokens).
      expect(await other.integrations.disable(row.id, 6)).toBe(true);
      expect([await state(`one-${row.id}`), await state(`two-${row.id}`)]).toEqual(['disabled', 'disabled']);
      await other.close();
      await store.close();
    });

    it('tokens: the rotation secret and an unexpired previous secret also authenticate', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C11'), 1);
      await store.integrations.acquireLease('C11', 'o', 100, 2);
      await store.integrations.activate('C11', 'o', { srCredentials: 'x', srIntegrationId: 'i' }, 3);
      await store.integrations.beginRotation(row.id, 'v1.next', 'v1.nextpending', 4);
      const issue = (hash: string, now: number) =>
        store.tokens.issueForClient({ clientId: row.issued_client_id, secretHashes: [hash], tokenHash: `${hash}-${now}-${row.id}`, scope: null, expiresAt: now + 100 }, now);
      expect(await issue('v1.next', 5)).toEqual({ integrationId: row.id, via: 'rotation' });
      await store.integrations.completeRotation(row.id, 'v1.next', 50, 6);
      expect(await issue('v1.next', 7)).toMatchObject({ via: 'current' });
      expect(await issue('v1.hash', 8)).toMatchObject({ via: 'previous' });
      expect(await issue('v1.hash', 50)).toBeUndefined(); // the grace period is over
      await store.close();
    });

    it('flows: purgeExpired deletes every flow that expired before the cutoff (used or not) and keeps the rest', async () => {
      const store = await openStore();
      const tag = `purge-${++counter}`;
      const flow = (name: string, expiresAt: number) => ({
        state_hash: `${tag}-${name}`,
        flow_id: `${tag}-${name}-flow-id`,
        provider: 'te-recruit',
        tenant_id: 'tenant-a',
        user_id: 'user-1',
        connection_id: null,
        code_verifier: null,
        redirect_uri: 'https://partner.example/ats/connect/te-recruit/callback',
        mode: 'popup' as const,
        return_to: null,
        service_provider: null,
        created_at: expiresAt - 600,
        expires_at: expiresAt,
      });
      await store.flows.create(flow('old-unused', 1_000));
      await store.flows.create(flow('old-finished', 1_500));
      await store.flows.create(flow('at-cutoff', 2_000));
      await store.flows.create(flow('live', 5_000));
      expect(await store.flows.consume(`${tag}-old-finished`, 1_200)).toBeDefined();
      await store.flows.finish(`${tag}-old-finished`, 'connected', null, 'conn-1');
      expect(await store.flows.purgeExpired(2_000)).toBeGreaterThanOrEqual(2);
      expect(await store.flows.findByFlowId(`${tag}-old-unused-flow-id`)).toBeUndefined();
      expect(await store.flows.findByFlowId(`${tag}-old-finished-flow-id`)).toBeUndefined();
      expect(await store.flows.findByFlowId(`${tag}-at-cutoff-flow-id`)).toMatchObject({ expires_at: 2_000 });
      expect(await store.flows.findByFlowId(`${tag}-live-flow-id`)).toMatchObject({ expires_at: 5_000, used_at: null });
      expect(await store.flows.purgeExpired(2_000)).toBe(0);
      expect(await store.flows.consume(`${tag}-live`, 4_000)).toMatchObject({ flow_id: `${tag}-live-flow-id` }); // the live one still works
      await store.close();
    });

    it('outbox: one claimant per event until its lease expires; delivered events are not claimed again', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C10'), 1);
      await store.integrations.acquireLease('C10', 'o', 100, 2);
      await store.integrations.activate('C10', 'o', { srCredentials: 'x', srIntegrationId: 'i' }, 3, { id: `out-${row.id}`, type: 't', payload: '{}' });
      const claims = await Promise.all([store.outbox.claimDue('w1', 10, 100, 50), store.outbox.claimDue('w2', 10, 100, 50)]);
      const mine = claims.map((claimed) => claimed.filter((entry) => entry.id === `out-${row.id}`).length);
      expect([...mine].sort()).toEqual([0, 1]);
      const owner = mine[0] === 1 ? 'w1' : 'w2';
      await store.outbox.markFailed(`out-${row.id}`, owner, 50, 'HTTP 500');
      expect((await store.outbox.claimDue('w3', 20, 100, 50)).some((entry) => entry.id === `out-${row.id}`)).toBe(false);
      const retry = await store.outbox.claimDue('w3', 60, 200, 50);
      expect(retry.find((entry) => entry.id === `out-${row.id}`)?.attempts).toBe(2);
      await store.outbox.markDelivered(`out-${row.id}`, 'w3', 61);
      expect((await store.outbox.claimDue('w4', 1_000, 2_000, 50)).some((entry) => entry.id === `out-${row.id}`)).toBe(false);
      // A stopping instance hands back what it claimed: due again at once for another, not after the lease.
      const second = await store.integrations.insertPending(pending('C10B'), 1);
      await store.audit.append({ event: 'e', outcome: 'info' }, 3, { id: `out-${second.id}`, type: 't', payload: '{}' });
      expect((await store.outbox.claimDue('stopping', 10, 10_000, 50)).some((entry) => entry.id === `out-${second.id}`)).toBe(true);
      expect(await store.outbox.releaseLeases('someone-else')).toBe(0);
      expect(await store.outbox.releaseLeases('stopping')).toBeGreaterThanOrEqual(1);
      expect((await store.outbox.claimDue('next', 11, 10_000, 50)).some((entry) => entry.id === `out-${second.id}`)).toBe(true);
      await store.close();
    });

    it('session epochs: concurrent sign-outs each advance the epoch; other users are untouched', async () => {
      const store = await openStore();
      const user = { tenantId: `t-${++counter}`, id: 'u' };
      expect(await store.sessionEpochs.current(user)).toBe(0);
      const epochs = await Promise.all(Array.from({ length: 5 }, (_, i) => store.sessionEpochs.advance(user, i)));
      expect([...epochs].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await store.sessionEpochs.current(user)).toBe(5);
      expect(await store.sessionEpochs.current({ ...user, id: 'other' })).toBe(0);
      await store.close();
    });

    it('relink moves a not-disabled integration to another tenant, with its event; reset re-keys only a disabled one', async () => {
      const store = await openStore();
      const row = await store.integrations.insertPending(pending('C12'), 1);
      await store.integrations.acquireLease('C12', 'o', 100, 2);
      await store.integrations.fail('C12', 'o', 'ATS_UPSTREAM_TIMEOUT', 3);
      expect(await store.integrations.reset({ ...pending('C12', 'tenant-b'), id: row.id }, 4)).toBe(false); // failed: keeps its tenant and credentials
      expect(await store.integrations.relink('C12', 'tenant-b', 'support', 5, { id: `relink-${row.id}`, type: 'integration.relinked', payload: '{}' })).toBe(true);
      expect(await store.integrations.relink('C12', 'tenant-b', 'support', 6)).toBe(false);
      expect(await store.integrations.findByCompany('C12')).toMatchObject({ tenant_id: 'tenant-b', approved_by: 'support', issued_client_id: row.issued_client_id, issued_secret_pending: 'v1.cipher' });
      expect((await store.outbox.list()).some((event) => event.id === `relink-${row.id}`)).toBe(true);
      await store.integrations.disable(row.id, 7);
      expect(await store.integrations.relink('C12', 'tenant-a', 'support', 8)).toBe(false);
      expect(await store.integrations.reset({ ...pending('C12', 'tenant-a'), id: row.id }, 9)).toBe(true);
      await store.close();
    });

    it('orders: one row per order id however many inserts race, the event only with the insert that created it', async () => {
      const store = await openStore();
      const order = (orderId: string, companyId = 'C13') => ({
        order_id: orderId,
        integration_id: 'row-x',
        company_id: companyId,
        tenant_id: 'tenant-a',
        kind: 'standard' as const,
        package_id: 'p1',
        job_id: 'j1',
        candidate_id: 'cand',
        personal_data: 'v1.cipher',
        status: 'received' as const,
        result_callback_url: `https://api.example/orders/${orderId}/results`,
        completed_callback_url: null,
        created_at: 10,
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.orders.insert(
            order('11111111-1111-4111-8111-111111111111'),
            10 + i,
            { id: `order-event-${i}-${counter}`, type: 'assessment.order.created', payload: '{}' },
            { event: 'order', outcome: 'success', companyId: 'C13', detail: { attempt: `${i}-${counter}` } },
          ),
        ),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.order.order_id)).size).toBe(1);
      const events = (await store.outbox.list()).filter((event) => event.id.startsWith('order-event-') && event.id.endsWith(`-${counter}`));
      expect(events).toHaveLength(1);
      // The audit row goes in with the order that was created, and only with it.
      const audited = (await store.audit.list({ companyId: 'C13' })).filter((entry) => String(entry.detail?.attempt).endsWith(`-${counter}`));
      expect(audited.map((entry) => entry.detail?.attempt)).toEqual([events[0]!.id.replace('order-event-', '')]);
      await store.orders.insert(order('22222222-2222-4222-8222-222222222222', 'C14'), 20);
      await store.orders.insert(order('33333333-3333-4333-8333-333333333333'), 30);
      expect((await store.orders.list({ companyId: 'C13' })).map((row) => row.order_id)).toEqual([
        '33333333-3333-4333-8333-333333333333',
        '11111111-1111-4111-8111-111111111111',
      ]);
      expect((await store.orders.list({ since: 20, until: 30 })).map((row) => row.order_id)).toEqual(['22222222-2222-4222-8222-222222222222']);
      expect(await store.orders.setAssessmentUrl('33333333-3333-4333-8333-333333333333', 'https://a/1', 40)).toBe('https://a/1');
      expect(await store.orders.setAssessmentUrl('33333333-3333-4333-8333-333333333333', 'https://a/2', 41)).toBe('https://a/1'); // first wins
      expect(await store.orders.find('33333333-3333-4333-8333-333333333333')).toMatchObject({ assessment_url: 'https://a/1', created_at: 30, updated_at: 40 });
      await store.close();
    });

    it('results: versioned writes, one attempt at a version, delivered or failed with the event, a company lease for one owner at a time', async () => {
      const store = await openStore();
      const orderId = `result-${++counter}`;
      const companyId = `RC-${counter}`;
      const write = (version: number | null, patch: string) => store.results.write({ orderId, companyId, pendingPatch: patch, resultDocument: 'doc', expectedVersion: version }, 100);
      expect(await write(null, 'p1')).toBe(true);
      expect(await write(null, 'p1-again')).toBe(false); // the row exists: read it and write at its version
      const row = (await store.results.find(orderId))!;
      expect(row).toMatchObject({ state: 'pending', pending_patch: 'p1', version: 1 });
      expect(await write(1, 'p1+p2')).toBe(true);
      expect(await write(1, 'stale')).toBe(false);
      expect(await store.results.dueCompanies(100, 10)).toContain(companyId);
      expect(await store.results.beginAttempt(orderId, 1, 'sending', 'a0', 1_000, 101)).toBe(false); // version moved on
      expect(await store.results.beginAttempt(orderId, 2, 'p1+p2', 'a1', 1_000, 101)).toBe(true);
      expect(await store.results.find(orderId)).toMatchObject({ sending_patch: 'p1+p2', pending_patch: null, attempts: 1, version: 3, attempt_id: 'a1', next_attempt_at: 1_000 });
      expect(await write(3, 'p3')).toBe(true); // an update while the attempt is out…
      expect(await store.results.find(orderId)).toMatchObject({ next_attempt_at: 1_000, version: 4 }); // …does not make it due again
      expect(await store.results.beginAttempt(orderId, 4, 'p1+p2+p3', 'a2', 2_000, 102)).toBe(false); // busy: nobody else starts one
      await store.results.markDelivered(orderId, 'stale-attempt', 200, 102); // an older attempt's answer records nothing
      expect(await store.results.find(orderId)).toMatchObject({ sending_patch: 'p1+p2', attempt_id: 'a1' });
      await store.results.markDelivered(orderId, 'a1', 200, 102, { id: `delivered-${orderId}`, type: 'assessment.result.delivered', payload: '{}' });
      expect(await store.results.find(orderId)).toMatchObject({ sending_patch: null, pending_patch: 'p3', state: 'pending', last_status: 200, next_attempt_at: 102 });
      expect((await store.outbox.list()).some((event) => event.id === `delivered-${orderId}`)).toBe(true);
      const again = (await store.results.find(orderId))!;
      expect(await store.results.beginAttempt(orderId, again.version, 'p3', 'a3', 2_000, 103)).toBe(true);
      await store.results.markRetry(orderId, 'a3', 150, 503, 'HTTP 503', 104);
      expect(await store.results.find(orderId)).toMatchObject({ next_attempt_at: 150, last_status: 503 });
      const retry = (await store.results.find(orderId))!;
      expect(await store.results.beginAttempt(orderId, retry.version, 'p3', 'a4', 2_000, 150)).toBe(true);
      await store.results.markFailed(orderId, 'a4', 404, 'HTTP 404 ORDER_NOT_FOUND', 151);
      expect(await store.results.find(orderId)).toMatchObject({ state: 'failed', sending_patch: null, last_status: 404, last_error: 'HTTP 404 ORDER_NOT_FOUND' });

      const owners = await Promise.all(['w1', 'w2', 'w3'].map((owner) => store.results.acquireCompanyLease(companyId, owner, 1_000, 100)));
      expect(owners.filter(Boolean)).toHaveLength(1);
      const winner = ['w1', 'w2', 'w3'][owners.indexOf(true)]!;
      expect(await store.results.acquireCompanyLease(companyId, winner, 2_000, 500)).toBe(true); // renewal
      expect(await store.results.acquireCompanyLease(companyId, 'late', 3_000, 1_500)).toBe(false);
      await store.results.releaseCompanyLease(companyId, winner);
      expect(await store.results.acquireCompanyLease(companyId, 'late', 3_000, 1_500)).toBe(true);

      await store.results.addAttachment({ id: `file-${orderId}`, order_id: orderId, company_id: companyId, filename: 'r.pdf', content_type: 'application/pdf', data: new Uint8Array([1, 2, 3]), created_at: 100 });
      expect((await store.results.findAttachment(`file-${orderId}`))!.data).toEqual(new Uint8Array([1, 2, 3]));
      expect((await store.results.dueAttachments(companyId, 100, 5)).map((file) => file.id)).toEqual([`file-${orderId}`]);
      expect(await store.results.claimAttachment(`file-${orderId}`, 'f1', 5_000, 100)).toBe(true);
      expect(await store.results.claimAttachment(`file-${orderId}`, 'f2', 5_000, 101)).toBe(false); // out already
      await store.results.attachmentDelivered(`file-${orderId}`, 'f2', 'https://sr.example/a/2', 201, 110); // not its attempt: nothing
      await store.results.attachmentDelivered(`file-${orderId}`, 'f1', 'https://sr.example/a/1', 201, 110);
      expect(await store.results.findAttachment(`file-${orderId}`)).toMatchObject({ state: 'delivered', data: null, sr_url: 'https://sr.example/a/1' });
      await store.close();
    });

    it('api keys: stored by hash, found by any candidate hash, revoked once, last-used written only when older than the interval', async () => {
      const store = await openStore();
      const id = `key_contract_${++counter}`;
      await store.apiKeys.insert({ id, name: 'ci', key_hash: `v1.hash-${counter}`, scopes: 'read write', tenant_id: 'tenant-k', created_at: 10 });
      expect(await store.apiKeys.findByHash([`v2.other-${counter}`, `v1.hash-${counter}`])).toMatchObject({ id, scopes: 'read write', tenant_id: 'tenant-k', created_at: 10, last_used_at: null, revoked_at: null });
      expect(await store.apiKeys.findByHash([])).toBeUndefined();
      expect(await store.apiKeys.findByHash(['v1.nothing'])).toBeUndefined();
      await store.apiKeys.touch(id, 100, 40);
      expect((await store.apiKeys.find(id))!.last_used_at).toBe(100);
      await store.apiKeys.touch(id, 120, 60); // used at 100, after 60: not written again
      expect((await store.apiKeys.find(id))!.last_used_at).toBe(100);
      await store.apiKeys.touch(id, 200, 140);
      expect((await store.apiKeys.find(id))!.last_used_at).toBe(200);
      const revokes = await Promise.all([store.apiKeys.revoke(id, 300), store.apiKeys.revoke(id, 301)]);
      expect(revokes.filter(Boolean)).toHaveLength(1);
      expect(await store.apiKeys.revoke('key_unknown', 302)).toBe(false);
      expect((await store.apiKeys.findByHash([`v1.hash-${counter}`]))!.revoked_at).toBeGreaterThanOrEqual(300);
      expect((await store.apiKeys.list()).some((row) => row.id === id)).toBe(true);
      await store.close();
    });

    it('event feed: every event in commit order (webhook or not), filtered by tenant, after a sequence number, pruned by age', async () => {
      const store = await openStore();
      const tag = `feed-${++counter}`;
      const tenant = (n: number) => `${tag}-t${n % 2}`;
      // Concurrent writers (PostgreSQL: several connections) still produce a gap-free commit order.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.audit.append({ event: 'e', outcome: 'info' }, 1_000 + i, { id: `${tag}-${i}`, type: 'test.event', payload: `{"n":${i}}`, tenantId: tenant(i), webhook: i % 3 !== 0 }),
        ),
      );
      const mine = (await store.eventFeed.list({ afterSeq: 0, limit: 10_000 })).filter((row) => row.id.startsWith(`${tag}-`));
      expect(mine).toHaveLength(12);
      const seqs = mine.map((row) => row.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      // Only events with a webhook reach the outbox.
      expect((await store.outbox.list()).filter((row) => row.id.startsWith(`${tag}-`))).toHaveLength(8);
      const t0 = await store.eventFeed.list({ afterSeq: 0, tenantId: `${tag}-t0`, limit: 100 });
      expect(t0).toHaveLength(6);
      expect(t0.every((row) => row.tenant_id === `${tag}-t0`)).toBe(true);
      const after = await store.eventFeed.list({ afterSeq: mine[4]!.seq, limit: 3 });
      expect(after.map((row) => row.id)).toEqual(mine.slice(5, 8).map((row) => row.id));
      // Event 2 (by id: with concurrent writers its place in commit order varies) is tenant t0's.
      const second = mine.find((row) => row.id === `${tag}-2`)!;
      expect(await store.eventFeed.seqOf(second.id)).toBe(second.seq);
      expect(await store.eventFeed.seqOf('no-such-event')).toBeUndefined();
      expect(await store.eventFeed.seqOf(second.id, `${tag}-t0`)).toBe(second.seq);
      expect(await store.eventFeed.seqOf(second.id, `${tag}-t1`)).toBeUndefined();
      expect(await store.eventFeed.deleteBefore(1_006)).toBeGreaterThanOrEqual(6);
      expect((await store.eventFeed.list({ afterSeq: 0, limit: 10_000 })).filter((row) => row.id.startsWith(`${tag}-`))).toHaveLength(6);
      await store.close();
    });

    it('integrations page: company id order, after a company, one tenant only, limited', async () => {
      const store = await openStore();
      const tag = `PG${++counter}`;
      for (const [company, tenant] of [['c', 'x'], ['a', 'x'], ['d', 'y'], ['b', 'x']] as const) await store.integrations.insertPending(pending(`${tag}${company}`, `${tag}-${tenant}`), 1);
      const all = (await store.integrations.page({ limit: 1_000 })).map((row) => row.company_id).filter((id) => id.startsWith(tag));
      expect(all).toEqual([`${tag}a`, `${tag}b`, `${tag}c`, `${tag}d`]);
      expect((await store.integrations.page({ tenantId: `${tag}-x`, limit: 2 })).map((row) => row.company_id)).toEqual([`${tag}a`, `${tag}b`]);
      expect((await store.integrations.page({ tenantId: `${tag}-x`, afterCompanyId: `${tag}b`, limit: 2 })).map((row) => row.company_id)).toEqual([`${tag}c`]);
      await store.close();
    });

    it('partner packages: created once, replaced only at the version read (one of many racing writers wins), a company row before the default', async () => {
      const store = await openStore();
      const company = `PK-${++counter}`;
      expect(await store.packages.find(company)).toBeUndefined();
      expect(await store.packages.effective(company)).toBeUndefined();
      const created = await store.packages.put(company, '["own-1"]', 0, 10);
      expect(created).toMatchObject({ company_id: company, packages: '["own-1"]', version: 1, updated_at: 10 });
      expect(await store.packages.put(company, '["again"]', 0, 11)).toBeUndefined(); // "create" when it exists: lost
      const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => store.packages.put(company, `["racer-${i}"]`, 1, 20 + i)));
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(await store.packages.find(company)).toMatchObject({ version: 2, packages: racers.find(Boolean)!.packages });
      expect(await store.packages.put(company, '["stale"]', 1, 30)).toBeUndefined();
      expect(await store.packages.put(company, '["forced"]', null, 31)).toMatchObject({ version: 3, packages: '["forced"]' }); // no If-Match: last writer wins
      // The default catalogue answers companies without their own, never one that has its own.
      const other = `PK-${++counter}`;
      const defaults = await store.packages.find('*');
      await store.packages.put('*', '["default"]', null, 40);
      expect(await store.packages.effective(other)).toMatchObject({ company_id: '*', packages: '["default"]', version: (defaults?.version ?? 0) + 1 });
      expect(await store.packages.effective(company)).toMatchObject({ company_id: company, packages: '["forced"]' });
      await store.close();
    });

    it('orders page: creation order with a keyset cursor, filtered by company, tenant, delivery state, creation and change time', async () => {
      const store = await openStore();
      const tag = `OP${++counter}`;
      const id = (n: number) => `${String(counter).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const order = (n: number, createdAt: number, companyId: string, tenantId: string) => ({
        order_id: id(n),
        integration_id: 'row-x',
        company_id: companyId,
        tenant_id: tenantId,
        kind: 'standard' as const,
        package_id: 'p1',
        job_id: 'j1',
        candidate_id: null,
        personal_data: 'v1.cipher',
        status: 'received' as const,
        result_callback_url: `https://api.example/orders/${id(n)}/results`,
        completed_callback_url: null,
        created_at: createdAt,
      });
      await store.orders.insert(order(1, 100, `${tag}-A`, `${tag}-x`), 100);
      await store.orders.insert(order(2, 100, `${tag}-B`, `${tag}-y`), 100); // same time: the order id breaks the tie
      await store.orders.insert(order(3, 200, `${tag}-A`, `${tag}-x`), 200);
      await store.results.write({ orderId: id(2), companyId: `${tag}-B`, pendingPatch: 'p', resultDocument: 'd', expectedVersion: null }, 300);
      const mine = async (query: Partial<Parameters<Store['orders']['page']>[0]>) =>
        (await store.orders.page({ limit: 100, createdFrom: 100, createdBefore: 201, ...query })).filter((entry) => entry.order.company_id.startsWith(tag));
      expect((await mine({})).map((entry) => entry.order.order_id)).toEqual([id(1), id(2), id(3)]);
      const first = (await mine({ limit: 1 }))[0]!;
      expect((await mine({ after: { createdAt: first.order.created_at, orderId: first.order.order_id } })).map((entry) => entry.order.order_id)).toEqual([id(2), id(3)]);
      expect((await mine({ companyId: `${tag}-A` })).map((entry) => entry.order.order_id)).toEqual([id(1), id(3)]);
      expect((await mine({ tenantId: `${tag}-y` })).map((entry) => entry.order.order_id)).toEqual([id(2)]);
      expect((await mine({ delivery: 'none' })).map((entry) => entry.order.order_id)).toEqual([id(1), id(3)]);
      const pending = await mine({ delivery: 'pending' });
      expect(pending.map((entry) => entry.order.order_id)).toEqual([id(2)]);
      expect(pending[0]!.delivery).toMatchObject({ state: 'pending', attempts: 0, next_attempt_at: 300, updated_at: 300, last_status: null });
      expect((await mine({ delivery: 'delivered' }))).toEqual([]);
      expect((await mine({ createdFrom: 150 })).map((entry) => entry.order.order_id)).toEqual([id(3)]);
      expect((await mine({ updatedAfter: 150 })).map((entry) => entry.order.order_id)).toEqual([id(2), id(3)]); // 2: its result changed at 300
      await store.close();
    });

    it('result history: an update is recorded with the write that queues it, in order; a lost write records nothing', async () => {
      const store = await openStore();
      const orderId = `history-${++counter}`;
      const write = (version: number | null, update: string) =>
        store.results.write({ orderId, companyId: 'HC', pendingPatch: update, resultDocument: 'doc', expectedVersion: version, update: { id: `${orderId}-${update}`, patch: update } }, 50 + (version ?? 0));
      expect(await write(null, 'u1')).toBe(true);
      expect(await write(null, 'u-lost')).toBe(false);
      expect(await write(1, 'u2')).toBe(true);
      expect(await write(1, 'u-stale')).toBe(false);
      expect((await store.results.history(orderId)).map((row) => [row.patch, row.version, row.received_at])).toEqual([
        ['u1', 1, 50],
        ['u2', 2, 51],
      ]);
      await store.close();
    });

    it('exchange lease handed back: only by its owner; it lapses at once and stays recorded as last held by them', async () => {
      const store = await openStore();
      await store.integrations.insertPending(pending('CHB'), 1);
      expect(await store.integrations.acquireLease('CHB', 'holder', 10_000, 10)).toBe(true);
      await store.integrations.expireLease('CHB', 'intruder');
      expect(await store.integrations.acquireLease('CHB', 'other', 20_000, 20)).toBe(false);
      await store.integrations.expireLease('CHB', 'holder');
      expect(await store.integrations.findByCompany('CHB')).toMatchObject({ lease_owner: 'holder', lease_until: 0 });
      expect(await store.integrations.renewLease('CHB', 'holder', 30_000)).toBe(true); // still theirs until someone takes it
      await store.integrations.expireLease('CHB', 'holder');
      expect(await store.integrations.acquireLease('CHB', 'other', 20_000, 20)).toBe(true);
      await store.close();
    });

    it('idempotency keys: one taker per key and API key, the answer kept for replay, released on failure, taken over when abandoned or expired, purged', async () => {
      const store = await openStore();
      const keys = store.idempotencyKeys;
      const id = `idem-${++counter}`;
      const claim = (owner: string, over: Partial<Parameters<typeof keys.take>[0]> = {}) => ({ apiKeyId: 'key_a', key: id, fingerprint: 'fp1', owner, lockedUntil: 1_000, expiresAt: 10_000, ...over });
      const takes = await Promise.all(Array.from({ length: 6 }, (_, i) => keys.take(claim(`o${i}`), 100)));
      expect(takes.filter((take) => take.taken)).toHaveLength(1);
      const winner = `o${takes.findIndex((take) => take.taken)}`;
      const busy = await keys.take(claim('late'), 200);
      expect(busy).toMatchObject({ taken: false, row: { state: 'in_flight', fingerprint: 'fp1', owner: winner, locked_until: 1_000, expires_at: 10_000, created_at: 100 } });
      // Another API key's request under the same key is its own.
      expect(await keys.take(claim('b', { apiKeyId: 'key_b', fingerprint: 'other' }), 200)).toEqual({ taken: true });
      expect(await keys.complete('key_a', id, 'late', 201, 'sealed')).toBe(false);
      expect(await keys.complete('key_a', id, winner, 201, 'sealed')).toBe(true);
      expect(await keys.complete('key_a', id, winner, 500, 'again')).toBe(false); // done once
      const done = await keys.take(claim('retry'), 300);
      expect(done).toMatchObject({ taken: false, row: { state: 'done', response_status: 201, response: 'sealed' } });
      // Done rows are kept even past their lock, and refuse another request, until they expire.
      expect(await keys.take(claim('x', { fingerprint: 'fp2' }), 5_000)).toMatchObject({ taken: false, row: { state: 'done' } });
      expect(await keys.take(claim('new', { fingerprint: 'fp2', expiresAt: 20_000 }), 10_000)).toEqual({ taken: true });
      expect(await keys.find('key_a', id)).toMatchObject({ state: 'in_flight', fingerprint: 'fp2', owner: 'new', response: null, response_status: null });
      // A failed attempt frees the key; only its owner can.
      await keys.release('key_a', id, 'someone-else');
      expect(await keys.find('key_a', id)).toBeDefined();
      await keys.release('key_a', id, 'new');
      expect(await keys.find('key_a', id)).toBeUndefined();
      // An abandoned attempt (its lock lapsed): the same request takes it over, another is refused.
      expect(await keys.take(claim('crashed', { key: `${id}-c` }), 100)).toEqual({ taken: true });
      expect(await keys.take(claim('other', { key: `${id}-c`, fingerprint: 'fp2' }), 2_000)).toMatchObject({ taken: false });
      expect(await keys.take(claim('retry', { key: `${id}-c` }), 2_000)).toEqual({ taken: true });
      expect(await keys.complete('key_a', `${id}-c`, 'crashed', 200, 'late')).toBe(false);
      // Purge: only rows past their expiry.
      expect(await keys.take(claim('p', { key: `${id}-p`, expiresAt: 50 }), 10)).toEqual({ taken: true });
      expect(await keys.purgeExpired(60)).toBeGreaterThanOrEqual(1);
      expect(await keys.find('key_a', `${id}-p`)).toBeUndefined();
      expect(await keys.find('key_a', `${id}-c`)).toBeDefined();
      await store.close();
    });

    it('backlog: webhooks, results and attachments waiting, with the oldest waiting since (a result: its first update after the last delivery)', async () => {
      const store = await openStore();
      const before = { webhooks: await store.backlog.webhooks(), results: await store.backlog.srResults(), attachments: await store.backlog.srAttachments() };
      const oldest = (was: number | null, mine: number) => Math.min(was ?? Infinity, mine);
      const eventId = `backlog-${++counter}`;
      await store.audit.append({ event: 'e', outcome: 'info' }, -30, { id: eventId, type: 't', payload: '{}' });
      expect(await store.backlog.webhooks()).toEqual({ depth: before.webhooks.depth + 1, oldestAt: oldest(before.webhooks.oldestAt, -30) });
      const orderId = `backlog-order-${counter}`;
      const write = (version: number | null, update: string, now: number) =>
        store.results.write({ orderId, companyId: 'BC', pendingPatch: update, resultDocument: 'doc', expectedVersion: version, update: { id: `${orderId}-${update}`, patch: update } }, now);
      expect(await write(null, 'u1', -40)).toBe(true);
      expect(await store.backlog.srResults()).toEqual({ depth: before.results.depth + 1, oldestAt: oldest(before.results.oldestAt, -40) });
      expect(await store.results.beginAttempt(orderId, 1, 'u1', 'a1', 1_000, -39)).toBe(true);
      await store.results.markDelivered(orderId, 'a1', 200, -38);
      expect((await store.backlog.srResults()).depth).toBe(before.results.depth);
      expect(await write((await store.results.find(orderId))!.version, 'u2', -12)).toBe(true);
      expect(await store.backlog.srResults()).toEqual({ depth: before.results.depth + 1, oldestAt: oldest(before.results.oldestAt, -12) });
      await store.results.addAttachment({ id: `${orderId}-file`, order_id: orderId, company_id: 'BC', filename: 'f', content_type: 'application/pdf', data: new Uint8Array([1]), created_at: -25 });
      expect(await store.backlog.srAttachments()).toEqual({ depth: before.attachments.depth + 1, oldestAt: oldest(before.attachments.oldestAt, -25) });
      await store.close();
    });

    it('result history: a history row that cannot be written takes the change of the delivery row with it (both or neither)', async () => {
      const store = await openStore();
      const orderId = `history-atomic-${++counter}`;
      const write = (version: number | null, patch: string, updateId: string) =>
        store.results.write({ orderId, companyId: 'HC', pendingPatch: patch, resultDocument: patch, expectedVersion: version, update: { id: updateId, patch } }, 70);
      expect(await write(null, 'p1', `${orderId}-a`)).toBe(true);
      await expect(write(1, 'p2', `${orderId}-a`)).rejects.toThrow(); // the update id is taken
      const row = await store.results.find(orderId);
      expect([row?.version, row?.pending_patch, row?.result_document]).toEqual([1, 'p1', 'p1']);
      expect(await write(1, 'p2', `${orderId}-b`)).toBe(true);
      expect((await store.results.history(orderId)).map((entry) => entry.patch)).toEqual(['p1', 'p2']);
      await store.close();
    });

    it('readiness: reachable, no pending migration', async () => {
      const store = await openStore();
      expect(await store.readiness()).toEqual({ reachable: true, pendingMigrations: [] });
      await store.close();
    });

    it('serverTime: the PostgreSQL server’s clock in epoch ms (here on this host: within a second of ours); none for a SQLite file', async () => {
      const store = await openStore();
      const time = await store.serverTime();
      if (store.dialect === 'sqlite') expect(time).toBeUndefined();
      else {
        expect(Number.isSafeInteger(time)).toBe(true);
        expect(Math.abs(time! - Date.now())).toBeLessThan(1_000);
      }
      await store.close();
    });
  });
}
