/**
 * Integration rows over Kysely (SQLite and PostgreSQL alike).
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { changeWithEvent } from './kysely-outbox.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import type { StatementRunner } from './statement-runner.js';
import type { ActivatedIntegration, IntegrationRow, IntegrationStore, NewIntegration, OutboxEvent } from './store.js';
import { updatedOne } from './updated-one.js';


export class KyselyIntegrations implements IntegrationStore {
  /** Read on every result update and delivery attempt: compiled once (precompiled-query.ts). */
  readonly #findByCompany: PrecompiledQuery<{ companyId: string }>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: StatementRunner,
  ) {
    this.#findByCompany = new PrecompiledQuery((param) => db.selectFrom('integrations').selectAll().where('company_id', '=', param('companyId')));
  }

  async findByCompany(companyId: string): Promise<IntegrationRow | undefined> {
    const row = await this.statements.first<IntegrationRow, { companyId: string }>(this.#findByCompany, { companyId });
    return row && normalizeIntegration(row);
  }

  async findByClientId(clientId: string): Promise<IntegrationRow | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('issued_client_id', '=', clientId).executeTakeFirst();
    return row && normalizeIntegration(row);
  }

  async list(): Promise<IntegrationRow[]> {
    return (await this.db.selectFrom('integrations').selectAll().orderBy('created_at').execute()).map(normalizeIntegration);
  }

  async page(query: { afterCompanyId?: string; tenantId?: string; limit: number }): Promise<IntegrationRow[]> {
    let select = this.db.selectFrom('integrations').selectAll();
    if (query.afterCompanyId !== undefined) select = select.where('company_id', '>', query.afterCompanyId);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    return (await select.orderBy('company_id').limit(query.limit).execute()).map(normalizeIntegration);
  }

  async insertPending(row: NewIntegration, now: number): Promise<IntegrationRow> {
    await this.db
      .insertInto('integrations')
      .values({ id: row.id, company_id: row.companyId, ...freshPendingColumns(row, now), lease_owner: null, lease_until: null, created_at: now })
      .onConflict((oc) => oc.column('company_id').doNothing())
      .execute();
    const existing = await this.findByCompany(row.companyId);
    if (!existing) throw new Error('integration row vanished after insert');
    return existing;
  }

  async reset(row: NewIntegration, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const changed = updatedOne(
        await trx
          .updateTable('integrations')
          .set({ ...freshPendingColumns(row, now), disabled_at: null, lease_owner: null, lease_until: null })
          .where('company_id', '=', row.companyId)
          .where('state', '=', 'disabled')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
          .executeTakeFirst(),
      );
      // Tokens issued for the previous credentials must not come back to life with the new ones.
      if (changed) await trx.deleteFrom('issued_tokens').where('integration_id', '=', row.id).execute();
      return changed;
    });
  }

  relink(companyId: string, tenantId: string, approvedBy: string, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) => {
      const moved = updatedOne(
        await db
          .updateTable('integrations')
          .set({ tenant_id: tenantId, approved_by: approvedBy, updated_at: now })
          .where('company_id', '=', companyId)
          .where('state', '!=', 'disabled')
          .where('tenant_id', '!=', tenantId)
          .executeTakeFirst(),
      );
      // The company's assessment orders go with it: the tenant that lost it no longer sees its candidates.
      if (moved) await db.updateTable('assessment_orders').set({ tenant_id: tenantId, updated_at: now }).where('company_id', '=', companyId).execute();
      return moved;
    });
  }

  async acquireLease(companyId: string, owner: string, until: number, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('integrations')
        .set({ lease_owner: owner, lease_until: until, updated_at: now })
        .where('company_id', '=', companyId)
        .where('state', 'in', ['pending', 'failed'])
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst(),
    );
  }

  async expireLease(companyId: string, owner: string): Promise<void> {
    // 0 is before any `now`: acquireLease's `lease_until < now` takes it on the next try.
    await this.db
      .updateTable('integrations')
      .set({ lease_until: 0 })
      .where('company_id', '=', companyId)
      .where('lease_owner', '=', owner)
      .where('state', 'in', ['pending', 'failed'])
      .execute();
  }

  async renewLease(companyId: string, owner: string, until: number): Promise<boolean> {
    // Only the owner's own lease, on a row still being exchanged. An expired lease nobody took over
    // is still the owner's (the conditional takeover in acquireLease changes the owner, so the two
    // cannot both succeed). updated_at stays: a heartbeat is not a change of the integration.
    return updatedOne(
      await this.db
        .updateTable('integrations')
        .set({ lease_until: until })
        .where('company_id', '=', companyId)
        .where('lease_owner', '=', owner)
        .where('state', 'in', ['pending', 'failed'])
        .executeTakeFirst(),
    );
  }

  activate(companyId: string, owner: string, result: ActivatedIntegration, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
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
          .where('state', 'in', ['pending', 'failed'])
          .executeTakeFirst(),
      ),
    );
  }

  fail(companyId: string, owner: string, errorCode: string, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('integrations')
          .set({ state: 'failed', last_error: errorCode, lease_owner: null, lease_until: null, updated_at: now })
          .where('company_id', '=', companyId)
          .where('lease_owner', '=', owner)
          .executeTakeFirst(),
      ),
    );
  }

  disable(integrationId: string, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) => {
      const changed = updatedOne(
        await db
          .updateTable('integrations')
          .set({
            state: 'disabled',
            disabled_at: now,
            issued_secret_pending: null,
            previous_secret_hash: null,
            previous_secret_expires_at: null,
            rotation_secret_hash: null,
            rotation_secret_pending: null,
            sr_credentials: null,
            lease_owner: null,
            lease_until: null,
            updated_at: now,
          })
          .where('id', '=', integrationId)
          .where('state', '!=', 'disabled')
          .executeTakeFirst(),
      );
      return changed;
    });
  }

  async beginRotation(integrationId: string, secretHash: string, secretPending: string, now: number): Promise<IntegrationRow | undefined> {
    await this.db
      .updateTable('integrations')
      .set({ rotation_secret_hash: secretHash, rotation_secret_pending: secretPending, updated_at: now })
      .where('id', '=', integrationId)
      .where('state', '=', 'active')
      .where('rotation_secret_hash', 'is', null)
      .execute();
    const row = await this.db.selectFrom('integrations').selectAll().where('id', '=', integrationId).executeTakeFirst();
    return row && normalizeIntegration(row);
  }

  async completeRotation(integrationId: string, rotationHash: string, previousExpiresAt: number, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('integrations')
        .set((eb) => ({
          previous_secret_hash: eb.ref('issued_secret_hash'),
          previous_secret_expires_at: previousExpiresAt,
          issued_secret_hash: rotationHash,
          rotation_secret_hash: null,
          rotation_secret_pending: null,
          updated_at: now,
        }))
        .where('id', '=', integrationId)
        .where('state', '=', 'active')
        .where('rotation_secret_hash', '=', rotationHash)
        .executeTakeFirst(),
    );
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
    previous_secret_hash: null,
    previous_secret_expires_at: null,
    rotation_secret_hash: null,
    rotation_secret_pending: null,
    sr_credentials: null,
    sr_integration_id: null,
    last_error: null,
    updated_at: now,
  };
}

const BIGINT_COLUMNS = ['lease_until', 'previous_secret_expires_at', 'disabled_at', 'created_at', 'updated_at'] as const;

export function normalizeIntegration(row: IntegrationRow): IntegrationRow {
  return asNumbers(row, BIGINT_COLUMNS);
}
