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
  });
}
