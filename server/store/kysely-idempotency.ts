/**
 * Idempotency keys over Kysely (server/partner-api/idempotency.ts says what they mean). Taking a
 * key is one insert that either lands or finds the row already there; taking over an expired row or
 * an abandoned in-flight one is a conditional update on the row as read, so of several instances
 * racing for it exactly one wins (T35).
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import type { Database } from './schema.js';
import type { IdempotencyClaim, IdempotencyRow, IdempotencyStore, IdempotencyTake } from './store.js';
import { updatedOne } from './updated-one.js';

const normalize = (row: IdempotencyRow): IdempotencyRow => asNumbers(row, ['locked_until', 'response_status', 'created_at', 'expires_at'] as const);

export class KyselyIdempotencyKeys implements IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async take(claim: IdempotencyClaim, now: number): Promise<IdempotencyTake> {
    const values = {
      api_key_id: claim.apiKeyId,
      idempotency_key: claim.key,
      fingerprint: claim.fingerprint,
      owner: claim.owner,
      state: 'in_flight' as const,
      locked_until: claim.lockedUntil,
      response_status: null,
      response: null,
      created_at: now,
      expires_at: claim.expiresAt,
    };
    // A few rounds at most: each lost race means another request moved the row on, and the next
    // read sees where it stands.
    for (let round = 0; round < 3; round += 1) {
      const inserted = await this.db
        .insertInto('idempotency_keys')
        .values(values)
        .onConflict((conflict) => conflict.columns(['api_key_id', 'idempotency_key']).doNothing())
        .executeTakeFirst();
      if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 1n) return { taken: true };
      const row = await this.find(claim.apiKeyId, claim.key);
      if (!row) continue; // purged between the insert and the read
      // Expired rows are forgotten whatever they held; an abandoned attempt (its holder died) is
      // taken over only by the same request, a different one is still refused until expiry.
      const reusable = row.expires_at <= now || (row.state === 'in_flight' && row.locked_until <= now && row.fingerprint === claim.fingerprint);
      if (!reusable) return { taken: false, row };
      const replaced = await this.db
        .updateTable('idempotency_keys')
        .set(values)
        .where('api_key_id', '=', claim.apiKeyId)
        .where('idempotency_key', '=', claim.key)
        .where('owner', '=', row.owner)
        .where('state', '=', row.state)
        .executeTakeFirst();
      if (updatedOne(replaced)) return { taken: true };
    }
    const row = await this.find(claim.apiKeyId, claim.key);
    return row ? { taken: false, row } : { taken: false, row: { ...values, state: 'in_flight' } };
  }

  async find(apiKeyId: string, key: string): Promise<IdempotencyRow | undefined> {
    const row = await this.db.selectFrom('idempotency_keys').selectAll().where('api_key_id', '=', apiKeyId).where('idempotency_key', '=', key).executeTakeFirst();
    return row && normalize(row);
  }

  async complete(apiKeyId: string, key: string, owner: string, status: number, response: string): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('idempotency_keys')
        .set({ state: 'done', response_status: status, response })
        .where('api_key_id', '=', apiKeyId)
        .where('idempotency_key', '=', key)
        .where('owner', '=', owner)
        .where('state', '=', 'in_flight')
        .executeTakeFirst(),
    );
  }

  async release(apiKeyId: string, key: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('api_key_id', '=', apiKeyId)
      .where('idempotency_key', '=', key)
      .where('owner', '=', owner)
      .where('state', '=', 'in_flight')
      .execute();
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
