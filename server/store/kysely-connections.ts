/**
 * Provider connections and authorization-code flows over Kysely (SQLite and PostgreSQL alike).
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { changeWithEvent, insertEvent } from './kysely-outbox.js';
import type { Database, FlowOutcome } from './schema.js';
import type { ConnectionPageQuery, ConnectionRow, ConnectionStore, FlowRow, FlowStore, OutboxEvent, StoredTokens } from './store.js';
import { updatedOne } from './updated-one.js';

const CONNECTION_BIGINTS = ['expires_at', 'refresh_lease_until', 'created_at', 'updated_at'] as const;
const FLOW_BIGINTS = ['created_at', 'expires_at', 'used_at'] as const;

function tokenColumns(tokens: StoredTokens) {
  return {
    access_token: tokens.accessToken,
    ...(tokens.refreshToken !== undefined ? { refresh_token: tokens.refreshToken } : {}),
    scope: tokens.scope,
    expires_at: tokens.expiresAt,
  };
}

export class KyselyConnections implements ConnectionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: Parameters<ConnectionStore['create']>[0], now: number, event?: OutboxEvent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('connections')
        .values({ ...row, refresh_lease_owner: null, refresh_lease_until: null, last_error: null, created_at: now, updated_at: now })
        .execute();
      if (event) await insertEvent(trx, event, now);
    });
  }

  async find(id: string): Promise<ConnectionRow | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    return row && asNumbers(row, CONNECTION_BIGINTS);
  }

  async listFor(tenantId: string, userId: string): Promise<ConnectionRow[]> {
    const rows = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => asNumbers(row, CONNECTION_BIGINTS));
  }

  async page(query: ConnectionPageQuery): Promise<ConnectionRow[]> {
    let select = this.db.selectFrom('connections').selectAll();
    if (query.afterId !== undefined) select = select.where('id', '>', query.afterId);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
    if (query.provider !== undefined) select = select.where('provider', '=', query.provider);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    return (await select.orderBy('id').limit(query.limit).execute()).map((row) => asNumbers(row, CONNECTION_BIGINTS));
  }

  reconnect(id: string, tokens: StoredTokens, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('connections')
          .set({ ...tokenColumns({ ...tokens, refreshToken: tokens.refreshToken ?? null }), status: 'connected', last_error: null, refresh_lease_owner: null, refresh_lease_until: null, updated_at: now })
          .where('id', '=', id)
          .executeTakeFirst(),
      ),
    );
  }

  async acquireRefreshLease(id: string, owner: string, until: number, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('connections')
        .set({ refresh_lease_owner: owner, refresh_lease_until: until })
        .where('id', '=', id)
        .where('status', '=', 'connected')
        .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', now)]))
        .executeTakeFirst(),
    );
  }

  async storeRefreshed(id: string, owner: string, tokens: StoredTokens, now: number): Promise<boolean> {
    return updatedOne(
      await this.db
        .updateTable('connections')
        .set({ ...tokenColumns(tokens), refresh_lease_owner: null, refresh_lease_until: null, last_error: null, updated_at: now })
        .where('id', '=', id)
        .where('refresh_lease_owner', '=', owner)
        .where('status', '=', 'connected')
        .executeTakeFirst(),
    );
  }

  async releaseRefreshLease(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ refresh_lease_owner: null, refresh_lease_until: null })
      .where('id', '=', id)
      .where('refresh_lease_owner', '=', owner)
      .execute();
  }

  async expireAccessToken(id: string, accessToken: string): Promise<void> {
    await this.db.updateTable('connections').set({ expires_at: 0 }).where('id', '=', id).where('access_token', '=', accessToken).execute();
  }

  markNeedsReconnect(id: string, errorCode: string, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('connections')
          .set({ status: 'needs_reconnect', last_error: errorCode, refresh_lease_owner: null, refresh_lease_until: null, updated_at: now })
          .where('id', '=', id)
          .where('status', '=', 'connected')
          .executeTakeFirst(),
      ),
    );
  }

  disconnect(id: string, now: number, event?: OutboxEvent): Promise<boolean> {
    return changeWithEvent(this.db, event, now, async (db) =>
      updatedOne(
        await db
          .updateTable('connections')
          .set({ status: 'disconnected', access_token: null, refresh_token: null, expires_at: null, refresh_lease_owner: null, refresh_lease_until: null, updated_at: now })
          .where('id', '=', id)
          .where('status', '!=', 'disconnected')
          .executeTakeFirst(),
      ),
    );
  }
}

export class KyselyFlows implements FlowStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(flow: Parameters<FlowStore['create']>[0]): Promise<void> {
    await this.db
      .insertInto('oauth_flows')
      .values({ ...flow, used_at: null, outcome: null, outcome_detail: null, result_connection_id: null })
      .execute();
  }

  async consume(stateHash: string, now: number): Promise<FlowRow | undefined> {
    const consumed = updatedOne(
      await this.db
        .updateTable('oauth_flows')
        .set({ used_at: now })
        .where('state_hash', '=', stateHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    if (!consumed) return undefined;
    const row = await this.db.selectFrom('oauth_flows').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    return row && asNumbers(row, FLOW_BIGINTS);
  }

  async finish(stateHash: string, outcome: FlowOutcome, detail: string | null, connectionId: string | null): Promise<void> {
    await this.db
      .updateTable('oauth_flows')
      .set({ outcome, outcome_detail: detail, result_connection_id: connectionId })
      .where('state_hash', '=', stateHash)
      .execute();
  }

  async findByFlowId(flowId: string): Promise<FlowRow | undefined> {
    const row = await this.db.selectFrom('oauth_flows').selectAll().where('flow_id', '=', flowId).orderBy('created_at', 'desc').executeTakeFirst();
    return row && asNumbers(row, FLOW_BIGINTS);
  }

  async purgeExpired(expiredBefore: number): Promise<number> {
    const result = await this.db.deleteFrom('oauth_flows').where('expires_at', '<', expiredBefore).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
