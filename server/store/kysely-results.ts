/**
 * Result deliveries and attachments over Kysely (SQLite and PostgreSQL alike). Every change that can
 * race is conditional: patches by version, a company's delivery by its lease.
 */
import { sql, type Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { changeWithEvent } from './kysely-outbox.js';
import type { Database } from './schema.js';
import type { OutboxEvent, ResultAttachmentRow, ResultDeliveryRow, ResultStore, ResultUpdateRow } from './store.js';
import { updatedOne } from './updated-one.js';

const ATTACHMENT_COLUMNS = ['id', 'order_id', 'company_id', 'filename', 'content_type', 'state', 'attempt_id', 'attempts', 'next_attempt_at', 'last_status', 'last_error', 'sr_url', 'created_at', 'delivered_at'] as const;

export class KyselyResults implements ResultStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(orderId: string): Promise<ResultDeliveryRow | undefined> {
    const row = await this.db.selectFrom('result_deliveries').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    return row && normalizeDelivery(row);
  }

  async write(
    change: { orderId: string; companyId: string; pendingPatch: string; resultDocument: string; expectedVersion: number | null; update?: { id: string; patch: string } },
    now: number,
  ): Promise<boolean> {
    const update = change.update;
    if (!update) return this.#write(this.db, change, now);
    // The update joins the order's history in the transaction that queues it: both or neither.
    return this.db.transaction().execute(async (trx) => {
      const written = await this.#write(trx, change, now);
      if (written) {
        await trx
          .insertInto('result_updates')
          .values({ id: update.id, order_id: change.orderId, version: (change.expectedVersion ?? 0) + 1, patch: update.patch, received_at: now })
          .execute();
      }
      return written;
    });
  }

  async history(orderId: string): Promise<ResultUpdateRow[]> {
    const rows = await this.db.selectFrom('result_updates').selectAll().where('order_id', '=', orderId).orderBy('version').execute();
    return rows.map((row) => asNumbers(row, ['version', 'received_at'] as const));
  }

  async #write(db: Kysely<Database>, change: { orderId: string; companyId: string; pendingPatch: string; resultDocument: string; expectedVersion: number | null }, now: number): Promise<boolean> {
    const due = { pending_patch: change.pendingPatch, result_document: change.resultDocument, state: 'pending' as const, next_attempt_at: now, updated_at: now };
    if (change.expectedVersion === null) {
      const inserted = await db
        .insertInto('result_deliveries')
        .values({ order_id: change.orderId, company_id: change.companyId, sending_patch: null, version: 1, attempt_id: null, attempts: 0, last_status: null, last_error: null, created_at: now, delivered_at: null, ...due })
        .onConflict((oc) => oc.column('order_id').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
    }
    // An update while an attempt waits for its retry keeps that retry's time and count: SR being down
    // is no reason to call it sooner, and the update travels with the retry (composed at the next attempt).
    const retrying = sql<boolean>`sending_patch is not null`;
    return updatedOne(
      await db
        .updateTable('result_deliveries')
        .set((eb) => ({
          ...due,
          next_attempt_at: sql<number>`case when ${retrying} then next_attempt_at else ${now} end`,
          attempts: sql<number>`case when ${retrying} then attempts else 0 end`,
          version: eb('version', '+', 1),
        }))
        .where('order_id', '=', change.orderId)
        .where('version', '=', change.expectedVersion)
        .executeTakeFirst(),
    );
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
    const rows = await this.db.selectFrom('result_attachments').select(ATTACHMENT_COLUMNS).where('order_id', '=', orderId).orderBy('created_at').execute();
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
