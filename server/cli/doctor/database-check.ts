/**
 * The database, read only (store/open-read-only.ts): reachable, migrated to this version's latest
 * migration, and readable with the configured key (encryption-key-check.ts). Doctor never creates
 * or migrates: `ats-consent serve` (any kit start) migrates, under its own lock.
 */
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { ResolvedConfig } from '../../config.js';
import { migrationStatus } from '../../store/migrations.js';
import { openReadOnly } from '../../store/open-read-only.js';
import type { Database } from '../../store/schema.js';
import { fail, ok, skip, warn, type CheckResult } from './check-result.js';
import { checkClock } from './clock-check.js';
import { checkEncryptionKey } from './encryption-key-check.js';
import { databaseFailureReason } from './database-failure.js';
import { sampleCiphertexts } from './stored-ciphertexts.js';

const CHECK = 'database';
const MIGRATE = 'run `ats-consent serve` once (or restart your kit): it migrates the database at start';
const CREATE = 'run `ats-consent serve` once: it creates and migrates the database at start; or check ATS_DATABASE_URL';
const NEEDS_MIGRATED = skip('encryption-key', 'needs a migrated database to read from');

export async function checkDatabase(config: ResolvedConfig): Promise<CheckResult[]> {
  const results = await checkDatabaseAndKey(config);
  // On PostgreSQL, a line for the host's clock however the database checks went (it needs no migration).
  return config.database.kind === 'postgres' ? [...results, await checkClock(config.database)] : results;
}

async function checkDatabaseAndKey(config: ResolvedConfig): Promise<CheckResult[]> {
  const { database } = config;
  const where = describeDatabase(database);
  if (database.kind === 'sqlite' && database.path === ':memory:') {
    return [warn(CHECK, 'ATS_DATABASE_URL is an in-memory SQLite database: every integration is lost at restart', 'set ATS_DATABASE_URL to a file (sqlite:./data/ats-consent.sqlite) or postgres://…'), skip('encryption-key', 'nothing persists in memory')];
  }
  if (database.kind === 'sqlite' && !existsSync(database.path)) return [fail(CHECK, `there is no database at ${where}`, CREATE), NEEDS_MIGRATED];
  let db: Kysely<Database>;
  try {
    db = openReadOnly(database);
  } catch (error) {
    return [fail(CHECK, `could not open ${where}: ${databaseFailureReason(error)}`, 'check ATS_DATABASE_URL, and that this user may read the file and its directory'), NEEDS_MIGRATED];
  }
  try {
    let status;
    try {
      status = await migrationStatus(db as Kysely<unknown>, database.kind);
    } catch (error) {
      return [fail(CHECK, `could not read ${where}: ${databaseFailureReason(error)}`, 'check ATS_DATABASE_URL, that this host reaches the database, and its user and password'), NEEDS_MIGRATED];
    }
    const total = status.applied.length + status.pending.length;
    if (status.unknown.length > 0) {
      // Kysely's migrator refuses to start on migrations it does not know: this version of the kit would not start.
      return [fail(CHECK, `${where} was migrated by a newer ats-consent (migrations this version does not know: ${status.unknown.join(', ')}): this version refuses to start on it`, 'run the ats-consent version that migrated it (kit and doctor alike)'), NEEDS_MIGRATED];
    }
    if (status.applied.length === 0) return [fail(CHECK, `${where} has no ats-consent tables yet`, MIGRATE), NEEDS_MIGRATED];
    if (status.pending.length > 0) {
      return [fail(CHECK, `${where} lacks ${status.pending.length} of ${total} migrations: ${status.pending.join(', ')}`, MIGRATE), NEEDS_MIGRATED];
    }
    const databaseOk = ok(CHECK, `${where} is reachable and migrated (${total} of ${total} migrations)`);
    let key: CheckResult;
    try {
      key = checkEncryptionKey(config, await sampleCiphertexts(db));
    } catch (error) {
      key = fail('encryption-key', `could not read stored values from ${where}: ${databaseFailureReason(error)}`, 'check the database user may read the kit\'s tables');
    }
    return [databaseOk, key];
  } finally {
    await db.destroy();
  }
}

/** Where the database is, without its user or password. */
export function describeDatabase(database: ResolvedConfig['database']): string {
  if (database.kind === 'sqlite') return `SQLite ${database.path}`;
  const url = new URL(database.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}
