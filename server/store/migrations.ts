/**
 * Schema migrations, in code so they ship with the kit and run at start. Each migration is written
 * once for both dialects; the few differences (auto-increment ids) are handled by `dialect`.
 */
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001_integrations_and_audit': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('integrations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('company_id', 'text', (c) => c.notNull().unique())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('approved_by', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('issued_client_id', 'text', (c) => c.notNull().unique())
          .addColumn('issued_secret_hash', 'text', (c) => c.notNull())
          .addColumn('issued_secret_pending', 'text')
          .addColumn('sr_credentials', 'text')
          .addColumn('sr_integration_id', 'text')
          .addColumn('last_error', 'text')
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('company_id', 'text')
          .addColumn('actor', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_company').on('audit_log').column('company_id').execute();
      },
    },
    '002_issued_tokens_rotation_outbox': {
      async up(db: Kysely<unknown>) {
        for (const column of ['previous_secret_hash', 'rotation_secret_hash', 'rotation_secret_pending']) {
          await db.schema.alterTable('integrations').addColumn(column, 'text').execute();
        }
        for (const column of ['previous_secret_expires_at', 'disabled_at']) {
          await db.schema.alterTable('integrations').addColumn(column, 'bigint').execute();
        }
        await db.schema
          .createTable('issued_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('integration_id', 'text', (c) => c.notNull())
          .addColumn('scope', 'text')
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('issued_tokens_integration').on('issued_tokens').column('integration_id').execute();
        await db.schema
          .createTable('event_outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'bigint')
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex('event_outbox_due').on('event_outbox').columns(['delivered_at', 'next_attempt_at']).execute();
      },
    },
    '003_issued_tokens_via': {
      async up(db: Kysely<unknown>) {
        // Which of the client's secrets the token was issued for: current, previous or rotation.
        await db.schema.alterTable('issued_tokens').addColumn('issued_via', 'text').execute();
      },
    },
    '004_connections_and_flows': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('connections')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('grant_type', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('access_token', 'text')
          .addColumn('refresh_token', 'text')
          .addColumn('scope', 'text')
          .addColumn('expires_at', 'bigint')
          .addColumn('service_provider', 'text')
          .addColumn('refresh_lease_owner', 'text')
          .addColumn('refresh_lease_until', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('connections_owner').on('connections').columns(['tenant_id', 'user_id']).execute();
        await db.schema
          .createTable('oauth_flows')
          .addColumn('state_hash', 'text', (c) => c.primaryKey())
          .addColumn('flow_id', 'text', (c) => c.notNull())
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('connection_id', 'text')
          .addColumn('code_verifier', 'text')
          .addColumn('redirect_uri', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('return_to', 'text')
          .addColumn('service_provider', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .addColumn('outcome', 'text')
          .addColumn('outcome_detail', 'text')
          .addColumn('result_connection_id', 'text')
          .execute();
        await db.schema.createIndex('oauth_flows_flow').on('oauth_flows').column('flow_id').execute();
      },
    },
    '005_session_epochs': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('session_epochs')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('epoch', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('session_epochs_pk', ['tenant_id', 'user_id'])
          .execute();
      },
    },
    '006_assessment_orders': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('assessment_orders')
          .addColumn('order_id', 'text', (c) => c.primaryKey())
          .addColumn('integration_id', 'text', (c) => c.notNull())
          .addColumn('company_id', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('package_id', 'text', (c) => c.notNull())
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('candidate_id', 'text')
          .addColumn('personal_data', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('result_callback_url', 'text', (c) => c.notNull())
          .addColumn('completed_callback_url', 'text')
          .addColumn('assessment_url', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('assessment_orders_company').on('assessment_orders').columns(['company_id', 'created_at']).execute();
        await db.schema.createIndex('assessment_orders_tenant').on('assessment_orders').columns(['tenant_id', 'created_at']).execute();
      },
    },
    '007_result_deliveries': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('result_deliveries')
          .addColumn('order_id', 'text', (c) => c.primaryKey())
          .addColumn('company_id', 'text', (c) => c.notNull())
          .addColumn('pending_patch', 'text')
          .addColumn('sending_patch', 'text')
          .addColumn('result_document', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('attempt_id', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .execute();
        await db.schema.createIndex('result_deliveries_due').on('result_deliveries').columns(['state', 'next_attempt_at']).execute();
        await db.schema
          .createTable('result_attachments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('order_id', 'text', (c) => c.notNull())
          .addColumn('company_id', 'text', (c) => c.notNull())
          .addColumn('filename', 'text', (c) => c.notNull())
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempt_id', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('sr_url', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .execute();
        await db.schema.createIndex('result_attachments_due').on('result_attachments').columns(['state', 'next_attempt_at']).execute();
        await db.schema
          .createTable('delivery_leases')
          .addColumn('company_id', 'text', (c) => c.primaryKey())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('lease_until', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '008_api_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
      },
    },
    '009_event_feed': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('event_feed')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('tenant_id', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('event_feed_tenant').on('event_feed').columns(['tenant_id', 'seq']).execute();
        await db.schema.createIndex('event_feed_created').on('event_feed').column('created_at').execute();
      },
    },
    '010_partner_packages': {
      async up(db: Kysely<unknown>) {
        // The package catalogue the partner API's PUT stores (issue 14 item 2): one row per company,
        // and '*' for the catalogue of every company without one of its own. `version` is the ETag.
        await db.schema
          .createTable('partner_packages')
          .addColumn('company_id', 'text', (c) => c.primaryKey())
          .addColumn('packages', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        // Every result update the partner sent, in order (the order's result history), encrypted
        // like the patches it came from. Written in the transaction that queues the update.
        await db.schema
          .createTable('result_updates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('order_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('patch', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('result_updates_order').on('result_updates').columns(['order_id', 'version']).execute();
        // The partner API lists orders by creation time and filters on recent changes.
        await db.schema.createIndex('assessment_orders_created').on('assessment_orders').columns(['created_at', 'order_id']).execute();
      },
    },
  };
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`ats-consent: database migration ${failed} failed`, { cause: error });
  }
}

export interface MigrationStatus {
  /** Migrations of this version of the kit that the database has. */
  applied: string[];
  /** Migrations of this version of the kit that the database lacks (start-up would run them). */
  pending: string[];
  /** Migrations the database has that this version does not know: a newer kit migrated it. */
  unknown: string[];
}

/** Where the database stands against this version's migrations, by reading only (`ats-consent doctor`). */
export async function migrationStatus(db: Kysely<unknown>, dialect: Dialect): Promise<MigrationStatus> {
  const known = Object.keys(migrations(dialect));
  const recorded = await recordedMigrations(db);
  return {
    applied: known.filter((name) => recorded.includes(name)),
    pending: known.filter((name) => !recorded.includes(name)),
    unknown: recorded.filter((name) => !known.includes(name)),
  };
}

/**
 * The migrations the database records, by one read of Kysely's migration table (not the catalogue
 * introspection, which on PostgreSQL reads every column of every visible table: too heavy for a
 * probe anyone may call). No table yet means none applied.
 */
async function recordedMigrations(db: Kysely<unknown>): Promise<string[]> {
  try {
    return (await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db)).rows.map((row) => row.name);
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/** SQLite: "no such table"; PostgreSQL: SQLSTATE 42P01 (undefined_table). */
function isMissingTable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '42P01' || (typeof message === 'string' && message.startsWith('no such table'));
}
