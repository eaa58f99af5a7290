/**
 * (PostgreSQL) How far this host's clock is from the database server's. The kit keeps time by the
 * database's (store/database-clock.ts), so a difference breaks nothing in the kit; it is reported
 * because the host's logs, TLS and other services still trust the host's clock, and because the
 * kit warns about it at every start.
 */
import type { Kysely } from 'kysely';
import { DatabaseClock } from '../../store/database-clock.js';
import { postgresServerTime } from '../../store/postgres-server-time.js';
import { ok, warn, type CheckResult } from './check-result.js';

const CHECK = 'clock';
/** As the kit's start-up warning (kit.ts). */
const TOLERANCE_MS = 1_000;

export async function checkClock(db: Kysely<unknown>): Promise<CheckResult> {
  // Positive: the database's clock is ahead of this host's.
  const offsetMs = await new DatabaseClock(() => postgresServerTime(db)).sync();
  if (Math.abs(offsetMs) <= TOLERANCE_MS) return ok(CHECK, `this host's clock is within ${Math.abs(offsetMs)} ms of the database server's`);
  return warn(
    CHECK,
    `this host's clock is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the database server's: the kit keeps time by the database's, but this host's logs and other services do not`,
    "correct this host's time (NTP: chrony or systemd-timesyncd), or the database server's if it is the one that is off",
  );
}
