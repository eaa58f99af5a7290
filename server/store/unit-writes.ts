/**
 * Rows that are written together with a change, as precompiled steps of one unit of the statement
 * runner (StatementRunner.commitGuarded): an event's feed and webhook-outbox rows (what
 * kysely-outbox.ts `insertEvent` writes inside a Kysely transaction) and an audit row. On SQLite the
 * unit joins the group commit, so a burst of orders shares its fsync (issue 9 measured one
 * transaction per order, and another for its audit row, at about 630 orders/s).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { FEED_LOCK } from './kysely-outbox.js';
import { auditRow, type AuditRowValues } from './kysely-tokens.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import { step, type Step } from './statement-runner.js';
import type { AuditEntry, OutboxEvent } from './store.js';

type EventValues = { id: string; type: string; tenantId: string | null; payload: string; now: number };

export class UnitWrites {
  /** PostgreSQL only: serializes feed writers up to their commit (see kysely-outbox.ts `insertEvent`). */
  readonly #feedLock: PrecompiledQuery<Record<string, never>> | undefined;
  readonly #feed: PrecompiledQuery<EventValues>;
  readonly #outbox: PrecompiledQuery<EventValues>;
  readonly #audit: PrecompiledQuery<AuditRowValues>;

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#feedLock = dialect === 'postgres' ? new PrecompiledQuery(() => db.selectNoFrom(sql<null>`pg_advisory_xact_lock(${FEED_LOCK})`.as('locked'))) : undefined;
    this.#feed = new PrecompiledQuery<EventValues>((param) =>
      db.insertInto('event_feed').values({ id: param('id'), type: param('type'), tenant_id: param('tenantId'), payload: param('payload'), created_at: param('now') }),
    );
    this.#outbox = new PrecompiledQuery<EventValues>((param) =>
      db.insertInto('event_outbox').values({
        id: param('id'),
        type: param('type'),
        payload: param('payload'),
        created_at: param('now'),
        delivered_at: null,
        attempts: 0,
        next_attempt_at: param('now'),
        lease_owner: null,
        lease_until: null,
        last_error: null,
      }),
    );
    this.#audit = new PrecompiledQuery<AuditRowValues>((param) =>
      db.insertInto('audit_log').values({ at: param('at'), event: param('event'), outcome: param('outcome'), company_id: param('company_id'), actor: param('actor'), detail: param('detail') }),
    );
  }

  /** The event's rows: the feed always, the webhook outbox unless `webhook` is false. */
  event(event: OutboxEvent, now: number): Step[] {
    const values = { id: event.id, type: event.type, tenantId: event.tenantId ?? null, payload: event.payload, now };
    return [
      ...(this.#feedLock ? [step(this.#feedLock, {})] : []),
      step(this.#feed, values),
      ...(event.webhook === false ? [] : [step(this.#outbox, values)]),
    ];
  }

  audit(entry: AuditEntry, now: number): Step {
    return step(this.#audit, auditRow(entry, now));
  }
}
