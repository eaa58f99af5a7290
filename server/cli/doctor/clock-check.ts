/**
 * (PostgreSQL) How far this host's clock is from the database server's. The kit keeps time by the
 * database's (store/database-clock.ts), so a difference breaks nothing in the kit; it is reported
 * because the host's logs, TLS and other services still trust the host's clock, and because the
 * kit warns about it at every start.
 */
import type { Kysely } from 'kysely';
import type { ResolvedConfig } from '../../config.js';
import { CLOCK_WARN_MS, DatabaseClock } from '../../store/database-clock.js';
import { openReadOnly } from '../../store/open-read-only.js';
import { postgresServerTime } from '../../store/postgres-server-time.js';
import { ok, skip, warn, type CheckResult } from './check-result.js';
import { databaseFailureReason } from './database-failure.js';

const CHECK = 'clock';

export async function checkClock(database: ResolvedConfig['database']): Promise<CheckResult> {
  let offsetMs: number;
  try {
    offsetMs = await offsetFrom(database);
  } catch (error) {
    return skip(CHECK, `could not read the database server's clock: ${databaseFailureReason(error)}`);
  }
  if (Math.abs(offsetMs) <= CLOCK_WARN_MS) return ok(CHECK, `this host's clock is within ${Math.abs(offsetMs)} ms of the database server's`);
  return warn(
    CHECK,
    `this host's clock is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the database server's: the kit keeps time by the database's, but this host's logs and other services do not`,
    "correct this host's time (NTP: chrony or systemd-timesyncd), or the database server's if it is the one that is off",
  );
}

/** How far the database server's clock is ahead of this host's (negative: behind), on a read-only connection of its own. */
async function offsetFrom(database: ResolvedConfig['database']): Promise<number> {
  const db = openReadOnly(database) as Kysely<unknown>;
  try {
    return await new DatabaseClock(() => postgresServerTime(db)).sync();
  } finally {
    await db.destroy();
  }
}
