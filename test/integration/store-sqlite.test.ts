/**
 * The store contract against a real SQLite file (better-sqlite3), migrations included.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { openStore } from '../../server/store/open-store.js';
import { runStoreContract } from '../helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ats-store-'));
runStoreContract('SQLite', () => openStore({ kind: 'sqlite', path: join(dir, 'contract.sqlite') }));

describe('SQLite migrations', () => {
  it('are idempotent: reopening an existing file keeps its data', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = await openStore({ kind: 'sqlite', path });
    await first.audit.append({ event: 'e', outcome: 'info' }, 1);
    await first.close();
    const second = await openStore({ kind: 'sqlite', path });
    expect(await second.audit.list()).toHaveLength(1);
    await second.close();
  });
});

describe('SQLite durability', () => {
  it('runs in WAL mode with every commit synced (synchronous = FULL), not the build default NORMAL', async () => {
    const store = (await openStore({ kind: 'sqlite', path: join(dir, 'durable.sqlite') })) as KyselyStore;
    const pragma = async (name: string) => Object.values((await sql.raw(`PRAGMA ${name}`).execute(store.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2); // FULL
    await store.close();
  });
});

describe('SQLite token lookups and open transactions', () => {
  it('while a transaction holds the connection, a remembered answer is not served: the lookup waits and sees another instance\'s disable', async () => {
    const path = join(dir, 'lookup-in-transaction.sqlite');
    const store = (await openStore({ kind: 'sqlite', path })) as KyselyStore;
    const other = await openStore({ kind: 'sqlite', path });
    const row = await store.integrations.insertPending(
      { id: 'row-tx1', companyId: 'TX1', tenantId: 't', approvedBy: 'u', issuedClientId: 'client-tx1', issuedSecretHash: 'v1.hash', issuedSecretPending: 'v1.pending' },
      1,
    );
    await store.tokens.issueForClient({ clientId: row.issued_client_id, secretHashes: ['v1.hash'], tokenHash: 'tok-tx1', scope: null, expiresAt: 10_000 }, 1);
    expect((await store.tokens.find('tok-tx1', 5))?.integration.state).toBe('pending'); // remembered now
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    // A transaction that reads first, then waits: its snapshot predates the disable below.
    const transaction = store.db.transaction().execute(async (trx) => {
      await trx.selectFrom('integrations').select('id').execute();
      began();
      await held;
    });
    await begun;
    expect(await other.integrations.disable(row.id, 6)).toBe(true);
    const lookup = store.tokens.find('tok-tx1', 7);
    release();
    await transaction;
    expect((await lookup)?.integration.state).toBe('disabled');
    await other.close();
    await store.close();
  });
});
