/**
 * Tells whether a SQLite database may have changed since an earlier look, for read caches that must
 * answer exactly what the database would (kysely-tokens.ts: the bearer check).
 *
 * Two sources of change: this process's connection, whose writes are counted as they run (before
 * they commit, so a cache can only be more cautious than needed; a rollback counts too), and every
 * other connection or process on the file, which SQLite reports through `PRAGMA data_version`: its
 * value on this connection changes whenever another one committed meanwhile
 * (https://sqlite.org/pragma.html#pragma_data_version). Reading it costs a statement step, far
 * less than the lookups it lets a cache skip.
 */
import type BetterSqlite3 from 'better-sqlite3';

export class SqliteChangeWatch {
  #version = 0;
  #dataVersion: number;
  readonly #readDataVersion: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.#readDataVersion = sqlite.prepare('PRAGMA data_version').pluck();
    this.#dataVersion = this.#readDataVersion.get() as number;
  }

  /** A write on this process's connection is about to run. */
  noteWrite(): void {
    this.#version += 1;
  }

  /** The same number as at an earlier call only if nothing may have changed the database in between. */
  version(): number {
    const dataVersion = this.#readDataVersion.get() as number;
    if (dataVersion !== this.#dataVersion) {
      this.#dataVersion = dataVersion;
      this.#version += 1;
    }
    return this.#version;
  }

  /**
   * A prepared statement that counts its runs as writes unless SQLite says it cannot change the
   * database (`readonly`; an INSERT … RETURNING is a reader but not read-only, so it counts).
   */
  watched(statement: BetterSqlite3.Statement): BetterSqlite3.Statement {
    if (statement.readonly) return statement;
    const counted = (run: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
      this.noteWrite();
      return run.apply(statement, args);
    };
    // Made once per statement (a write's statement is prepared once and run many times).
    const runners: Record<PropertyKey, unknown> = Object.assign(Object.create(null) as object, {
      run: counted(statement.run),
      all: counted(statement.all),
      get: counted(statement.get),
      iterate: counted(statement.iterate),
    });
    const watched: BetterSqlite3.Statement = new Proxy(statement, {
      get: (target, property) => {
        if (Object.hasOwn(runners, property)) return runners[property];
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        // Chaining methods (bind, pluck, raw, expand, safeIntegers) return the statement: hand back
        // the watched one, so a chained run is still counted.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? watched : result;
        };
      },
    });
    return watched;
  }
}
