/**
 * Group commit for SQLite: the write statements handed over during one turn of the event loop run
 * in one transaction, and each caller hears back only after that transaction's COMMIT.
 *
 * Why: a commit writes every page it touched to the WAL (and at synchronous=FULL, fsyncs it);
 * concurrent token requests touch the same few b-tree pages, so one commit for many rows does that
 * durable work once instead of once per row. Durability per request is unchanged: nobody is
 * answered before the transaction holding their row is committed, at the database's synchronous
 * level (which this does not touch).
 *
 * Failures stay per statement: a statement's own error (a constraint) is undone by SQLite alone,
 * reported to its caller, and the others go on. An error that ends the transaction (I/O, a lock
 * timeout) or a failed COMMIT fails the whole batch: nothing in it was committed.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Bounds the time the event loop spends in one transaction. */
const MAX_BATCH = 256;

interface PendingWrite {
  /** One statement (its rows), or a unit of several run in a savepoint (`runUnit`). */
  work: () => unknown;
  unit: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { value: unknown } | { error: unknown };

export class SqliteGroupCommit {
  #queue: PendingWrite[] = [];
  #scheduled = false;
  readonly #waiting = new Set<Promise<void>>();
  readonly #begin: BetterSqlite3.Statement;
  readonly #commit: BetterSqlite3.Statement;
  readonly #rollback: BetterSqlite3.Statement;
  readonly #savepoint: BetterSqlite3.Statement;
  readonly #release: BetterSqlite3.Statement;
  readonly #rollbackTo: BetterSqlite3.Statement;

  /**
   * `whenConnectionFree` runs its work once no Kysely transaction holds the connection; batches
   * use it only when one is open (see sqlite-statements.ts).
   */
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly whenConnectionFree: (work: () => void) => Promise<void>,
  ) {
    // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout, as a single INSERT would).
    this.#begin = sqlite.prepare('BEGIN IMMEDIATE');
    this.#commit = sqlite.prepare('COMMIT');
    this.#rollback = sqlite.prepare('ROLLBACK');
    this.#savepoint = sqlite.prepare('SAVEPOINT group_commit_unit');
    this.#release = sqlite.prepare('RELEASE group_commit_unit');
    this.#rollbackTo = sqlite.prepare('ROLLBACK TO group_commit_unit');
  }

  run(statement: BetterSqlite3.Statement, parameters: unknown[]): Promise<unknown[]> {
    return this.#enqueue(() => (statement.reader ? statement.all(...parameters) : (statement.run(...parameters), [])), false) as Promise<unknown[]>;
  }

  /**
   * Several statements as one unit inside the batch's transaction: `work` runs them synchronously
   * in a savepoint; if it throws, everything it did is rolled back (the rest of the batch goes on)
   * and its caller gets the error. Resolves with what `work` returned, once committed.
   */
  runUnit<T>(work: () => T): Promise<T> {
    return this.#enqueue(work, true) as Promise<T>;
  }

  #enqueue(work: () => unknown, unit: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ work, unit, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // After the I/O phase: every request whose body arrived in this turn has queued its write.
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Settles once every write handed over so far is committed or failed. */
  async drain(): Promise<void> {
    this.#flush();
    await Promise.all(this.#waiting);
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      if (!this.sqlite.inTransaction) {
        this.#runBatch(batch);
        continue;
      }
      const waiting = this.whenConnectionFree(() => this.#runBatch(batch)).catch((error: unknown) => {
        for (const write of batch) write.reject(error);
      });
      this.#waiting.add(waiting);
      void waiting.finally(() => this.#waiting.delete(waiting));
    }
  }

  #runBatch(batch: PendingWrite[]): void {
    const outcomes = this.#execute(batch);
    if (outcomes instanceof Error) {
      for (const write of batch) write.reject(outcomes);
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if ('value' in outcome) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  /** Runs the batch in one transaction: each statement's outcome once committed, or the error that sank it all. */
  #execute(batch: PendingWrite[]): Outcome[] | Error {
    try {
      this.#begin.run();
    } catch (error) {
      return asError(error);
    }
    const outcomes: Outcome[] = [];
    for (const write of batch) {
      if (write.unit) {
        const outcome = this.#unit(write.work);
        if (outcome instanceof Error) {
          // The batch cannot go on: undo what is left of it, so the connection is free again.
          this.#rollbackQuietly();
          return outcome;
        }
        outcomes.push(outcome);
        continue;
      }
      try {
        outcomes.push({ value: write.work() });
      } catch (error) {
        // SQLite undid this statement alone, unless the error ended the transaction (and every statement before it).
        if (!this.sqlite.inTransaction) return asError(error);
        outcomes.push({ error });
      }
    }
    try {
      this.#commit.run();
    } catch (error) {
      this.#rollbackQuietly(); // the COMMIT's error is the one to report
      return asError(error);
    }
    return outcomes;
  }

  #rollbackQuietly(): void {
    if (!this.sqlite.inTransaction) return;
    try {
      this.#rollback.run();
    } catch {
      // the error that got us here is the one to report
    }
  }

  /** A unit in its savepoint: its value, its own error (its statements undone), or the error that ended the whole transaction. */
  #unit(work: () => unknown): Outcome | Error {
    try {
      this.#savepoint.run();
    } catch (error) {
      return asError(error);
    }
    try {
      const value = work();
      this.#release.run();
      return { value };
    } catch (error) {
      if (!this.sqlite.inTransaction) return asError(error);
      try {
        this.#rollbackTo.run();
        this.#release.run();
      } catch (undo) {
        return asError(undo);
      }
      return { error };
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
