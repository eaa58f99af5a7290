/**
 * A per-key sliding-window rate limit for actions that succeed (unlike FailureThrottle, which
 * counts failures): `take` both checks and counts, synchronously, so concurrent requests cannot
 * all slip past the check. Used for connection starts per user.
 *
 * The counters live in process memory, bounded in size; several kit instances each keep their own.
 */
export interface RateLimitSettings {
  /** Actions allowed per key within the window. */
  max: number;
  windowSeconds: number;
  now?: () => number;
}

const MAX_TRACKED_KEYS = 10_000;

export class RateLimit {
  readonly #times = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(readonly settings: RateLimitSettings) {
    this.#now = settings.now ?? Date.now;
  }

  /** Counts one action for `key` and returns 0; or, when the key is at its limit, counts nothing and returns the seconds to wait. */
  take(key: string): number {
    const now = this.#now();
    const windowMs = this.settings.windowSeconds * 1000;
    const times = (this.#times.get(key) ?? []).filter((time) => time > now - windowMs);
    if (times.length >= this.settings.max) {
      this.#times.set(key, times);
      return Math.max(1, Math.ceil((times[times.length - this.settings.max]! + windowMs - now) / 1000));
    }
    times.push(now);
    this.#times.delete(key); // re-insert so the Map's order is least-recently-used first
    this.#times.set(key, times);
    while (this.#times.size > MAX_TRACKED_KEYS) this.#times.delete(this.#times.keys().next().value as string);
    return 0;
  }
}
