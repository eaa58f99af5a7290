/**
 * Counts recent failures per key (sliding window) and says how long a key must wait once it has
 * failed too often. Used for sign-ins (per username and per IP) and for client authentication at
 * our token endpoint (per client id). It never locks anyone out for good: a window passes, and
 * callers decide which outcomes it may delay (ASVS 6.1.1, reference/security.md T20).
 *
 * The counters live in process memory, bounded in size; several kit instances each keep their own.
 * Keys are built from non-secret data only.
 */
export interface ThrottleWindow {
  windowSeconds: number;
  now?: () => number;
}

const MAX_TRACKED_KEYS = 10_000;

export class FailureThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(readonly settings: ThrottleWindow) {
    this.#now = settings.now ?? Date.now;
  }

  /** Seconds until `key` may try again given `limit` failures per window; 0 when it may now. */
  retryAfterSeconds(key: string, limit: number): number {
    const times = this.#recent(key);
    if (times.length < limit) return 0;
    const oldestCounted = times[times.length - limit]!;
    return Math.max(1, Math.ceil((oldestCounted + this.settings.windowSeconds * 1000 - this.#now()) / 1000));
  }

  recordFailure(key: string): void {
    const times = this.#recent(key);
    times.push(this.#now());
    this.#failures.delete(key); // re-insert so the Map's order is least-recently-failed first
    this.#failures.set(key, times);
    while (this.#failures.size > MAX_TRACKED_KEYS) {
      this.#failures.delete(this.#failures.keys().next().value as string);
    }
  }

  /** Takes back the most recent failure of `key` (an attempt counted up front that succeeded). */
  forgiveLast(key: string): void {
    const times = this.#failures.get(key);
    times?.pop();
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string): number[] {
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    return (this.#failures.get(key) ?? []).filter((time) => time > windowStart);
  }
}
