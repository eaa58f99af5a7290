/**
 * The SQLite statement runner behind the token endpoint and the bearer check: group commit (writes
 * of one event-loop turn in one transaction, each caller answered only after its COMMIT, errors
 * kept per statement) and its sharing of the one connection with Kysely's transactions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PrecompiledQuery } from '../../server/store/precompiled-query.js';
import { SqliteChangeWatch } from '../../server/store/sqlite-change-watch.js';
import { SqliteStatements } from '../../server/store/sqlite-statements.js';
import { step } from '../../server/store/statement-runner.js';

interface TestDatabase {
  rows: { id: string };
}

const opened: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const handle of opened.splice(0)) handle.close();
});

function open() {
  const path = join(mkdtempSync(join(tmpdir(), 'ats-sqlite-statements-')), 'db.sqlite');
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table rows (id text primary key)');
  // Counts the transactions the runner opens (it prepares its BEGIN through this handle).
  let begins = 0;
  const counting = new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') {
        return (text: string) => {
          const statement = target.prepare(text);
          if (text !== 'BEGIN IMMEDIATE') return statement;
          return new Proxy(statement, { get: (s, p) => (p === 'run' ? () => (begins++, s.run()) : Reflect.get(s, p, s)) });
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const db = new Kysely<TestDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const statements = new SqliteStatements(counting, db as never, new SqliteChangeWatch(sqlite));
  // A second connection: what any other reader (or a restarted process) sees as committed.
  const reader = new BetterSqlite3(path);
  opened.push(reader, sqlite);
  const insert = new PrecompiledQuery<{ id: string }>((param) => db.insertInto('rows').values({ id: param('id') }).returning('id'));
  const select = new PrecompiledQuery<{ id: string }>((param) => db.selectFrom('rows').select('id').where('id', '=', param('id')));
  const committed = (id: string) => reader.prepare('select id from rows where id = ?').get(id) !== undefined;
  const insertOnce = new PrecompiledQuery<{ id: string }>((param) => db.insertInto('rows').values({ id: param('id') }).onConflict((oc) => oc.column('id').doNothing()));
  return { db, statements, insert, insertOnce, select, committed, begins: () => begins };
}

describe('SqliteStatements', () => {
  it('commits the writes of one turn in one transaction and answers each caller only once its row is committed', async () => {
    const { statements, insert, committed, begins } = open();
    const ids = Array.from({ length: 50 }, (_, index) => `row-${index}`);
    const seenCommitted = await Promise.all(ids.map((id) => statements.commit<{ id: string }, { id: string }>(insert, { id }).then((rows) => rows[0]?.id === id && committed(id))));
    expect(seenCommitted.every(Boolean)).toBe(true);
    expect(begins()).toBe(1);
    // A later turn is a later transaction.
    await statements.commit(insert, { id: 'later' });
    expect(begins()).toBe(2);
  });

  it("a statement's own error fails only its caller; the rest of the batch is committed", async () => {
    const { statements, insert, committed } = open();
    const outcomes = await Promise.allSettled(['a', 'a', 'b'].map((id) => statements.commit(insert, { id })));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed('a') && committed('b')).toBe(true);
  });

  it('while a Kysely transaction is open: reads do not see its changes, writes wait for it and are not part of it', async () => {
    const { db, statements, insert, select, committed } = open();
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    const transaction = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('rows').values({ id: 'uncommitted' }).execute();
        began();
        await inside;
        throw new Error('rolled back');
      })
      .catch(() => 'rolled back');
    await begun;
    const read = statements.first(select, { id: 'uncommitted' });
    const write = statements.commit(insert, { id: 'outside' });
    let settledEarly = false;
    void write.then(() => (settledEarly = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settledEarly).toBe(false);
    release();
    expect(await transaction).toBe('rolled back');
    expect(await read).toBeUndefined();
    await write;
    expect(committed('outside')).toBe(true);
    expect(committed('uncommitted')).toBe(false);
  });

  it('commitGuarded: the rest runs only when the guard changed a row; an error undoes the whole unit, not the batch', async () => {
    const { statements, insert, insertOnce, committed, begins } = open();
    await statements.commit(insert, { id: 'taken' });
    const before = begins();
    const outcomes = await Promise.allSettled([
      statements.commitGuarded(step(insertOnce, { id: 'g1' }), [step(insertOnce, { id: 'g1-history' })]),
      // The guard changes nothing (the row exists): nothing else runs.
      statements.commitGuarded(step(insertOnce, { id: 'taken' }), [step(insertOnce, { id: 'never' })]),
      // The second statement fails: the guard's row goes with it.
      statements.commitGuarded(step(insertOnce, { id: 'undone' }), [step(insert, { id: 'taken' })]),
      statements.commit(insert, { id: 'single' }),
    ]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value !== undefined && (Array.isArray(outcome.value) || outcome.value) : 'rejected'))).toEqual([true, false, 'rejected', true]);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(['g1', 'g1-history', 'single'].map(committed)).toEqual([true, true, true]);
    expect(['never', 'undone'].map(committed)).toEqual([false, false]);
    expect(begins() - before).toBe(1); // one transaction for all four
  });

  it('drain commits the writes already handed over (closing the store does it first)', async () => {
    const { statements, insert, committed } = open();
    const pending = statements.commit(insert, { id: 'queued' });
    await statements.drain();
    expect(committed('queued')).toBe(true);
    await pending;
  });
});
