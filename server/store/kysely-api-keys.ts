/**
 * API keys over Kysely. Every lookup reads the database: a revocation is seen by every instance on
 * its next request (issue 14 item 1), there is no cache to outlive it.
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { Database } from './schema.js';
import type { StatementRunner } from './statement-runner.js';
import type { ApiKeyRow, ApiKeyStore } from './store.js';
import { updatedOne } from './updated-one.js';

const BIGINT_COLUMNS = ['created_at', 'last_used_at', 'revoked_at'] as const;
const normalize = (row: ApiKeyRow): ApiKeyRow => asNumbers(row, BIGINT_COLUMNS);

export class KyselyApiKeys implements ApiKeyStore {
  /** The lookup on every partner API request, by number of candidate hashes (the key versions held: one or two), compiled once. */
  readonly #findByHash = new Map<number, PrecompiledQuery<Record<string, string>>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly statements: StatementRunner,
  ) {}

  async insert(row: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at'>): Promise<void> {
    await this.db.insertInto('api_keys').values({ ...row, last_used_at: null, revoked_at: null }).execute();
  }

  async findByHash(hashes: string[]): Promise<ApiKeyRow | undefined> {
    if (hashes.length === 0) return undefined;
    let query = this.#findByHash.get(hashes.length);
    if (!query) {
      const names = hashes.map((_, index) => `hash${index}`);
      query = new PrecompiledQuery<Record<string, string>>((param) => this.db.selectFrom('api_keys').selectAll().where('key_hash', 'in', names.map((name) => param(name))));
      this.#findByHash.set(hashes.length, query);
    }
    const values: Record<string, string> = {};
    hashes.forEach((hash, index) => (values[`hash${index}`] = hash));
    const row = await this.statements.first<ApiKeyRow, Record<string, string>>(query, values);
    return row && normalize(row);
  }

  async find(id: string): Promise<ApiKeyRow | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && normalize(row);
  }

  async list(): Promise<ApiKeyRow[]> {
    return (await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute()).map(normalize);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return updatedOne(await this.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst());
  }

  async touch(id: string, now: number, notAfter: number): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', notAfter)]))
      .execute();
  }
}
