/**
 * Access tokens we issued (hashes only) and the audit log, over Kysely.
 */
import { sql, type Kysely } from 'kysely';
import { normalizeIntegration } from './kysely-integrations.js';
import { changeWithEvent } from './kysely-outbox.js';
import type { Database, SecretSlot } from './schema.js';
import type { AuditEntry, AuditRecord, AuditStore, IntegrationRow, IssuedToken, OutboxEvent, TokenIssue, TokenStore } from './store.js';

export class KyselyTokens implements TokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async issueForClient(issue: TokenIssue, now: number): Promise<{ integrationId: string; via: SecretSlot } | undefined> {
    const hashes = issue.secretHashes;
    const via = sql<SecretSlot>`case when ${sql.ref('issued_secret_hash')} in (${sql.join(hashes)}) then 'current' when ${sql.ref('rotation_secret_hash')} in (${sql.join(hashes)}) then 'rotation' else 'previous' end`;
    const row = await this.db
      .insertInto('issued_tokens')
      .columns(['token_hash', 'integration_id', 'scope', 'expires_at', 'created_at', 'issued_via'])
      .expression(
        this.db
          .selectFrom('integrations')
          .select([
            sql<string>`cast(${issue.tokenHash} as text)`.as('token_hash'),
            'id as integration_id',
            sql<string | null>`cast(${issue.scope} as text)`.as('scope'),
            sql<number>`cast(${issue.expiresAt} as bigint)`.as('expires_at'),
            sql<number>`cast(${now} as bigint)`.as('created_at'),
            via.as('issued_via'),
          ])
          .where('issued_client_id', '=', issue.clientId)
          .where('state', '!=', 'disabled')
          .where((eb) =>
            eb.or([
              eb('issued_secret_hash', 'in', hashes),
              eb('rotation_secret_hash', 'in', hashes),
              eb.and([eb('previous_secret_hash', 'in', hashes), eb('previous_secret_expires_at', '>', now)]),
            ]),
          ),
      )
      .returning(['integration_id', 'issued_via'])
      .executeTakeFirst();
    return row && { integrationId: row.integration_id, via: row.issued_via ?? 'current' };
  }
  async find(tokenHash: string, now: number): Promise<{ token: IssuedToken; integration: IntegrationRow } | undefined> {
    const row = await this.db
      .selectFrom('issued_tokens as t')
      .innerJoin('integrations as i', 'i.id', 't.integration_id')
      .selectAll('i')
      .select(['t.token_hash', 't.scope', 't.expires_at'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    const { token_hash, scope, expires_at, ...integration } = row;
    return {
      token: { tokenHash: token_hash, integrationId: integration.id, scope, expiresAt: Number(expires_at) },
      integration: normalizeIntegration(integration as IntegrationRow),
    };
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('issued_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class KyselyAudit implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends an entry; with `event`, the outbox row is written in the same transaction (an audited happening that announces itself). */
  async append(entry: AuditEntry, now: number, event?: OutboxEvent): Promise<void> {
    await changeWithEvent(this.db, event, now, async (db) => {
      await this.#insert(db, entry, now);
      return true;
    });
  }

  async #insert(db: Kysely<Database>, entry: AuditEntry, now: number): Promise<void> {
    await db
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

  async list(options: { companyId?: string; limit?: number } = {}): Promise<AuditRecord[]> {
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
}
