/**
 * Runs the store's hottest statements (precompiled-query.ts) straight on the driver, past Kysely's
 * per-query machinery: the bearer check on every call SmartRecruiters makes, token issuance, and
 * the partner API's result intake (the API key, the order, its integration and delivery row, and
 * the write of a result update with its history row).
 * One implementation per dialect (sqlite-statements.ts, postgres-statements.ts); everything else in
 * the store keeps going through Kysely.
 */
import type { PrecompiledQuery } from './precompiled-query.js';

/** One statement of `commitGuarded`: a precompiled write and its values. */
export interface Step {
  query: PrecompiledQuery<Record<string, unknown>>;
  values: Record<string, unknown>;
}

/** A `Step`, typed by its query's values. */
export const step = <Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Step => ({ query: query as unknown as Step['query'], values });

export interface StatementRunner {
  /** A read's first row, as of the last committed state (never another request's uncommitted changes). */
  first<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row | undefined>;
  /**
   * One write statement in a transaction of its own, or batched with concurrent ones (group
   * commit): either way the promise settles only after the commit, with the statement's rows
   * (`RETURNING`) or its own error.
   */
  commit<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]>;
  /** A read's rows, as of the last committed state. */
  all<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]>;
  /**
   * Write statements committed together or not at all: `guard` first (a conditional write); only
   * when it changed exactly one row do the others run, in order. Resolves once committed — true — or
   * false when the guard changed nothing (then nothing was written). Any statement's error undoes
   * every statement of the call and rejects. On SQLite the unit joins the group commit's transaction
   * (in a savepoint of its own); on PostgreSQL it is a transaction of its own.
   */
  commitGuarded(guard: Step, then: readonly Step[]): Promise<boolean>;
  /**
   * A number that stays the same between two calls only if nothing can have changed the database
   * in between (on SQLite: this process's writes and other connections' commits); undefined where
   * that cannot be told cheaply (PostgreSQL: other instances write without telling). Read caches
   * keyed on it serve exactly what the database would.
   */
  changeVersion(): number | undefined;
  /** Settles once the writes already handed over are committed (before closing the database). */
  drain(): Promise<void>;
}
