/**
 * Who is calling the partner API: `Authorization: Bearer <API key>` (RFC 6750 §2.1) and nothing
 * else. A key in the query string is refused (§2.3 is not supported: URLs end up in logs and
 * proxies), whatever else the request carries. Errors carry the §3 challenge:
 *
 * - no Authorization header → 401 with a bare `Bearer realm=…` (§3.1: no error code);
 * - a malformed header, or a key in the query → 400 `invalid_request`;
 * - an unknown, malformed or revoked key → 401 `invalid_token`;
 * - a live key without the operation's scope → 403 `insufficient_scope` with `scope=` (§3).
 *
 * Failed authentications are counted per client address (the key itself identifies nobody when it
 * is wrong) with the token endpoint's throttle and limits; past the limit, further *failures* get
 * 429 + Retry-After. A valid key is checked first and always passes, so a flood of bad keys from
 * one address cannot lock a good key out elsewhere, and a good key is never slowed (T20).
 */
import type { ApiKeys, ApiKeySummary } from '../api-keys/api-keys.js';
import type { ApiKeyScope } from '../store/schema.js';
import type { FailureThrottle } from '../security/failure-throttle.js';
import { ProblemError } from './problem.js';

export interface ApiKeyAuthSettings {
  apiKeys: ApiKeys;
  throttle: FailureThrottle;
  maxFailures: number;
  realm: string;
  onFailure?: (address: string, throttled: boolean) => void;
}

/** RFC 6750 §2.1 b64token. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_KEY_LENGTH = 256;
/** Query parameter names a key could travel in (§2.3 uses access_token). */
const KEY_PARAMETERS = ['access_token', 'api_key', 'apikey', 'key', 'token'];

export interface PresentedCredentials {
  authorization: string | undefined;
  query: Record<string, unknown>;
  clientAddress: string;
}

export class ApiKeyAuthenticator {
  constructor(private readonly settings: ApiKeyAuthSettings) {}

  async authenticate(request: PresentedCredentials, scopes: readonly ApiKeyScope[]): Promise<ApiKeySummary> {
    const { realm } = this.settings;
    if (KEY_PARAMETERS.some((name) => name in request.query)) {
      throw this.#challenge(400, 'invalid_request', 'Send the API key in the Authorization header, never in the URL.', 'invalid-request');
    }
    const authorization = request.authorization;
    if (!authorization || !/^bearer(\s|$)/i.test(authorization)) {
      throw new ProblemError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".', { headers: { 'www-authenticate': `Bearer realm="${realm}"` } });
    }
    const match = BEARER.exec(authorization);
    if (!match || match[1]!.length > MAX_KEY_LENGTH) throw this.#challenge(400, 'invalid_request', 'The Authorization header is malformed.', 'invalid-request');
    const key = await this.settings.apiKeys.authenticate(match[1]!);
    if (!key) throw this.#failure(request.clientAddress);
    const missing = scopes.filter((scope) => !key.scopes.includes(scope));
    if (missing.length > 0) {
      throw new ProblemError('insufficient-scope', `This operation needs the scope ${scopes.join(' and ')}; the key has ${key.scopes.join(', ')}.`, {
        headers: { 'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", error_description="The key lacks a required scope.", scope="${scopes.join(' ')}"` },
      });
    }
    return key;
  }

  #failure(address: string): ProblemError {
    const { throttle, maxFailures } = this.settings;
    const throttleKey = `api-key:${address}`;
    const wait = throttle.retryAfterSeconds(throttleKey, maxFailures);
    throttle.recordFailure(throttleKey, maxFailures);
    this.settings.onFailure?.(address, wait > 0);
    if (wait > 0) return new ProblemError('too-many-requests', 'Too many failed authentications from this address. Retry later.', { headers: { 'retry-after': String(wait) } });
    return this.#challenge(401, 'invalid_token', 'The API key is invalid or revoked.', 'invalid-key');
  }

  #challenge(status: 400 | 401, error: string, description: string, code: 'invalid-request' | 'invalid-key'): ProblemError {
    return new ProblemError(code, description, {
      status,
      headers: { 'www-authenticate': `Bearer realm="${this.settings.realm}", error="${error}", error_description="${description}"` },
    });
  }
}
