/**
 * A cached access token with one request in flight at a time.
 *
 * The token is reused until `expiresAt − margin`, where `expiresAt` counts from when the request
 * was *sent* (reference/security.md T32), and the margin is max(60 s, 10 % of the lifetime), capped
 * at half the lifetime so very short tokens are still used. However many callers ask at once while
 * no valid token is cached, exactly one fetch runs and all of them share its result.
 */
export interface FetchedToken {
  accessToken: string;
  /** Lifetime in seconds as the server stated it (`expires_in`). */
  expiresIn: number;
}

export interface TokenCacheOptions {
  fetchToken: () => Promise<FetchedToken>;
  now?: () => number;
}

interface CachedToken {
  accessToken: string;
  refreshAt: number;
}

export class TokenCache {
  readonly #fetchToken: () => Promise<FetchedToken>;
  readonly #now: () => number;
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: TokenCacheOptions) {
    this.#fetchToken = options.fetchToken;
    this.#now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.refreshAt) return this.#cached.accessToken;
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /**
   * Drops `rejected` if it is still the cached token (a resource answered 401 with it). A token
   * fetched meanwhile by another caller is kept, so N parallel 401s cause one renewal, not N.
   */
  invalidate(rejected: string): void {
    if (this.#cached?.accessToken === rejected) this.#cached = undefined;
  }

  async #fetch(): Promise<string> {
    const sentAt = this.#now();
    const token = await this.#fetchToken();
    const lifetimeMs = token.expiresIn * 1000;
    const marginMs = Math.min(Math.max(60_000, lifetimeMs * 0.1), lifetimeMs / 2);
    this.#cached = { accessToken: token.accessToken, refreshAt: sentAt + lifetimeMs - marginMs };
    return token.accessToken;
  }
}
