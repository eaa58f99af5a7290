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
 * key still under its limit; if every tracked key is at its limit, new keys share an overflow
 * counter (fail closed for newcomers while the flood lasts, never open for the throttled). Callers
 * name the overflow group a key falls in (sign-ins: the client's network), so a flood from some
 * networks does not shut out a newcomer from another.
 */
export interface ThrottleWindow {
  windowSeconds: number;
  now?: () => number;
  /** How many keys are tracked one by one. Default 10 000. */
  maxTrackedKeys?: number;
}

interface Failures {
  times: number[];
  limit: number;
}

const DEFAULT_MAX_TRACKED_KEYS = 10_000;

export class FailureThrottle {
  /** Keys under their limit, least recently failed first: the ones evicted when room is needed. */
  readonly #open = new Map<string, Failures>();
  /** Keys that reached their limit inside the window, least recently failed first: never evicted while they count. */
  readonly #atLimit = new Map<string, Failures>();
  /** Failures of keys the full table could not track, per overflow group: newcomers of a group share it while it lasts. */
  readonly #overflow = new Map<string, number[]>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(readonly settings: ThrottleWindow) {
    this.#now = settings.now ?? Date.now;
    this.#maxKeys = settings.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  }

  /** Seconds until `key` may try again given `limit` failures per window; 0 when it may now. */
  retryAfterSeconds(key: string, limit: number, overflowGroup = ''): number {
    const times = (this.#open.get(key) ?? this.#atLimit.get(key))?.times ?? this.#overflow.get(overflowGroup);
    if (!times || this.#prune(times).length < limit) return 0;
    const oldestCounted = times[times.length - limit]!;
    return Math.max(1, Math.ceil((oldestCounted + this.settings.windowSeconds * 1000 - this.#now()) / 1000));
  }

  recordFailure(key: string, limit: number, overflowGroup = ''): void {
    let entry = this.#take(key);
    if (!entry) {
      if (!this.#makeRoom()) {
        const times = this.#append(this.#overflow.get(overflowGroup) ?? [], limit);
        this.#overflow.delete(overflowGroup);
        this.#overflow.set(overflowGroup, times);
        if (this.#overflow.size > this.#maxKeys) this.#overflow.delete(this.#overflow.keys().next().value as string);
        return;
      }
      entry = { times: [], limit };
    }
    this.#append(entry.times, limit);
    entry.limit = limit;
    // Re-inserted at the end, so each map stays ordered least-recently-failed first.
    (entry.times.length >= limit ? this.#atLimit : this.#open).set(key, entry);
  }

  /** Takes back the most recent failure of `key` (an attempt counted up front that succeeded). */
  forgiveLast(key: string, overflowGroup = ''): void {
    ((this.#open.get(key) ?? this.#atLimit.get(key))?.times ?? this.#overflow.get(overflowGroup))?.pop();
  }

  clear(key: string): void {
    this.#take(key);
  }

  #take(key: string): Failures | undefined {
    const entry = this.#open.get(key) ?? this.#atLimit.get(key);
    this.#open.delete(key);
    this.#atLimit.delete(key);
    return entry;
  }

  /** Frees a slot for a new key if one can be freed without forgetting a key at its limit. O(1) amortized. */
  #makeRoom(): boolean {
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    for (const map of [this.#open, this.#atLimit]) {
      // Least recently failed first: stop at the first key that still has a failure in the window.
      for (const [key, entry] of map) {
        if ((entry.times[entry.times.length - 1] ?? 0) > windowStart) break;
        map.delete(key);
      }
    }
    if (this.#open.size + this.#atLimit.size < this.#maxKeys) return true;
    const leastRecent = this.#open.keys().next();
    if (leastRecent.done) return false;
    this.#open.delete(leastRecent.value);
    return true;
  }

  /**
   * Records a failure now in `times`, in place: drops the expired times, appends now, and keeps only
   * the newest `limit` (the wait counts from the oldest of them): keeping no more bounds the memory
   * per key however hard it is hammered.
   */
  #append(times: number[], limit: number): number[] {
    this.#prune(times).push(this.#now());
    while (times.length > limit) times.shift();
    return times;
  }

  /**
   * Drops the times outside the window, in place, and returns `times`. Times are appended in clock
   * order, oldest first, so the expired ones are a prefix: the work is the number dropped, and
   * nothing is copied. (Copying the list on every check and failure made each one cost as much as
   * the list was long: with a generous limit, such as a claims limit raised for a bulk onboarding,
   * the garbage grew with the square of the approvals.)
   */
  #prune(times: number[]): number[] {
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    let expired = 0;
    while (expired < times.length && times[expired]! <= windowStart) expired += 1;
    if (expired === times.length) times.length = 0;
    else if (expired > 0) times.splice(0, expired);
    return times;
  }
}
