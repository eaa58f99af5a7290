/**
 * Assessment orders over Kysely. An order is inserted once per SmartRecruiters order id (the insert
 * is the idempotency check: SR retries the same `resultCallbackURL`), and its event and audit row go
 * in with it, only when this insert created it: one unit of the statement runner (group-committed
 * on SQLite, a transaction on PostgreSQL).
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import { step, type StatementRunner } from './statement-runner.js';
import type { AssessmentOrderStore, AuditEntry, DeliverySummary, OrderPageQuery, OrderQuery, OrderRow, OutboxEvent } from './store.js';
import type { UnitWrites } from './unit-writes.js';

type NewOrder = Omit<OrderRow, 'assessment_url' | 'updated_at'>;
/** The insert's values: an order row (an interface, so spelled out as a record for the precompiled query). */
type OrderValues = OrderRow & Record<string, unknown>;

const MAX_LIST = 1000;

export class KyselyOrders implements AssessmentOrderStore {
  /** Read on every result update and delivery attempt: compiled once (precompiled-query.ts). */
  readonly #find: PrecompiledQuery<{ orderId: string }>;
  readonly #insert: PrecompiledQuery<OrderValues>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: StatementRunner,
    private readonly unitWrites: UnitWrites,
  ) {
    this.#find = new PrecompiledQuery((param) => db.selectFrom('assessment_orders').selectAll().where('order_id', '=', param('orderId')));
    this.#insert = new PrecompiledQuery<OrderValues>((param) =>
      db
        .insertInto('assessment_orders')
        .values({
          order_id: param('order_id'),
          integration_id: param('integration_id'),
          company_id: param('company_id'),
          tenant_id: param('tenant_id'),
          kind: param('kind'),
          package_id: param('package_id'),
          job_id: param('job_id'),
          candidate_id: param('candidate_id'),
          personal_data: param('personal_data'),
          status: param('status'),
          result_callback_url: param('result_callback_url'),
          completed_callback_url: param('completed_callback_url'),
          assessment_url: param('assessment_url'),
          created_at: param('created_at'),
          updated_at: param('updated_at'),
        })
        .onConflict((oc) => oc.column('order_id').doNothing()),
    );
  }

  async insert(order: NewOrder, now: number, event?: OutboxEvent, audit?: AuditEntry): Promise<{ order: OrderRow; created: boolean }> {
    const row: OrderValues = { ...order, assessment_url: null, created_at: now, updated_at: now };
    // The audit row before the event: on PostgreSQL the event's feed lock is then held only for the feed and outbox rows.
    const along = [...(audit ? [this.unitWrites.audit(audit, now)] : []), ...(event ? this.unitWrites.event(event, now) : [])];
    if (await this.statements.commitGuarded(step(this.#insert, row), along)) return { order: row, created: true };
    // SR sent this order id before: the stored order answers (insert never deletes, so it is there).
    const stored = await this.find(order.order_id);
    if (!stored) throw new Error(`order ${order.order_id}: not inserted, yet not found`);
    return { order: stored, created: false };
  }

  async find(orderId: string): Promise<OrderRow | undefined> {
    const row = await this.statements.first<OrderRow, { orderId: string }>(this.#find, { orderId });
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

  async page(query: OrderPageQuery): Promise<Array<{ order: OrderRow; delivery: DeliverySummary | null }>> {
    let select = this.db
      .selectFrom('assessment_orders as o')
      .leftJoin('result_deliveries as r', 'r.order_id', 'o.order_id')
      .selectAll('o')
      .select([
        'r.state as r_state',
        'r.attempts as r_attempts',
        'r.next_attempt_at as r_next_attempt_at',
        'r.last_status as r_last_status',
        'r.last_error as r_last_error',
        'r.delivered_at as r_delivered_at',
        'r.updated_at as r_updated_at',
      ])
      .orderBy('o.created_at')
      .orderBy('o.order_id')
      .limit(Math.min(Math.max(query.limit, 1), MAX_LIST));
    if (query.companyId !== undefined) select = select.where('o.company_id', '=', query.companyId);
    if (query.tenantId !== undefined) select = select.where('o.tenant_id', '=', query.tenantId);
    if (query.delivery === 'none') select = select.where('r.state', 'is', null);
    else if (query.delivery !== undefined) select = select.where('r.state', '=', query.delivery);
    if (query.createdFrom !== undefined) select = select.where('o.created_at', '>=', query.createdFrom);
    if (query.createdBefore !== undefined) select = select.where('o.created_at', '<', query.createdBefore);
    const updatedAfter = query.updatedAfter;
    if (updatedAfter !== undefined) select = select.where((eb) => eb.or([eb('o.updated_at', '>', updatedAfter), eb('r.updated_at', '>', updatedAfter)]));
    const after = query.after;
    if (after) {
      select = select.where((eb) => eb.or([eb('o.created_at', '>', after.createdAt), eb.and([eb('o.created_at', '=', after.createdAt), eb('o.order_id', '>', after.orderId)])]));
    }
    const rows = await select.execute();
    return rows.map(({ r_state, r_attempts, r_next_attempt_at, r_last_status, r_last_error, r_delivered_at, r_updated_at, ...order }) => ({
      order: normalizeOrder(order as OrderRow),
      delivery:
        r_state === null || r_state === undefined
          ? null
          : asNumbers(
              { state: r_state, attempts: r_attempts!, next_attempt_at: r_next_attempt_at!, last_status: r_last_status ?? null, last_error: r_last_error ?? null, delivered_at: r_delivered_at ?? null, updated_at: r_updated_at! },
              ['attempts', 'next_attempt_at', 'last_status', 'delivered_at', 'updated_at'] as const,
            ),
    }));
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
