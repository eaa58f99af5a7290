/**
 * Session epochs over Kysely: one row per user who ever signed out, bumped atomically (an upsert
 * that increments), so two sign-outs at once on two instances both end up ahead of every old seal.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SessionEpochStore } from './store.js';

export class KyselySessionEpochs implements SessionEpochStore {
  constructor(private readonly db: Kysely<Database>) {}

  async current(user: { tenantId: string; id: string }): Promise<number> {
    const row = await this.db
      .selectFrom('session_epochs')
      .select('epoch')
      .where('tenant_id', '=', user.tenantId)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    return row ? Number(row.epoch) : 0;
  }

  async advance(user: { tenantId: string; id: string }, now: number): Promise<number> {
    const row = await this.db
      .insertInto('session_epochs')
      .values({ tenant_id: user.tenantId, user_id: user.id, epoch: 1, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet({ epoch: sql<number>`session_epochs.epoch + 1`, updated_at: now }),
      )
      .returning('epoch')
      .executeTakeFirstOrThrow();
    return Number(row.epoch);
  }
}
