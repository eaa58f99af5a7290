/**
 * Runs the store's hottest statements (precompiled-query.ts) straight on the driver, past Kysely's
 * per-query machinery: the bearer check on every call SmartRecruiters makes, and token issuance.
 * One implementation per dialect (sqlite-statements.ts, postgres-statements.ts); everything else in
 * the store keeps going through Kysely.
 */
import type { PrecompiledQuery } from './precompiled-query.js';

export interface StatementRunner {
  /** A read's first row, as of the last committed state (never another request's uncommitted changes). */
  first<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row | undefined>;
  /**
   * One write statement in a transaction of its own, or batched with concurrent ones (group
   * commit): either way the promise settles only after the commit, with the statement's rows
   * (`RETURNING`) or its own error.
   */
  commit<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]>;
  /** Settles once the writes already handed over are committed (before closing the database). */
  drain(): Promise<void>;
}
