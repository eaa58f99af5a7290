/**
 * `Store` over Kysely: the same SQL for SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type {
  ActivatedIntegration,
  AuditEntry,
  AuditRecord,
  IntegrationRow,
  NewIntegration,
  Store,
} from './store.js';

export class KyselyStore implements Store {
  constructor(readonly db: Kysely<Database>) {}

  async findIntegrationByCompany(companyId: string): Promise<IntegrationRow | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('company_id', '=', companyId).executeTakeFirst();
    return row && normalize(row);
  }

  async insertPendingIntegration(row: NewIntegration, now: number): Promise<IntegrationRow> {
    await this.db
      .insertInto('integrations')
      .values({
        id: row.id,
        company_id: row.companyId,
        ...freshPendingColumns(row, now),
        lease_owner: null,
        lease_until: null,
        created_at: now,
      })
      .onConflict((oc) => oc.column('company_id').doNothing())
      .execute();
    const existing = await this.findIntegrationByCompany(row.companyId);
    if (!existing) throw new Error('integration row vanished after insert');
    return existing;
  }

  async resetIntegration(row: NewIntegration, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('integrations')
      .set(freshPendingColumns(row, now))
      .where('company_id', '=', row.companyId)
      .where('state', '=', 'disabled')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async acquireExchangeLease(companyId: string, owner: string, until: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('integrations')
      .set({ lease_owner: owner, lease_until: until, updated_at: now })
      .where('company_id', '=', companyId)
      .where('state', 'in', ['pending', 'failed'])
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async activateIntegration(
    companyId: string,
    owner: string,
    result: ActivatedIntegration,
    now: number,
  ): Promise<boolean> {
    const updated = await this.db
      .updateTable('integrations')
      .set({
        state: 'active',
        sr_credentials: result.srCredentials,
        sr_integration_id: result.srIntegrationId,
        issued_secret_pending: null,
        last_error: null,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
      })
      .where('company_id', '=', companyId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n;
  }

  async failIntegration(companyId: string, owner: string, errorCode: string, now: number): Promise<boolean> {
    const updated = await this.db
      .updateTable('integrations')
      .set({ state: 'failed', last_error: errorCode, lease_owner: null, lease_until: null, updated_at: now })
      .where('company_id', '=', companyId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n;
  }

  async listIntegrations(): Promise<IntegrationRow[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
    return rows.map(normalize);
  }

  async appendAudit(entry: AuditEntry, now: number): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: now,
        event: entry.event,
        outcome: entry.outcome,
        company_id: entry.companyId ?? null,
        actor: entry.actor ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      })
      .execute();
  }

  async listAudit(options: { companyId?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'asc').limit(options.limit ?? 1000);
    if (options.companyId !== undefined) query = query.where('company_id', '=', options.companyId);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      at: Number(row.at),
      event: row.event,
      outcome: row.outcome as AuditRecord['outcome'],
      companyId: row.company_id ?? undefined,
      actor: row.actor ?? undefined,
      detail: row.detail ? (JSON.parse(row.detail) as AuditRecord['detail']) : undefined,
    }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** The columns of a pending integration with newly issued credentials (insert and re-enable). */
function freshPendingColumns(row: NewIntegration, now: number) {
  return {
    tenant_id: row.tenantId,
    approved_by: row.approvedBy,
    state: 'pending' as const,
    issued_client_id: row.issuedClientId,
    issued_secret_hash: row.issuedSecretHash,
    issued_secret_pending: row.issuedSecretPending,
    sr_credentials: null,
    sr_integration_id: null,
    last_error: null,
    updated_at: now,
  };
}

/** PostgreSQL hands BIGINT back as strings; keep every adapter's rows identical. */
function normalize(row: IntegrationRow): IntegrationRow {
  return {
    ...row,
    lease_until: row.lease_until === null ? null : Number(row.lease_until),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}
