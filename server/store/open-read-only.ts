/**
 * Opens the configured database for reading only, without creating or migrating anything: what
 * `ats-consent doctor` may do to a partner's database. SQLite: the file must exist and is opened
 * read-only. PostgreSQL: one connection whose transactions are read-only
 * (`default_transaction_read_only`), so even a bug here could not write.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { ResolvedConfig } from '../config.js';
import type { Database } from './schema.js';

export function openReadOnly(database: ResolvedConfig['database'], connectTimeoutMs = 5_000): Kysely<Database> {
  if (database.kind === 'sqlite') {
    // fileMustExist: a missing file is an error, never created.
    const sqlite = new BetterSqlite3(database.path, { readonly: true, fileMustExist: true, timeout: connectTimeoutMs });
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    max: 1,
    connectionTimeoutMillis: connectTimeoutMs,
    options: '-c default_transaction_read_only=on',
  });
  pool.on('error', () => {}); // an idle client's error must not crash doctor; the next query reports it
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
