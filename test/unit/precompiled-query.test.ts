/** PrecompiledQuery: a Kysely query compiled once, its values filled in per execution, for either dialect. */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PrecompiledQuery } from '../../server/store/precompiled-query.js';
import type { Database } from '../../server/store/schema.js';

const compileOnly = (dialect: 'sqlite' | 'postgres') =>
  new Kysely<Database>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (dialect === 'sqlite' ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });

describe('PrecompiledQuery', () => {
  it('keeps the SQL Kysely compiles and puts each value where its marker was, constants where they were', () => {
    for (const [dialect, placeholder] of [['sqlite', '?'], ['postgres', '$3']] as const) {
      const db = compileOnly(dialect);
      const query = new PrecompiledQuery<{ companyId: string; now: number }>((param) =>
        db.selectFrom('integrations').select('id').where('company_id', '=', param('companyId')).where('state', '!=', 'disabled').where('lease_until', '<', param('now')),
      );
      const direct = db.selectFrom('integrations').select('id').where('company_id', '=', 'ACME').where('state', '!=', 'disabled').where('lease_until', '<', 42).compile();
      expect(query.sql).toBe(direct.sql);
      expect(query.sql).toContain(placeholder);
      expect(query.parameters({ companyId: 'ACME', now: 42 })).toEqual(direct.parameters);
      expect(query.parameters({ companyId: 'OTHER', now: 7 })).toEqual(['OTHER', 'disabled', 7]);
    }
  });

  it('a value may be null, but a missing one is an error rather than an unbound parameter', () => {
    const db = compileOnly('sqlite');
    const query = new PrecompiledQuery<{ scope: string | null }>((param) => db.selectFrom('issued_tokens').select('token_hash').where('scope', 'is not', param('scope')));
    expect(query.parameters({ scope: null })).toEqual([null]);
    expect(() => query.parameters({} as { scope: string | null })).toThrow(/no value for scope/);
  });

  it('refuses a query that put a marker into its SQL text instead of a parameter', () => {
    const db = compileOnly('sqlite');
    expect(() => new PrecompiledQuery<{ id: string }>((param) => db.selectFrom('integrations').select('id').where(sql.raw<boolean>(`id = '${param('id')}'`)))).toThrow(/inlined a parameter/);
  });
});
