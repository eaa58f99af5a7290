/**
 * The event feed over Kysely: rows are written by `insertEvent` (kysely-outbox.ts) with the change
 * they announce, and read here in sequence order.
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import type { Database } from './schema.js';
import type { EventFeedQuery, EventFeedRow, EventFeedStore } from './store.js';

export class KyselyEventFeed implements EventFeedStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(query: EventFeedQuery): Promise<EventFeedRow[]> {
    let select = this.db.selectFrom('event_feed').selectAll().where('seq', '>', query.afterSeq);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    const rows = await select.orderBy('seq').limit(query.limit).execute();
    return rows.map((row) => asNumbers(row as EventFeedRow, ['seq', 'created_at'] as const));
  }

  async seqOf(eventId: string, tenantId?: string): Promise<number | undefined> {
    let select = this.db.selectFrom('event_feed').select('seq').where('id', '=', eventId);
    if (tenantId !== undefined) select = select.where('tenant_id', '=', tenantId);
    const row = await select.executeTakeFirst();
    return row ? Number(row.seq) : undefined;
  }

  async deleteBefore(before: number): Promise<number> {
    const result = await this.db.deleteFrom('event_feed').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
