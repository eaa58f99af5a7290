/**
 * RFC 6750 bearer authentication for the routes SmartRecruiters calls. The integration is
 * identified by the access token alone, never by anything in the body (T22); tokens are looked up
 * by their hash. Errors follow §3.1: no credentials → 401 with a bare challenge; a malformed
 * header or a token in the query string (§2.3 is not supported) → 400 invalid_request; an unknown,
 * expired or revoked token → 401 invalid_token.
 */
import type { SecretHasher } from '../crypto/secrets.js';
import type { IssuedToken, Store, TokenIntegration } from '../store/store.js';
import { accessTokenKey } from './access-tokens.js';
import { bearerError } from './oauth-errors.js';

export interface BearerSettings {
  store: Store;
  hasher: SecretHasher;
  realm: string;
  now: () => number;
}

export interface BearerIdentity {
  integration: TokenIntegration;
  token: IssuedToken;
}

/** RFC 6750 §2.1 b64token. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_TOKEN_LENGTH = 512;
/** Lookup keys of tokens recently found valid (about 150 bytes each). */
const KNOWN_KEYS_MAX = 4096;

export class BearerAuthenticator {
  /**
   * Token → its lookup key, for tokens the database has confirmed. SmartRecruiters presents the same
   * token for its whole hour, and the HMAC was a third of the bearer check's CPU. This saves only
   * the HMAC: every request still asks the store, which answers from the database or, for a token
   * it found valid, from memory only while the database is provably unchanged (kysely-tokens.ts),
   * so a disable or an expiry takes effect at once, on every instance. Only tokens found valid
   * enter, so unknown tokens cannot fill the map and always cost the same work. Oldest entries leave
   * first when it is full.
   */
  readonly #knownKeys = new Map<string, string>();

  constructor(private readonly settings: BearerSettings) {}

  /**
   * `allowDisabled`: the callback route acknowledges a repeated INTEGRATION_DISABLED from a token
   * issued before the disable; every other route refuses such a token.
   */
  async authenticate(authorization: string | undefined, tokenInQuery: boolean, allowDisabled = false): Promise<BearerIdentity> {
    const { realm, store, hasher, now } = this.settings;
    if (tokenInQuery) throw bearerError(realm, 400, 'invalid_request', 'Send the access token in the Authorization header.');
    if (!authorization || !/^bearer(\s|$)/i.test(authorization)) throw bearerError(realm, 401);
    const match = BEARER.exec(authorization);
    if (!match || match[1]!.length > MAX_TOKEN_LENGTH) throw bearerError(realm, 400, 'invalid_request', 'The Authorization header is malformed.');
    const token = match[1]!;
    const known = this.#knownKeys.get(token);
    const key = known ?? accessTokenKey(hasher, token);
    const found = await store.tokens.find(key, now());
    if (!found) throw bearerError(realm, 401, 'invalid_token', 'The access token is invalid or has expired.');
    if (known === undefined) this.#remember(token, key);
    if (found.integration.state === 'disabled' && !allowDisabled) {
      throw bearerError(realm, 401, 'invalid_token', 'The access token was revoked.');
    }
    return found;
  }

  #remember(token: string, key: string): void {
    if (this.#knownKeys.size >= KNOWN_KEYS_MAX) this.#knownKeys.delete(this.#knownKeys.keys().next().value!);
    this.#knownKeys.set(token, key);
  }
}
