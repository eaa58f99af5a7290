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
