/**
 * The event outbox over Kysely: events are inserted with the change they announce and claimed
 * with a lease by whichever kit instance delivers them.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import type { Database } from './schema.js';
import type { OutboxEvent, OutboxRow, OutboxStore } from './store.js';

/**
 * Lock key of the feed writers' transaction-scoped advisory lock (PostgreSQL): any constant shared
 * by every instance. 0x61747366 is "atsf".
 */
export const FEED_LOCK = 0x61747366;

/**
 * Writes the event to the feed and, unless `webhook` is false, to the webhook outbox. Called inside
 * the change's transaction.
 *
 * The feed is read by sequence number, so a reader must never see seq N+1 before seq N commits. With
 * SQLite there is one writer at a time, so sequence order is commit order. With PostgreSQL two
 * transactions may take sequence numbers in one order and commit in the other; a transaction-scoped
 * advisory lock, taken just before the insert and held to commit, serializes feed writers so that
 * cannot happen (it is held only for the tail of short transactions that emit an event).
 */
export async function insertEvent(db: Kysely<Database>, event: OutboxEvent, now: number): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(${FEED_LOCK})`.execute(db);
  await db
    .insertInto('event_feed')
    .values({ id: event.id, type: event.type, tenant_id: event.tenantId ?? null, payload: event.payload, created_at: now })
    .execute();
  if (event.webhook === false) return;
  await db
    .insertInto('event_outbox')
    .values({ id: event.id, type: event.type, payload: event.payload, created_at: now, delivered_at: null, attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null, last_error: null })
    .execute();
}

/**
 * Runs `change` and, when it took effect, records `event` in the same transaction (the outbox):
 * a committed change always has its event, and an event never announces a change that did not happen.
 */
export function changeWithEvent(
  db: Kysely<Database>,
  event: OutboxEvent | undefined,
  now: number,
  change: (db: Kysely<Database>) => Promise<boolean>,
): Promise<boolean> {
  if (!event) return change(db);
  return db.transaction().execute(async (trx) => {
    const changed = await change(trx);
    if (changed) await insertEvent(trx, event, now);
    return changed;
  });
}

export class KyselyOutbox implements OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claimDue(owner: string, now: number, leaseUntil: number, limit: number): Promise<OutboxRow[]> {
    const due = this.db
      .selectFrom('event_outbox')
      .select('id')
      .where('delivered_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('created_at')
      .limit(limit);
    await this.db
      .updateTable('event_outbox')
      .set((eb) => ({ lease_owner: owner, lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('delivered_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .execute();
    const rows = await this.db.selectFrom('event_outbox').selectAll().where('lease_owner', '=', owner).where('delivered_at', 'is', null).execute();
    return rows.map(normalizeOutbox);
  }

  async markDelivered(id: string, owner: string, now: number): Promise<void> {
    await this.db
      .updateTable('event_outbox')
      .set({ delivered_at: now, lease_owner: null, lease_until: null, last_error: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async markFailed(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.db
      .updateTable('event_outbox')
      .set({ next_attempt_at: nextAttemptAt, lease_owner: null, lease_until: null, last_error: error.slice(0, 200) })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async releaseLeases(owner: string): Promise<number> {
    const result = await this.db
      .updateTable('event_outbox')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .where('delivered_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async list(): Promise<OutboxRow[]> {
    return (await this.db.selectFrom('event_outbox').selectAll().orderBy('created_at').execute()).map(normalizeOutbox);
  }
}

const BIGINT_COLUMNS = ['created_at', 'delivered_at', 'attempts', 'next_attempt_at', 'lease_until'] as const;

function normalizeOutbox(row: OutboxRow): OutboxRow {
  return asNumbers(row, BIGINT_COLUMNS);
}
