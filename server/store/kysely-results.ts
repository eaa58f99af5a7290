/**
 * Result deliveries and attachments over Kysely (SQLite and PostgreSQL alike). Every change that can
 * race is conditional: patches by version, a company's delivery by its lease.
 */
import { sql, type Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { changeWithEvent } from './kysely-outbox.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import { step, type StatementRunner } from './statement-runner.js';
import type { OutboxEvent, ResultAttachmentRow, ResultDeliveryRow, ResultStore, ResultUpdateRow } from './store.js';
import { updatedOne } from './updated-one.js';

const ATTACHMENT_COLUMNS = ['id', 'order_id', 'company_id', 'filename', 'content_type', 'state', 'attempt_id', 'attempts', 'next_attempt_at', 'last_status', 'last_error', 'sr_url', 'created_at', 'delivered_at'] as const;

type DueValues = { orderId: string; companyId: string; pendingPatch: string; resultDocument: string; now: number };
type UpdateValues = Omit<DueValues, 'companyId'> & { expectedVersion: number };
type HistoryValues = { id: string; orderId: string; version: number; patch: string; now: number };

export class KyselyResults implements ResultStore {
  /**
   * A result update (the partner API's result PATCH, `kit.assessment.updateResult`) reads the
   * order's delivery row and writes it back with the update's history row: those statements are
   * compiled once (precompiled-query.ts) and the write is committed through the dialect's statement
   * runner, on SQLite in the group commit (one COMMIT and fsync for the updates of one event-loop
   * turn, each answered only once committed). Same SQL as Kysely builds per call.
   */
  readonly #find: PrecompiledQuery<{ orderId: string }>;
  readonly #insertFirst: PrecompiledQuery<DueValues>;
  readonly #updateAt: PrecompiledQuery<UpdateValues>;
  readonly #insertHistory: PrecompiledQuery<HistoryValues>;
  readonly #listAttachments: PrecompiledQuery<{ orderId: string }>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: StatementRunner,
  ) {
    this.#find = new PrecompiledQuery((param) => db.selectFrom('result_deliveries').selectAll().where('order_id', '=', param('orderId')));
    this.#insertFirst = new PrecompiledQuery<DueValues>((param) =>
      db
        .insertInto('result_deliveries')
        .values({
          order_id: param('orderId'),
          company_id: param('companyId'),
          sending_patch: null,
          version: 1,
          attempt_id: null,
          attempts: 0,
          last_status: null,
          last_error: null,
          created_at: param('now'),
          delivered_at: null,
          pending_patch: param('pendingPatch'),
          result_document: param('resultDocument'),
          state: 'pending',
          next_attempt_at: param('now'),
          updated_at: param('now'),
        })
        .onConflict((oc) => oc.column('order_id').doNothing()),
    );
    // An update while an attempt waits for its retry keeps that retry's time and count: SR being down
    // is no reason to call it sooner, and the update travels with the retry (composed at the next attempt).
    const retrying = sql<boolean>`sending_patch is not null`;
    this.#updateAt = new PrecompiledQuery<UpdateValues>((param) =>
      db
        .updateTable('result_deliveries')
        .set((eb) => ({
          pending_patch: param('pendingPatch'),
          result_document: param('resultDocument'),
          state: 'pending' as const,
          next_attempt_at: sql<number>`case when ${retrying} then next_attempt_at else ${param('now')} end`,
          updated_at: param('now'),
          attempts: sql<number>`case when ${retrying} then attempts else 0 end`,
          version: eb('version', '+', 1),
        }))
        .where('order_id', '=', param('orderId'))
        .where('version', '=', param('expectedVersion')),
    );
    this.#insertHistory = new PrecompiledQuery<HistoryValues>((param) =>
      db.insertInto('result_updates').values({ id: param('id'), order_id: param('orderId'), version: param('version'), patch: param('patch'), received_at: param('now') }),
    );
    // Read with every update's answer (the order's delivery view).
    this.#listAttachments = new PrecompiledQuery((param) =>
      db.selectFrom('result_attachments').select(ATTACHMENT_COLUMNS).where('order_id', '=', param('orderId')).orderBy('created_at'),
    );
  }

  async find(orderId: string): Promise<ResultDeliveryRow | undefined> {
    const row = await this.statements.first<ResultDeliveryRow, { orderId: string }>(this.#find, { orderId });
    return row && normalizeDelivery(row);
  }

  /** The row written only if it is still at `expectedVersion` (created if null), and the update's history row with it in one commit: both or neither. */
  async write(
    change: { orderId: string; companyId: string; pendingPatch: string; resultDocument: string; expectedVersion: number | null; update?: { id: string; patch: string } },
    now: number,
  ): Promise<boolean> {
    const { orderId, companyId, pendingPatch, resultDocument, expectedVersion, update } = change;
    const guard =
      expectedVersion === null
        ? step(this.#insertFirst, { orderId, companyId, pendingPatch, resultDocument, now })
        : step(this.#updateAt, { orderId, pendingPatch, resultDocument, now, expectedVersion });
    const history = update ? [step(this.#insertHistory, { id: update.id, orderId, version: (expectedVersion ?? 0) + 1, patch: update.patch, now })] : [];
    return this.statements.commitGuarded(guard, history);
  }

  async history(orderId: string): Promise<ResultUpdateRow[]> {
    const rows = await this.db.selectFrom('result_updates').selectAll().where('order_id', '=', orderId).orderBy('version').execute();
    return rows.map((row) => asNumbers(row, ['version', 'received_at'] as const));
  }

  async dueCompanies(now: number, limit: number): Promise<string[]> {
    const patches = this.db.selectFrom('result_deliveries').select('company_id').where('state', '=', 'pending').where('next_attempt_at', '<=', now);
    const files = this.db.selectFrom('result_attachments').select('company_id').where('state', '=', 'pending').where('next_attempt_at', '<=', now);
    // Companies another instance is delivering are skipped, so the limit never fills with work nobody here may do.
    const leased = this.db.selectFrom('delivery_leases').select('company_id').where('lease_until', '>=', now);
    const rows = await this.db
      .selectFrom(patches.union(files).as('due'))
      .select('company_id')
      .where('company_id', 'not in', leased)
      .distinct()
      .limit(limit)
      .execute();
    return rows.map((row) => row.company_id);
  }

  async acquireCompanyLease(companyId: string, owner: string, until: number, now: number): Promise<boolean> {
    await this.db
      .insertInto('delivery_leases')
      .values({ company_id: companyId, owner, lease_until: until })
      .onConflict((oc) =>
        oc
          .column('company_id')
          .doUpdateSet({ owner, lease_until: until })
          .where((eb) => eb.or([eb('delivery_leases.lease_until', '<', now), eb('delivery_leases.owner', '=', owner)])),
      )
      .execute();
    const lease = await this.db.selectFrom('delivery_leases').select(['owner', 'lease_until']).where('company_id', '=', companyId).executeTakeFirst();
    return lease?.owner === owner && Number(lease.lease_until) === until;
  }

  async releaseCompanyLease(companyId: string, owner: string): Promise<void> {
    await this.db.deleteFrom('delivery_leases').where('company_id', '=', companyId).where('owner', '=', owner).execute();
  }

  async dueForCompany(companyId: string, now: number, limit: number): Promise<ResultDeliveryRow[]> {
    const rows = await this.db
      .selectFrom('result_deliveries')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map(normalizeDelivery);
  }

  async beginAttempt(orderId: string, expectedVersion: number, sendingPatch: string, attemptId: string, busyUntil: number, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('result_deliveries')
        .set((eb) => ({
          sending_patch: sendingPatch,
          pending_patch: null,
          attempt_id: attemptId,
          // Not due again while the attempt may still be out: nobody else starts one meanwhile.
          next_attempt_at: busyUntil,
          attempts: eb('attempts', '+', 1),
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('order_id', '=', orderId)
        .where('version', '=', expectedVersion)
        .where('next_attempt_at', '<=', now)
        .executeTakeFirst(),
    );
  }

  async markDelivered(orderId: string, attemptId: string, status: number, now: number, event?: OutboxEvent): Promise<void> {
    await changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('result_deliveries')
          .set({
            sending_patch: null,
            state: sql<'pending' | 'delivered'>`case when pending_patch is null then 'delivered' else 'pending' end`,
            attempts: 0,
            next_attempt_at: now,
            last_status: status,
            last_error: null,
            delivered_at: now,
            updated_at: now,
          })
          .where('order_id', '=', orderId)
          .where('attempt_id', '=', attemptId)
          .executeTakeFirst(),
      ),
    );
  }

  async markRetry(orderId: string, attemptId: string, nextAttemptAt: number, status: number | null, error: string, now: number): Promise<void> {
    await this.db
      .updateTable('result_deliveries')
      .set({ next_attempt_at: nextAttemptAt, last_status: status, last_error: error.slice(0, 300), updated_at: now })
      .where('order_id', '=', orderId)
      .where('attempt_id', '=', attemptId)
      .execute();
  }

  async markFailed(orderId: string, attemptId: string, status: number, error: string, now: number, event?: OutboxEvent): Promise<void> {
    await changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('result_deliveries')
          .set({
            sending_patch: null,
            state: sql<'pending' | 'failed'>`case when pending_patch is null then 'failed' else 'pending' end`,
            next_attempt_at: now,
            last_status: status,
            last_error: error.slice(0, 300),
            updated_at: now,
          })
          .where('order_id', '=', orderId)
          .where('attempt_id', '=', attemptId)
          .executeTakeFirst(),
      ),
    );
  }

  async addAttachment(row: Omit<ResultAttachmentRow, 'state' | 'attempt_id' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'sr_url' | 'delivered_at'>): Promise<void> {
    await this.db
      .insertInto('result_attachments')
      .values({ ...row, state: 'pending', attempt_id: null, attempts: 0, next_attempt_at: row.created_at, last_status: null, last_error: null, sr_url: null, delivered_at: null })
      .execute();
  }

  async findAttachment(id: string): Promise<ResultAttachmentRow | undefined> {
    const row = await this.db.selectFrom('result_attachments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { ...normalizeAttachment(row), data: row.data === null ? null : new Uint8Array(row.data) };
  }

  async listAttachments(orderId: string): Promise<Array<Omit<ResultAttachmentRow, 'data'>>> {
    const rows = await this.statements.all<Omit<ResultAttachmentRow, 'data'>, { orderId: string }>(this.#listAttachments, { orderId });
    return rows.map(normalizeAttachment);
  }

  async dueAttachments(companyId: string, now: number, limit: number): Promise<Array<Omit<ResultAttachmentRow, 'data'>>> {
    const rows = await this.db
      .selectFrom('result_attachments')
      .select(ATTACHMENT_COLUMNS)
      .where('company_id', '=', companyId)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map(normalizeAttachment);
  }

  async claimAttachment(id: string, attemptId: string, busyUntil: number, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('result_attachments')
        .set((eb) => ({ attempt_id: attemptId, next_attempt_at: busyUntil, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .executeTakeFirst(),
    );
  }

  async attachmentDelivered(id: string, attemptId: string, srUrl: string, status: number, now: number, event?: OutboxEvent): Promise<void> {
    await changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('result_attachments')
          .set({ state: 'delivered', data: null, sr_url: srUrl, last_status: status, last_error: null, delivered_at: now })
          .where('id', '=', id)
          .where('attempt_id', '=', attemptId)
          .where('state', '=', 'pending')
          .executeTakeFirst(),
      ),
    );
  }

  async attachmentRetry(id: string, attemptId: string, nextAttemptAt: number, status: number | null, error: string): Promise<void> {
    await this.db
      .updateTable('result_attachments')
      .set({ next_attempt_at: nextAttemptAt, last_status: status, last_error: error.slice(0, 300) })
      .where('id', '=', id)
      .where('attempt_id', '=', attemptId)
      .execute();
  }

  async attachmentFailed(id: string, attemptId: string, status: number, error: string, now: number, event?: OutboxEvent): Promise<void> {
    await changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('result_attachments')
          .set({ state: 'failed', data: null, last_status: status, last_error: error.slice(0, 300) })
          .where('id', '=', id)
          .where('attempt_id', '=', attemptId)
          .where('state', '=', 'pending')
          .executeTakeFirst(),
      ),
    );
  }
}

function normalizeDelivery(row: ResultDeliveryRow): ResultDeliveryRow {
  return asNumbers(row, ['version', 'attempts', 'next_attempt_at', 'last_status', 'created_at', 'updated_at', 'delivered_at'] as const);
}

function normalizeAttachment<Row extends Omit<ResultAttachmentRow, 'data'>>(row: Row): Row {
  return asNumbers(row, ['attempts', 'next_attempt_at', 'last_status', 'created_at', 'delivered_at'] as const);
}
