/**
 * Precompiled statements on PostgreSQL as named prepared statements: each pooled connection parses
 * and plans a statement once, then only binds values (pg keeps the per-connection registry).
 *
 * No batching of writes here: an autocommitted INSERT is committed when PostgreSQL answers, and
 * PostgreSQL already lets concurrent commits share one WAL flush.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrecompiledQuery } from './precompiled-query.js';
import type { StatementRunner, Step } from './statement-runner.js';

export class PostgresStatements implements StatementRunner {
  readonly #names = new WeakMap<object, string>();

  constructor(private readonly pool: pg.Pool) {}

  async first<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row | undefined> {
    return (await this.#run<Row, Values>(query, values))[0];
  }

  commit<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]> {
    return this.#run<Row, Values>(query, values);
  }

  all<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]> {
    return this.#run<Row, Values>(query, values);
  }

  /** A transaction on one pooled connection; a connection whose ROLLBACK failed is discarded, not reused. */
  async commitGuarded(guard: Step, then: readonly Step[]): Promise<boolean> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const first = await client.query(this.#config(guard));
        if (first.rowCount !== 1) {
          await client.query('ROLLBACK');
          return false;
        }
        for (const item of then) await client.query(this.#config(item));
        await client.query('COMMIT');
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  /** Other instances write to the same database without telling this one: no read cache may trust it. */
  changeVersion(): undefined {
    return undefined;
  }

  async drain(): Promise<void> {}

  #config(item: Step): pg.QueryConfig {
    return { name: this.#name(item.query), text: item.query.sql, values: item.query.parameters(item.values) };
  }

  async #run<Row, Values extends Record<string, unknown>>(query: PrecompiledQuery<Values>, values: Values): Promise<Row[]> {
    const result = await this.pool.query({ name: this.#name(query), text: query.sql, values: query.parameters(values) });
    return result.rows as Row[];
  }

  /** A name per SQL text: the same text always gets the same name, so a connection never sees one name for two texts. */
  #name(query: { readonly sql: string }): string {
    let name = this.#names.get(query);
    if (!name) {
      name = 'ats_' + createHash('sha256').update(query.sql).digest('hex').slice(0, 24);
      this.#names.set(query, name);
    }
    return name;
  }
}
