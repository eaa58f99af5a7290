/**
 * Precompiled statements on SQLite: prepared once, run synchronously by better-sqlite3; writes go
 * through group commit (sqlite-group-commit.ts).
 *
 * The database has one connection, shared with Kysely. better-sqlite3 runs each statement to
 * completion before returning, so between statements the connection is free, except while a Kysely
 * transaction is open: it holds Kysely's connection lock and awaits between its statements, and a
 * statement run then would join it (a read would see its uncommitted changes, a write would commit
 * or roll back with it). So when SQLite says a transaction is open, we wait for the connection as
 * Kysely's own queries do; otherwise we run at once.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import { SqliteChangeWatch } from './sqlite-change-watch.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { StatementRunner, Step } from './statement-runner.js';

export class SqliteStatements implements StatementRunner {
  readonly #prepared = new WeakMap<object, BetterSqlite3.Statement>();
  readonly #groupCommit: SqliteGroupCommit;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly kysely: Kysely<Database>,
    /** The same watch as the Kysely connection's statement cache (open-store.ts), so its writes count too. */
    private readonly changes: SqliteChangeWatch,
  ) {
    this.#groupCommit = new SqliteGroupCommit(sqlite, (work) => this.#whenConnectionFree(work));
  }

  /**
   * Undefined while a transaction is open on the connection: its snapshot may predate another
   * connection's commit (data_version answers for the snapshot) and its own writes are not
   * committed yet, so nothing may be served from, or remembered for, a read cache meanwhile.
   */
  changeVersion(): number | undefined {
    return this.sqlite.inTransaction ? undefined : this.changes.version();
  }

  async first<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row | undefined> {
    const statement = this.#statement(query);
    const parameters = query.parameters(values);
    // Spread, not an array: better-sqlite3 binds an argument list faster (~1.5 µs a statement).
    if (!this.sqlite.inTransaction) return statement.get(...parameters) as Row | undefined;
    return this.#whenConnectionFree(() => statement.get(...parameters) as Row | undefined);
  }

  async commit<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]> {
    return (await this.#groupCommit.run(this.#statement(query), query.parameters(values))) as Row[];
  }

  async all<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]> {
    const statement = this.#statement(query);
    const parameters = query.parameters(values);
    if (!this.sqlite.inTransaction) return statement.all(...parameters) as Row[];
    return this.#whenConnectionFree(() => statement.all(...parameters) as Row[]);
  }

  async commitGuarded(guard: Step, then: readonly Step[]): Promise<boolean> {
    const [first, ...rest] = [guard, ...then].map((item) => ({ statement: this.#statement(item.query), parameters: item.query.parameters(item.values) }));
    return this.#groupCommit.runUnit(() => {
      if (first!.statement.run(...first!.parameters).changes !== 1) return false;
      for (const { statement, parameters } of rest) statement.run(...parameters);
      return true;
    });
  }

  drain(): Promise<void> {
    return this.#groupCommit.drain();
  }

  #statement(query: { readonly sql: string }): BetterSqlite3.Statement {
    let statement = this.#prepared.get(query);
    if (!statement) {
      // A write counts as a change when it runs, inside its batch (sqlite-change-watch.ts).
      statement = this.changes.watched(this.sqlite.prepare(query.sql));
      this.#prepared.set(query, statement);
    }
    return statement;
  }

  /** Runs `work` holding Kysely's connection lock, i.e. after any transaction in progress. */
  #whenConnectionFree<T>(work: () => T): Promise<T> {
    return this.kysely.connection().execute(async () => work());
  }
}
