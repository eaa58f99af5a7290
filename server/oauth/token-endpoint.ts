/**
 * Our OAuth 2.0 token endpoint (SmartRecruiters' `oauthTokenUrl`, seed 001 §1): the client
 * credentials grant only (RFC 6749 §4.4), for the customer-level credentials we issued during the
 * consent exchange. No Koa in here: the route hands over the raw request parts.
 *
 * - §3.2 / T17: form body only, no parameter in the query string, no parameter twice.
 * - §2.3.1 / T17: one client authentication mechanism (see client-authentication.ts).
 * - T18: authentication and issuance are one statement (TokenStore.issueForClient): the presented
 *   secret's HMAC is matched against the client's stored HMACs and the token inserted only on a
 *   match. An unknown client, a wrong secret and a disabled integration cost the same work (one
 *   HMAC per key version, one statement, one throttle check and update keyed by the presented id
 *   whether it exists or not) and get the same answer. Matching HMACs by equality is safe from
 *   timing attacks: without the key an attacker cannot steer a guess's HMAC. What does vary: the
 *   database's index lookup (≤ 2 µs in-process) and the throttle, whose cost grows with the id's
 *   recent failures; an id probed many times is slower than a fresh one, existing or not (issue
 *   13 finding 11 measured exactly that: a reused known id against fresh unknown ids).
 * - T19/T22: access tokens carry 256 random bits, are stored only as a hash (led by their issuance
 *   time, access-tokens.ts) with their expiry, bound to one integration; a disabled integration
 *   cannot authenticate.
 * - T20: failed authentications are counted per client id; past the limit further *failures*
 *   answer 429 + Retry-After. A correct secret is checked first and always succeeds, so the
 *   legitimate client is never locked out.
 * - T33: a pending integration's secret (SmartRecruiters may call before our POST returned) and a
 *   rotation's new secret are accepted; the first use of the new secret completes the rotation.
 */
import { AtsServerError } from '../errors.js';
import type { SecretHasher } from '../crypto/secrets.js';
import type { FailureThrottle } from '../security/failure-throttle.js';
import type { Store } from '../store/store.js';
import { mintAccessToken } from './access-tokens.js';
import { readClientCredentials } from './client-authentication.js';
import { invalidClient, invalidRequest, invalidScope, unsupportedGrantType } from './oauth-errors.js';

export interface TokenRequestParts {
  /** True when the request carried a query string. */
  hasQuery: boolean;
  /** True when Content-Type is application/x-www-form-urlencoded. */
  isForm: boolean;
  authorization: string | undefined;
  body: string;
}

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

export interface TokenEndpointSettings {
  store: Store;
  hasher: SecretHasher;
  throttle: FailureThrottle;
  /** `realm` of the Basic challenge: our public origin. */
  realm: string;
  lifetimeSeconds: number;
  /** Scopes a client may request; none by default. */
  allowedScopes: readonly string[];
  maxFailuresPerClient: number;
  /** How long a replaced secret keeps working after a rotation completes. */
  previousSecretGraceMs: number;
  now: () => number;
  onFailure?: (clientId: string, throttled: boolean) => void;
}

const KNOWN_PARAMETERS = new Set(['grant_type', 'client_id', 'client_secret', 'scope']);
/** RFC 6749 §3.3 scope-token, space-delimited. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;
const PURGE_INTERVAL_MS = 60_000;

export class TokenEndpoint {
  readonly #settings: TokenEndpointSettings;
  #lastPurge = 0;

  constructor(settings: TokenEndpointSettings) {
    this.#settings = settings;
  }

  async issue(request: TokenRequestParts): Promise<TokenResponse> {
    if (request.hasQuery) throw invalidRequest('Parameters must be sent in the request body, not in the query string.');
    if (!request.isForm) throw invalidRequest('The request body must be application/x-www-form-urlencoded.');
    const form = new URLSearchParams(request.body);
    for (const name of new Set(form.keys())) {
      if (form.getAll(name).length > 1) {
        throw invalidRequest(KNOWN_PARAMETERS.has(name) ? `Parameter ${name} must not be repeated.` : 'Request parameters must not be repeated.');
      }
    }
    const grantType = form.get('grant_type');
    if (!grantType) throw invalidRequest('Missing required parameter: grant_type.');
    if (grantType !== 'client_credentials') throw unsupportedGrantType();

    const credentials = readClientCredentials(request.authorization, form);
    if (!credentials) throw invalidClient(this.#settings.realm, false);
    const scope = form.get('scope');
    if (scope !== null) this.#checkScope(scope);
    const { store, hasher, lifetimeSeconds, now } = this.#settings;
    const issuedAt = now();
    const secretHashes = hasher.candidateHashes(credentials.clientSecret);
    const { token, key } = mintAccessToken(hasher, issuedAt);
    const issued = await store.tokens.issueForClient(
      {
        clientId: credentials.clientId,
        secretHashes,
        tokenHash: key,
        scope,
        expiresAt: issuedAt + lifetimeSeconds * 1000,
      },
      issuedAt,
    );
    if (!issued) throw this.#failure(credentials.clientId, credentials.method === 'client_secret_basic');
    if (issued.via === 'rotation') await this.#completeRotation(credentials.clientId);
    if (issuedAt - this.#lastPurge > PURGE_INTERVAL_MS) {
      this.#lastPurge = issuedAt;
      await store.tokens.deleteExpired(issuedAt);
    }
    return { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, ...(scope !== null ? { scope } : {}) };
  }

  /** SmartRecruiters uses the new secret: proof it stored it (T33), so the rotation completes. */
  async #completeRotation(clientId: string): Promise<void> {
    const { store, now, previousSecretGraceMs } = this.#settings;
    const row = await store.integrations.findByClientId(clientId);
    if (row?.rotation_secret_hash) await store.integrations.completeRotation(row.id, row.rotation_secret_hash, now() + previousSecretGraceMs, now());
  }

  #failure(clientId: string, usedBasic: boolean): AtsServerError {
    const { throttle, maxFailuresPerClient, realm } = this.#settings;
    const key = `client:${clientId.slice(0, 200)}`;
    const wait = throttle.retryAfterSeconds(key, maxFailuresPerClient);
    throttle.recordFailure(key, maxFailuresPerClient);
    this.#settings.onFailure?.(clientId, wait > 0);
    if (wait === 0) return invalidClient(realm, usedBasic);
    return new AtsServerError(429, 'invalid_client', 'Too many failed client authentications. Retry later.', {
      headers: { 'retry-after': String(wait) },
    });
  }

  /** RFC 6749 §3.3 scope grammar and the configured allow-list (which is no secret). */
  #checkScope(scope: string): void {
    if (!SCOPE.test(scope)) throw invalidScope('The requested scope is malformed.');
    const allowed = this.#settings.allowedScopes;
    if (!scope.split(' ').every((entry) => allowed.includes(entry))) throw invalidScope('The requested scope is not allowed.');
  }

}
