/**
 * A per-key sliding-window rate limit for actions that succeed (connection starts per user, company
 * claims per user and tenant): `take` both checks and counts, synchronously, so concurrent requests
 * cannot all slip past the check.
 *
 * The counting is FailureThrottle's, so the same bounds hold: bounded memory, and a key at its
 * limit is never evicted to make room for new ones. Counters live in process memory; several kit
 * instances each keep their own.
 */
import { FailureThrottle } from './failure-throttle.js';

export interface RateLimitSettings {
  /** Actions allowed per key within the window. */
  max: number;
  windowSeconds: number;
  now?: () => number;
}

export class RateLimit {
  readonly #counts: FailureThrottle;

  constructor(readonly settings: RateLimitSettings) {
    this.#counts = new FailureThrottle({ windowSeconds: settings.windowSeconds, ...(settings.now ? { now: settings.now } : {}) });
  }

  /** Counts one action for `key` and returns 0; or, when the key is at its limit, counts nothing and returns the seconds to wait. */
  take(key: string): number {
    const wait = this.check(key);
    if (wait === 0) this.#counts.recordFailure(key, this.settings.max);
    return wait;
  }

  /** The seconds `key` must wait, counting nothing. */
  check(key: string): number {
    return this.#counts.retryAfterSeconds(key, this.settings.max);
  }
}
