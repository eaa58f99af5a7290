/**
 * Opens the configured database and brings its schema up to date: SQLite (a file, the embedded
 * default) or PostgreSQL (shared by several kit instances).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { ResolvedConfig } from '../config.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { PostgresStatements } from './postgres-statements.js';
import { SqliteChangeWatch } from './sqlite-change-watch.js';
import type { Database } from './schema.js';
import { SqliteStatements } from './sqlite-statements.js';
import type { StatementRunner } from './statement-runner.js';
import type { Store } from './store.js';

export async function openStore(database: ResolvedConfig['database']): Promise<Store> {
  const { db, statements } = database.kind === 'postgres' ? openPostgres(database.url) : openSqlite(database.path);
  try {
    await migrateToLatest(db as Kysely<unknown>, database.kind);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, database.kind, statements);
}

interface OpenDatabase {
  db: Kysely<Database>;
  /** The same database for the hot statements that bypass Kysely's query building. */
  statements: StatementRunner;
}

function openSqlite(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // WAL lets readers run beside the single writer; busy_timeout makes a second process wait
  // for the write lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  // Every commit synced to disk before it returns: credentials, tokens and orders the kit has
  // answered for survive a power loss, not only a process crash. Said explicitly because the
  // better-sqlite3 build defaults WAL databases to NORMAL, which may lose the last commits then.
  // Token inserts are group-committed (sqlite-group-commit.ts), so one sync serves many requests.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const changes = new SqliteChangeWatch(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, changes) }) });
  return { db, statements: new SqliteStatements(sqlite, db, changes) };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; preparing costs more than running our small statements, so
 * prepared statements are kept by SQL text (the kit's SQL is parameterized: a few dozen texts).
 * better-sqlite3 runs a statement to completion synchronously, so sharing one is safe. Writes are
 * counted as they run (sqlite-change-watch.ts), for the read caches that must never serve a stale row.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, changes: SqliteChangeWatch): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = changes.watched(sqlite.prepare(sql));
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

function openPostgres(url: string): OpenDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), statements: new PostgresStatements(pool) };
}
