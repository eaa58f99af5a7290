/**
 * `Store` over Kysely: the same SQL for SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import { KyselyApiKeys } from './kysely-api-keys.js';
import { KyselyBacklog } from './kysely-backlog.js';
import { KyselyEventFeed } from './kysely-event-feed.js';
import { KyselyIdempotencyKeys } from './kysely-idempotency.js';
import { migrationStatus } from './migrations.js';
import { postgresServerTime } from './postgres-server-time.js';
import { KyselyConnections, KyselyFlows } from './kysely-connections.js';
import { KyselyIntegrations } from './kysely-integrations.js';
import { KyselyOutbox } from './kysely-outbox.js';
import { KyselyOrders } from './kysely-orders.js';
import { KyselyPackages } from './kysely-packages.js';
import { KyselyResults } from './kysely-results.js';
import { KyselySessionEpochs } from './kysely-session-epochs.js';
import { KyselyAudit, KyselyTokens } from './kysely-tokens.js';
import type { Database } from './schema.js';
import type { StatementRunner } from './statement-runner.js';
import type { Store } from './store.js';
import { UnitWrites } from './unit-writes.js';

export class KyselyStore implements Store {
  readonly integrations: KyselyIntegrations;
  readonly connections: KyselyConnections;
  readonly flows: KyselyFlows;
  readonly tokens: KyselyTokens;
  readonly outbox: KyselyOutbox;
  readonly audit: KyselyAudit;
  readonly sessionEpochs: KyselySessionEpochs;
  readonly orders: KyselyOrders;
  readonly results: KyselyResults;
  readonly apiKeys: KyselyApiKeys;
  readonly eventFeed: KyselyEventFeed;
  readonly packages: KyselyPackages;
  readonly idempotencyKeys: KyselyIdempotencyKeys;
  readonly backlog: KyselyBacklog;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly statements: StatementRunner,
  ) {
    this.integrations = new KyselyIntegrations(db, statements);
    this.connections = new KyselyConnections(db);
    this.flows = new KyselyFlows(db);
    this.tokens = new KyselyTokens(db, statements);
    this.outbox = new KyselyOutbox(db);
    this.audit = new KyselyAudit(db);
    this.sessionEpochs = new KyselySessionEpochs(db);
    this.orders = new KyselyOrders(db, statements, new UnitWrites(db, dialect));
    this.results = new KyselyResults(db, statements);
    this.apiKeys = new KyselyApiKeys(db, statements);
    this.eventFeed = new KyselyEventFeed(db);
    this.packages = new KyselyPackages(db);
    this.idempotencyKeys = new KyselyIdempotencyKeys(db);
    this.backlog = new KyselyBacklog(db);
  }

  async readiness(): Promise<{ reachable: boolean; pendingMigrations: string[] }> {
    try {
      const status = await migrationStatus(this.db as unknown as Kysely<unknown>, this.dialect);
      return { reachable: true, pendingMigrations: status.pending };
    } catch {
      return { reachable: false, pendingMigrations: [] };
    }
  }

  async serverTime(): Promise<number | undefined> {
    return this.dialect === 'postgres' ? postgresServerTime(this.db as unknown as Kysely<unknown>) : undefined;
  }

  async close(): Promise<void> {
    // Group-committed writes still queued are committed (and answered) before the database closes.
    await this.statements.drain();
    await this.db.destroy();
  }
}
