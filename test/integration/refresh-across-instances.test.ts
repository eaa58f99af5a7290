/**
 * RFC 9700 §4.14 / reference/security.md T31 across instances: two kit instances on one store (a
 * real PostgreSQL, and the SQLite file) answer 50 concurrent token reads of one expired connection
 * with exactly one refresh at the provider, which rotates refresh tokens and revokes the old one at
 * once (Doorkeeper), so a second refresh with the same token would have killed the connection.
 */
import { describe, expect, inject, it } from 'vitest';
import { createConsentKit } from '../../server/kit.js';
import { createLogger } from '../../server/log.js';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { startTestDemo } from '../helpers/demo-fixture.js';
import { createDatabase } from '../helpers/postgres.js';

describe.each([
  ['PostgreSQL', async () => ({ databaseUrl: await createDatabase(inject('postgresUrl'), 'refresh') })],
  ['SQLite', async () => ({})],
])('two instances on %s', (_name, databaseOptions) => {
  it('50 concurrent getAccessToken calls over both instances make one refresh request', async () => {
    const demo = await startTestDemo({ kitOptions: await databaseOptions() });
    const second = await createConsentKit(demo.kitOptions, { logger: createLogger('silent') });
    try {
      const api = await new ConnectApi(demo.kitUrl).signIn();
      const id = await api.connect('te-recruit');
      await (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', id).execute();
      const fake = demo.providers['te-recruit'];
      const before = fake.counts.byGrant.refresh_token ?? 0;
      const kits = [demo.kit, second];
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => kits[i % 2]!.connections.getAccessToken(id)));
      expect(new Set(tokens).size).toBe(1);
      expect(fake.counts.byGrant.refresh_token).toBe(before + 1);
      expect((await second.connections.get(id))?.status).toBe('connected');
    } finally {
      await second.close();
      await demo.stop();
    }
  });
});
