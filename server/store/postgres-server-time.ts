import { sql, type Kysely } from 'kysely';

/**
 * The PostgreSQL server's clock, epoch ms, for the kit's clock (database-clock.ts) and doctor's
 * check of it. clock_timestamp(), not now(): now() is when the transaction began.
 */
export async function postgresServerTime(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ ms: string }>`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`.execute(db);
  return Number(rows[0]!.ms);
}
