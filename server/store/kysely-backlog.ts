/**
 * How much durable delivery is waiting, for the metrics (issue 14 item 6): counts and the oldest
 * waiting item's time, one aggregate query per queue. Read at scrape time only.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { BacklogStore, QueueBacklog } from './store.js';

export class KyselyBacklog implements BacklogStore {
  constructor(private readonly db: Kysely<Database>) {}

  async webhooks(): Promise<QueueBacklog> {
    const row = await this.db
      .selectFrom('event_outbox')
      .select((eb) => [eb.fn.countAll<string | number>().as('depth'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    return backlog(row);
  }

  /**
   * Result rows stay one per order, so a row's own times say when it was last touched, not how long
   * its patch has waited: the oldest update received since the order's last delivery does.
   */
  async srResults(): Promise<QueueBacklog> {
    const row = await this.db
      .selectFrom('result_deliveries as d')
      .select((eb) => [
        eb.fn.countAll<string | number>().as('depth'),
        eb.fn
          .min(
            eb
              .selectFrom('result_updates as u')
              .select((inner) => inner.fn.min('u.received_at').as('first'))
              .whereRef('u.order_id', '=', 'd.order_id')
              .where((w) => w.or([w('d.delivered_at', 'is', null), w('u.received_at', '>', w.ref('d.delivered_at'))])),
          )
          .as('oldest'),
      ])
      .where('d.state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return backlog(row);
  }

  async srAttachments(): Promise<QueueBacklog> {
    const row = await this.db
      .selectFrom('result_attachments')
      .select((eb) => [eb.fn.countAll<string | number>().as('depth'), eb.fn.min('created_at').as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return backlog(row);
  }
}

/** PostgreSQL answers count(*) and bigint aggregates as strings. */
function backlog(row: { depth: string | number; oldest: unknown }): QueueBacklog {
  return { depth: Number(row.depth), oldestAt: row.oldest === null || row.oldest === undefined ? null : Number(row.oldest) };
}
