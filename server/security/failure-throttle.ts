/**
 * Counts recent failures per key (sliding window) and says how long a key must wait once it has
 * failed too often. Used for sign-ins (per username and client, and per client) and for client
 * authentication at our token endpoint (per client id). It never locks anyone out for good: a window
 * passes, and callers decide which outcomes it may delay (ASVS 6.1.1, reference/security.md T20).
 *
 * The counters live in process memory, bounded in size; several kit instances each keep their own.
 * Keys are built from non-secret data only.
 *
 * Bounded memory must not become a way to reset a counter (issue 13 finding 5: flooding fresh keys
 * evicted a throttled key and guessing resumed). So when the table is full, a key that is at its
 * limit inside the window is never evicted: expired keys go first, then the least recently failed
 * key still under its limit; if every tracked key is at its limit, new keys share one overflow
 * counter (fail closed for newcomers while the flood lasts, never open for the throttled).
 */
export interface ThrottleWindow {
  windowSeconds: number;
  now?: () => number;
  /** How many keys are tracked one by one. Default 10 000. */
  maxTrackedKeys?: number;
}

interface Failures {
  times: number[];
  /** The limit this key is held to: a key at its limit inside the window is never evicted. */
  limit: number;
}

const DEFAULT_MAX_TRACKED_KEYS = 10_000;
/** The key that stands in for every key the full table cannot track. */
const OVERFLOW = '\u0000overflow';

export class FailureThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(readonly settings: ThrottleWindow) {
    this.#now = settings.now ?? Date.now;
    this.#maxKeys = settings.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  }

  /** Seconds until `key` may try again given `limit` failures per window; 0 when it may now. */
  retryAfterSeconds(key: string, limit: number): number {
    const tracked = this.#failures.has(key) || !this.#failures.has(OVERFLOW) ? key : OVERFLOW;
    const times = this.#recent(tracked);
    if (times.length < limit) return 0;
    const oldestCounted = times[times.length - limit]!;
    return Math.max(1, Math.ceil((oldestCounted + this.settings.windowSeconds * 1000 - this.#now()) / 1000));
  }

  recordFailure(key: string, limit: number): void {
    const target = this.#failures.has(key) || this.#makeRoom() ? key : OVERFLOW;
    const times = this.#recent(target);
    times.push(this.#now());
    this.#failures.delete(target); // re-insert so the Map's order is least-recently-failed first
    this.#failures.set(target, { times, limit });
  }

  /** Takes back the most recent failure of `key` (an attempt counted up front that succeeded). */
  forgiveLast(key: string): void {
    (this.#failures.get(key) ?? this.#failures.get(OVERFLOW))?.times.pop();
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }

  /** Frees a slot for a new key if one can be freed without forgetting a throttled key. */
  #makeRoom(): boolean {
    const tracked = () => this.#failures.size - (this.#failures.has(OVERFLOW) ? 1 : 0);
    if (tracked() < this.#maxKeys) return true;
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    for (const [key, entry] of this.#failures) {
      if (key !== OVERFLOW && !entry.times.some((time) => time > windowStart)) this.#failures.delete(key);
    }
    if (tracked() < this.#maxKeys) return true;
    for (const [key, entry] of this.#failures) {
      if (key === OVERFLOW) continue;
      if (entry.times.filter((time) => time > windowStart).length < entry.limit) {
        this.#failures.delete(key); // the least recently failed key still under its limit
        return true;
      }
    }
    return false;
  }

  #recent(key: string): number[] {
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    return (this.#failures.get(key)?.times ?? []).filter((time) => time > windowStart);
  }
}
