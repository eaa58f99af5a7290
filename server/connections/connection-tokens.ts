/**
 * Access tokens for provider connections, kept fresh (RFC 6749 §6; RFC 9700 §2.2.2, §4.14;
 * reference/security.md T31, T32):
 *
 * - a token is refreshed ahead of expiry (60 s margin);
 * - one refresh per connection at a time: callers in this process share one promise, and across
 *   processes a lease on the row (a conditional update) decides who refreshes, the others wait and
 *   re-read;
 * - after taking the lease the row is read again, and the refresh skipped if someone else did it;
 * - a rotated refresh token is stored (in the same update that releases the lease) before the new
 *   access token is handed to anyone; a response without a refresh token keeps the old one;
 * - on `invalid_grant` the row is read again (another instance may have rotated it) before the
 *   connection is marked `needs_reconnect` and `connection.needs_reconnect` fires; after that no
 *   refresh is attempted until the user reconnects.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { Cipher } from '../crypto/cipher.js';
import { randomId } from '../crypto/secrets.js';
import { upstreamFailure } from '../consent/upstream-errors.js';
import { AtsServerError } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import { InvalidGrantError, clientCredentialsTokens, refreshTokens, type ProviderTokens } from '../oauth/authorization-code.js';
import { OutboundError } from '../oauth/outbound.js';
import type { ConfiguredProvider } from '../providers/oauth-providers.js';
import type { ConnectionRow, Store, StoredTokens } from '../store/store.js';

const REFRESH_MARGIN_MS = 60_000;
const WAIT_POLL_MS = 50;

/** Where a ciphertext belongs: the AAD binding of `Cipher` (also read by `ats-consent doctor`). */
export const binding = (id: string, column: 'access_token' | 'refresh_token') => `connections/${id}/${column}`;

export function encryptTokens(cipher: Cipher, id: string, tokens: ProviderTokens, now: number): StoredTokens {
  return {
    accessToken: cipher.encrypt(tokens.accessToken, binding(id, 'access_token')),
    refreshToken: tokens.refreshToken === undefined ? undefined : cipher.encrypt(tokens.refreshToken, binding(id, 'refresh_token')),
    scope: tokens.scope,
    expiresAt: now + tokens.expiresIn * 1000,
  };
}

export interface TokenDeps {
  store: Store;
  cipher: Cipher;
  events: KitEvents;
  providers: Map<string, ConfiguredProvider>;
  redirectUri: (providerId: string) => string;
  timeoutMs: number;
  now: () => number;
  /** Each refresh with the provider and how it ended (the metrics); never the token. */
  onRefresh?: (providerId: string, outcome: 'success' | 'failure' | 'invalid_grant') => void;
}

export class ConnectionTokens {
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #leaseMs: number;

  constructor(private readonly deps: TokenDeps) {
    this.#leaseMs = deps.timeoutMs + 5_000;
  }

  /** A valid access token for the connection, refreshed when it is about to expire. */
  getAccessToken(connectionId: string): Promise<string> {
    let run = this.#inFlight.get(connectionId);
    if (!run) {
      run = this.#accessToken(connectionId).finally(() => this.#inFlight.delete(connectionId));
      this.#inFlight.set(connectionId, run);
    }
    return run;
  }

  /** A resource rejected `rejected`: treat it as expired (unless a newer token replaced it already). */
  async invalidate(connectionId: string, rejected: string): Promise<void> {
    const row = await this.deps.store.connections.find(connectionId);
    if (row?.access_token && this.#decrypt(row, 'access_token') === rejected) {
      await this.deps.store.connections.expireAccessToken(connectionId, row.access_token);
    }
  }

  async #accessToken(id: string): Promise<string> {
    const { store, now } = this.deps;
    const deadline = now() + this.#leaseMs * 2;
    for (;;) {
      const row = await this.#connected(id);
      if (this.#fresh(row)) return this.#decrypt(row, 'access_token');
      const owner = randomId();
      if (await store.connections.acquireRefreshLease(id, owner, now() + this.#leaseMs, now())) {
        try {
          return await this.#refresh(id, owner);
        } catch (error) {
          await store.connections.releaseRefreshLease(id, owner);
          throw error;
        }
      }
      // Another instance is refreshing: wait for its result.
      if (now() > deadline) throw new AtsServerError(503, AtsErrorCode.UpstreamTimeout, 'The token refresh is taking too long. Retry.', { retryable: true });
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  async #refresh(id: string, owner: string): Promise<string> {
    const { store, cipher, now } = this.deps;
    const row = await this.#connected(id); // read again under the lease: someone may have refreshed
    if (this.#fresh(row)) {
      await store.connections.releaseRefreshLease(id, owner);
      return this.#decrypt(row, 'access_token');
    }
    const provider = this.deps.providers.get(row.provider);
    if (!provider) throw new AtsServerError(409, AtsErrorCode.NotActive, `The provider ${row.provider} is no longer configured.`);
    let tokens: ProviderTokens;
    try {
      if (row.grant_type === 'client_credentials' && provider.clientCredentials) {
        tokens = await clientCredentialsTokens(provider, this.deps.timeoutMs);
      } else if (row.grant_type === 'authorization_code' && row.refresh_token) {
        tokens = await refreshTokens(provider, this.#decrypt(row, 'refresh_token'), this.deps.redirectUri(provider.id), this.deps.timeoutMs);
      } else {
        // A user's connection with no refresh token must never fall back to the app's own
        // client-credentials token: that would act as the partner, not the user.
        throw new InvalidGrantError(provider.id);
      }
    } catch (error) {
      this.deps.onRefresh?.(provider.id, error instanceof InvalidGrantError ? 'invalid_grant' : 'failure');
      if (error instanceof InvalidGrantError) return this.#afterInvalidGrant(row, owner);
      throw error instanceof OutboundError ? upstreamFailure(error, provider.displayName) : error;
    }
    this.deps.onRefresh?.(provider.id, 'success');
    const stored = encryptTokens(cipher, id, tokens, now());
    if (!(await store.connections.storeRefreshed(id, owner, stored, now()))) {
      throw new AtsServerError(409, AtsErrorCode.NotActive, 'The connection changed while its token was refreshed. Retry.', { retryable: true });
    }
    return tokens.accessToken;
  }

  async #afterInvalidGrant(used: ConnectionRow, owner: string): Promise<string> {
    const { store, events, now } = this.deps;
    const current = await this.#connected(used.id);
    if (current.refresh_token !== used.refresh_token && this.#fresh(current)) {
      await store.connections.releaseRefreshLease(used.id, owner);
      return this.#decrypt(current, 'access_token');
    }
    const { event, outbox } = events.createForConnection('connection.needs_reconnect', used, 'invalid_grant');
    if (await store.connections.markNeedsReconnect(used.id, 'invalid_grant', now(), outbox)) events.publish(event);
    throw needsReconnect();
  }

  async #connected(id: string): Promise<ConnectionRow> {
    const row = await this.deps.store.connections.find(id);
    if (!row) throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such connection.');
    if (row.status !== 'connected' || !row.access_token) throw needsReconnect();
    return row;
  }

  #fresh(row: ConnectionRow): boolean {
    return row.expires_at === null || this.deps.now() < row.expires_at - REFRESH_MARGIN_MS;
  }

  #decrypt(row: ConnectionRow, column: 'access_token' | 'refresh_token'): string {
    return this.deps.cipher.decrypt(row[column]!, binding(row.id, column));
  }
}

export const needsReconnect = () =>
  new AtsServerError(409, AtsErrorCode.NeedsReconnect, 'The connection needs the user to connect again.');
