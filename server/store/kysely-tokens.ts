/**
 * Access tokens we issued (hashes only) and the audit log, over Kysely.
 */
import { sql, type Kysely } from 'kysely';
import { changeWithEvent } from './kysely-outbox.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database, SecretSlot } from './schema.js';
import type { StatementRunner } from './statement-runner.js';
import type { AuditEntry, AuditRecord, AuditStore, IssuedToken, OutboxEvent, TokenIntegration, TokenIssue, TokenStore } from './store.js';

/** What the issue statement takes: `secretHash0`… one per key version (see #issueQuery). */
type IssueValues = Record<string, string | number | null>;
type FindValues = { tokenHash: string; now: number };
type FoundRow = TokenIntegration & { token_hash: string; scope: string | null; expires_at: number | string };
/** The integration's columns a token lookup returns (store.ts TokenIntegration). */
const TOKEN_INTEGRATION_COLUMNS = ['id', 'company_id', 'tenant_id', 'state', 'sr_integration_id'] as const satisfies ReadonlyArray<keyof TokenIntegration>;

/**
 * The token endpoint and the bearer check run on every call SmartRecruiters makes, so their two
 * statements are compiled once (precompiled-query.ts) and run through the dialect's statement
 * runner: prepared once, and on SQLite token inserts are group-committed. Same SQL as Kysely would
 * build per call; same single statement per request (T18).
 */
/** Tokens found valid, kept while the database is unchanged (about 300 bytes each). */
const RECENTLY_FOUND_MAX = 4096;

type Found = { token: IssuedToken; integration: TokenIntegration };

export class KyselyTokens implements TokenStore {
  readonly #find: PrecompiledQuery<FindValues>;
  /**
   * The bearer check's answers for tokens found valid, each with the database's change version
   * when it was read (StatementRunner.changeVersion): served again only while that version is
   * unchanged — no write in this process, no commit by any other connection — and the token has not
   * expired, i.e. exactly what the query would answer. Any write (a disable, a new token, an
   * order) empties it in effect. Where the version cannot be told (PostgreSQL) nothing is kept.
   * SmartRecruiters calls with the same token for an hour, mostly reads: the join was a fifth of
   * the bearer check's CPU (issue 9). Unknown tokens never enter, so they cost the same every time.
   */
  readonly #recentlyFound = new Map<string, { found: Found; version: number }>();
  /** By number of candidate hashes (the key versions held: fixed for a process, so one or two entries). */
  readonly #issue = new Map<number, PrecompiledQuery<IssueValues>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: StatementRunner,
  ) {
    this.#find = new PrecompiledQuery<FindValues>((param) =>
      db
        .selectFrom('issued_tokens as t')
        .innerJoin('integrations as i', 'i.id', 't.integration_id')
        .select(TOKEN_INTEGRATION_COLUMNS.map((column) => `i.${column}` as const))
        .select(['t.token_hash', 't.scope', 't.expires_at'])
        .where('t.token_hash', '=', param('tokenHash'))
        .where('t.expires_at', '>', param('now')),
    );
  }

  async issueForClient(issue: TokenIssue, now: number): Promise<{ integrationId: string; via: SecretSlot } | undefined> {
    const values: IssueValues = { tokenHash: issue.tokenHash, scope: issue.scope, expiresAt: issue.expiresAt, now, clientId: issue.clientId };
    issue.secretHashes.forEach((hash, index) => (values[`secretHash${index}`] = hash));
    const [row] = await this.statements.commit<{ integration_id: string; issued_via: SecretSlot | null }, IssueValues>(this.#issueQuery(issue.secretHashes.length), values);
    return row && { integrationId: row.integration_id, via: row.issued_via ?? 'current' };
  }

  /**
   * Authenticates and inserts in one statement: the token row is selected from the client's
   * integration only when one of the presented secret's hashes matches a live secret of it.
   */
  #issueQuery(hashCount: number): PrecompiledQuery<IssueValues> {
    let query = this.#issue.get(hashCount);
    if (query) return query;
    query = new PrecompiledQuery<IssueValues>((param) => {
      const hashes = Array.from({ length: hashCount }, (_, index) => param(`secretHash${index}`) as string);
      const now = param('now');
      const via = sql<SecretSlot>`case when ${sql.ref('issued_secret_hash')} in (${sql.join(hashes)}) then 'current' when ${sql.ref('rotation_secret_hash')} in (${sql.join(hashes)}) then 'rotation' else 'previous' end`;
      return this.db
        .insertInto('issued_tokens')
        .columns(['token_hash', 'integration_id', 'scope', 'expires_at', 'created_at', 'issued_via'])
        .expression(
          this.db
            .selectFrom('integrations')
            .select([
              sql<string>`cast(${param('tokenHash')} as text)`.as('token_hash'),
              'id as integration_id',
              sql<string | null>`cast(${param('scope')} as text)`.as('scope'),
              sql<number>`cast(${param('expiresAt')} as bigint)`.as('expires_at'),
              sql<number>`cast(${now} as bigint)`.as('created_at'),
              via.as('issued_via'),
            ])
            .where('issued_client_id', '=', param('clientId') as string)
            .where('state', '!=', 'disabled')
            .where((eb) =>
              eb.or([
                eb('issued_secret_hash', 'in', hashes),
                eb('rotation_secret_hash', 'in', hashes),
                eb.and([eb('previous_secret_hash', 'in', hashes), eb('previous_secret_expires_at', '>', now as number)]),
              ]),
            ),
        )
        .returning(['integration_id', 'issued_via']);
    });
    this.#issue.set(hashCount, query);
    return query;
  }

  async find(tokenHash: string, now: number): Promise<Found | undefined> {
    // Read before the lookup: a change that lands between the two makes the entry older than its row, never newer.
    const version = this.statements.changeVersion();
    const recent = this.#recentlyFound.get(tokenHash);
    if (recent && recent.version === version && recent.found.token.expiresAt > now) return recent.found;
    const row = await this.statements.first<FoundRow, FindValues>(this.#find, { tokenHash, now });
    if (!row) {
      if (recent) this.#recentlyFound.delete(tokenHash);
      return undefined;
    }
    // Frozen: the same objects may answer later lookups, so no caller may change them.
    const found = Object.freeze({
      token: Object.freeze({ tokenHash: row.token_hash, integrationId: row.id, scope: row.scope, expiresAt: Number(row.expires_at) }),
      integration: Object.freeze({ id: row.id, company_id: row.company_id, tenant_id: row.tenant_id, state: row.state, sr_integration_id: row.sr_integration_id }),
    });
    if (version !== undefined) this.#remember(tokenHash, { found, version });
    return found;
  }

  #remember(tokenHash: string, entry: { found: Found; version: number }): void {
    this.#recentlyFound.delete(tokenHash);
    if (this.#recentlyFound.size >= RECENTLY_FOUND_MAX) this.#recentlyFound.delete(this.#recentlyFound.keys().next().value!);
    this.#recentlyFound.set(tokenHash, entry);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('issued_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** An audit entry as its `audit_log` row (also written inside a unit: unit-writes.ts). */
export function auditRow(entry: AuditEntry, now: number): AuditRowValues {
  return {
    at: now,
    event: entry.event,
    outcome: entry.outcome,
    company_id: entry.companyId ?? null,
    actor: entry.actor ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
}

export type AuditRowValues = { at: number; event: string; outcome: string; company_id: string | null; actor: string | null; detail: string | null };

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
    await db.insertInto('audit_log').values(auditRow(entry, now)).execute();
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
