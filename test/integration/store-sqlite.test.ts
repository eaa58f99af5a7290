/**
 * The store contract against a real SQLite file (better-sqlite3), migrations included.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
