/**
 * Assessment orders over Kysely. An order is inserted once per SmartRecruiters order id (the insert
 * is the idempotency check: SR retries the same `resultCallbackURL`), and its event goes to the
 * outbox in the same transaction, only when this insert created it.
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { insertEvent } from './kysely-outbox.js';
import type { Database } from './schema.js';
import type { AssessmentOrderStore, OrderQuery, OrderRow, OutboxEvent } from './store.js';

const MAX_LIST = 1000;

export class KyselyOrders implements AssessmentOrderStore {
  constructor(private readonly db: Kysely<Database>) {}

  insert(order: Omit<OrderRow, 'assessment_url' | 'updated_at'>, now: number, event?: OutboxEvent): Promise<{ order: OrderRow; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('assessment_orders')
        .values({ ...order, assessment_url: null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('order_id').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
      if (created && event) await insertEvent(trx, event, now);
      const stored = await trx.selectFrom('assessment_orders').selectAll().where('order_id', '=', order.order_id).executeTakeFirstOrThrow();
      return { order: normalizeOrder(stored), created };
    });
  }

  async find(orderId: string): Promise<OrderRow | undefined> {
    const row = await this.db.selectFrom('assessment_orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    return row && normalizeOrder(row);
  }

  async list(query: OrderQuery): Promise<OrderRow[]> {
    let select = this.db
      .selectFrom('assessment_orders')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('order_id')
      .limit(Math.min(Math.max(query.limit ?? 100, 1), MAX_LIST));
    if (query.companyId !== undefined) select = select.where('company_id', '=', query.companyId);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('created_at', '<', query.until);
    return (await select.execute()).map(normalizeOrder);
  }

  async setAssessmentUrl(orderId: string, url: string, now: number): Promise<string | null> {
    await this.db
      .updateTable('assessment_orders')
      .set({ assessment_url: url, updated_at: now })
      .where('order_id', '=', orderId)
      .where('assessment_url', 'is', null)
      .execute();
    return (await this.find(orderId))?.assessment_url ?? null;
  }
}

function normalizeOrder(row: OrderRow): OrderRow {
  return asNumbers(row, ['created_at', 'updated_at'] as const);
}
