/**
 * `kit.apiKeys`: the keys the partner's backend uses for the partner API (issue 14 item 1).
 *
 * - A key is shown once, by `create`; only its HMAC is stored (SecretHasher, T19), looked up by
 *   equality under every held key version (like our issued client secrets and tokens).
 * - `authenticate` reads the database on every call: a revoke on one instance is effective on
 *   every instance at their next request. No cache may outlive a revocation.
 * - `last_used_at` is written at most once a minute per key (a conditional update), so the read
 *   path does not become a write per request.
 */
import type { SecretHasher } from '../crypto/secrets.js';
import { randomId } from '../crypto/secrets.js';
import type { ApiKeyScope } from '../store/schema.js';
import type { ApiKeyRow, Store } from '../store/store.js';
import { generateApiKey, isWellFormedApiKey } from './key-format.js';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write', 'proxy', 'admin'];
/** How often `last_used_at` may be written per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_NAME_LENGTH = 100;
const TENANT_ID = /^[\x21-\x7e]{1,200}$/;

/** A key as listed: everything but the key itself, which is never stored. */
export interface ApiKeySummary {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** Null: every tenant. */
  tenantId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The key: shown this once, never retrievable again. */
  key: string;
}

export interface NewApiKey {
  name?: string;
  scopes: readonly string[];
  tenantId?: string | null;
}

export interface ApiKeysApi {
  create(request: NewApiKey): Promise<CreatedApiKey>;
  list(): Promise<ApiKeySummary[]>;
  /** False when the key is unknown or already revoked. */
  revoke(id: string): Promise<boolean>;
}

/** Thrown by `create` for a request it refuses (the CLI turns it into a usage error). */
export class ApiKeyRequestError extends Error {}

export class ApiKeys implements ApiKeysApi {
  constructor(
    private readonly store: Store,
    private readonly hasher: SecretHasher,
    private readonly now: () => number,
  ) {}

  async create(request: NewApiKey): Promise<CreatedApiKey> {
    const scopes = checkScopes(request.scopes);
    const name = (request.name ?? '').trim() || 'unnamed';
    if (name.length > MAX_NAME_LENGTH || /[\x00-\x1f\x7f]/.test(name)) throw new ApiKeyRequestError(`the name must be 1-${MAX_NAME_LENGTH} printable characters`);
    const tenantId = request.tenantId ?? null;
    if (tenantId !== null && !TENANT_ID.test(tenantId)) throw new ApiKeyRequestError('the tenant id must be 1-200 printable characters without spaces');
    const key = generateApiKey();
    const row = { id: `key_${randomId(12)}`, name, key_hash: this.hasher.hash(key), scopes: scopes.join(' '), tenant_id: tenantId, created_at: this.now() };
    await this.store.apiKeys.insert(row);
    await this.store.audit.append({ event: 'api_key.create', outcome: 'success', actor: 'admin', detail: { keyId: row.id, scopes: row.scopes, tenantId } }, this.now());
    return { ...summarize({ ...row, last_used_at: null, revoked_at: null }), key };
  }

  async list(): Promise<ApiKeySummary[]> {
    return (await this.store.apiKeys.list()).map(summarize);
  }

  async revoke(id: string): Promise<boolean> {
    const revoked = await this.store.apiKeys.revoke(id, this.now());
    await this.store.audit.append({ event: 'api_key.revoke', outcome: revoked ? 'success' : 'info', actor: 'admin', detail: { keyId: id.slice(0, 64), repeated: !revoked } }, this.now());
    return revoked;
  }

  /** The key's record when `presented` is a live key; undefined for anything else (malformed, unknown, revoked). */
  async authenticate(presented: string): Promise<ApiKeySummary | undefined> {
    // The checksum rejects typos and look-alikes without a database lookup.
    if (!isWellFormedApiKey(presented)) return undefined;
    const row = await this.store.apiKeys.findByHash(this.hasher.candidateHashes(presented));
    if (!row || row.revoked_at !== null) return undefined;
    const now = this.now();
    if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_RESOLUTION_MS) {
      await this.store.apiKeys.touch(row.id, now, now - LAST_USED_RESOLUTION_MS);
      row.last_used_at = now;
    }
    return summarize(row);
  }
}

function checkScopes(requested: readonly string[]): ApiKeyScope[] {
  if (requested.length === 0) throw new ApiKeyRequestError(`name at least one scope (${API_KEY_SCOPES.join(', ')})`);
  for (const scope of requested) {
    if (!API_KEY_SCOPES.includes(scope as ApiKeyScope)) throw new ApiKeyRequestError(`unknown scope "${scope.slice(0, 40)}" (known: ${API_KEY_SCOPES.join(', ')})`);
  }
  // Canonical order, no duplicates.
  return API_KEY_SCOPES.filter((scope) => requested.includes(scope));
}

function summarize(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(' ') as ApiKeyScope[],
    tenantId: row.tenant_id,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}
