/**
 * Our OAuth 2.0 token endpoint (SmartRecruiters' `oauthTokenUrl`, seed 001 §1): the client
 * credentials grant only (RFC 6749 §4.4), for the customer-level credentials we issued during the
 * consent exchange. No Koa in here: the route hands over the raw request parts.
 *
 * - §3.2 / T17: form body only, no parameter in the query string, no parameter twice.
 * - §2.3.1 / T17: one client authentication mechanism (see client-authentication.ts).
 * - T18: an unknown client and a wrong secret cost the same work (three constant-time HMAC
 *   comparisons, against dummies where a row or a slot is missing) and get the same answer.
 * - T19/T22: access tokens are 256-bit, opaque, stored only as a hash with their expiry, bound to
 *   one integration; a disabled integration cannot authenticate.
 * - T20: failed authentications are counted per client id; past the limit further *failures*
 *   answer 429 + Retry-After. A correct secret is checked first and always succeeds, so the
 *   legitimate client is never locked out.
 * - T33: a pending integration's secret (SmartRecruiters may call before our POST returned) and a
 *   rotation's new secret are accepted; the first use of the new secret completes the rotation.
 */
import { AtsServerError } from '../errors.js';
import { SecretHasher, randomSecret } from '../crypto/secrets.js';
import type { FailureThrottle } from '../security/failure-throttle.js';
import type { IntegrationRow, Store } from '../store/store.js';
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
  readonly #dummyHash: string;
  #lastPurge = 0;

  constructor(settings: TokenEndpointSettings) {
    this.#settings = settings;
    this.#dummyHash = settings.hasher.hash(randomSecret());
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
    const usedBasic = credentials?.method === 'client_secret_basic';
    if (!credentials) throw invalidClient(this.#settings.realm, false);
    const integration = await this.#authenticate(credentials.clientId, credentials.clientSecret, usedBasic);

    const scope = form.get('scope');
    if (scope !== null) this.#checkScope(scope);
    return this.#mint(integration, scope);
  }

  async #authenticate(clientId: string, secret: string, usedBasic: boolean): Promise<IntegrationRow> {
    const { store, hasher, now } = this.#settings;
    const row = await store.integrations.findByClientId(clientId);
    const previousValid = row?.previous_secret_hash && (row.previous_secret_expires_at ?? 0) > now();
    // Always three comparisons, so neither a missing row nor a missing slot is measurably faster.
    const [current, previous, rotation] = [
      row?.issued_secret_hash,
      previousValid ? row?.previous_secret_hash : undefined,
      row?.rotation_secret_hash,
    ].map((hash) => hasher.matches(secret, hash ?? this.#dummyHash) && hash !== undefined && hash !== null);
    if (row && row.state !== 'disabled' && (current || previous || rotation)) {
      if (rotation && row.rotation_secret_hash) {
        // SmartRecruiters uses the new secret: proof it stored it (T33), so the rotation completes.
        await store.integrations.completeRotation(row.id, row.rotation_secret_hash, now() + this.#settings.previousSecretGraceMs, now());
      }
      return row;
    }
    throw this.#failure(clientId, usedBasic);
  }

  #failure(clientId: string, usedBasic: boolean): AtsServerError {
    const { throttle, maxFailuresPerClient, realm } = this.#settings;
    const key = `client:${clientId.slice(0, 200)}`;
    const wait = throttle.retryAfterSeconds(key, maxFailuresPerClient);
    throttle.recordFailure(key);
    this.#settings.onFailure?.(clientId, wait > 0);
    if (wait === 0) return invalidClient(realm, usedBasic);
    return new AtsServerError(429, 'invalid_client', 'Too many failed client authentications. Retry later.', {
      headers: { 'retry-after': String(wait) },
    });
  }

  #checkScope(scope: string): void {
    if (!SCOPE.test(scope)) throw invalidScope('The requested scope is malformed.');
    const allowed = this.#settings.allowedScopes;
    if (!scope.split(' ').every((token) => allowed.includes(token))) throw invalidScope('The requested scope is not allowed.');
  }

  async #mint(integration: IntegrationRow, scope: string | null): Promise<TokenResponse> {
    const { store, hasher, lifetimeSeconds, now } = this.#settings;
    const token = randomSecret();
    const issuedAt = now();
    await store.tokens.insert(
      { tokenHash: hasher.hash(token), integrationId: integration.id, scope, expiresAt: issuedAt + lifetimeSeconds * 1000 },
      issuedAt,
    );
    if (issuedAt - this.#lastPurge > PURGE_INTERVAL_MS) {
      this.#lastPurge = issuedAt;
      await store.tokens.deleteExpired(issuedAt);
    }
    return { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, ...(scope !== null ? { scope } : {}) };
  }
}
