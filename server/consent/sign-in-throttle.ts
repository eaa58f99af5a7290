/**
 * Failed sign-ins are throttled per username and per client IP (sliding window), answering 429 with
 * Retry-After instead of locking the account: a hard lock-out would let anyone lock a real admin
 * out (ASVS 6.1.1). A success clears the username's failures.
 *
 * The counters live in process memory, bounded in size; several kit instances each keep their own
 * (noted in the README). Keys are hashed-free strings of non-secret data only.
 */
export interface ThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
}

const MAX_TRACKED_KEYS = 10_000;
/** An IP may fail for several usernames (a shared office NAT) before it is slowed down. */
const IP_ALLOWANCE_FACTOR = 4;

export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(readonly settings: ThrottleSettings) {
    this.#now = settings.now ?? Date.now;
  }

  /** Seconds to wait before another attempt is allowed, or 0 when one may go ahead now. */
  retryAfterSeconds(username: string, ip: string): number {
    const byUser = this.#waitFor(`user:${username.toLowerCase()}`, this.settings.maxFailures);
    const byIp = this.#waitFor(`ip:${ip}`, this.settings.maxFailures * IP_ALLOWANCE_FACTOR);
    return Math.max(byUser, byIp);
  }

  recordFailure(username: string, ip: string): void {
    for (const key of [`user:${username.toLowerCase()}`, `ip:${ip}`]) {
      const times = this.#recent(key);
      times.push(this.#now());
      this.#failures.delete(key); // re-insert so the Map's order is least-recently-failed first
      this.#failures.set(key, times);
    }
    while (this.#failures.size > MAX_TRACKED_KEYS) {
      this.#failures.delete(this.#failures.keys().next().value as string);
    }
  }

  recordSuccess(username: string): void {
    this.#failures.delete(`user:${username.toLowerCase()}`);
  }

  #recent(key: string): number[] {
    const windowStart = this.#now() - this.settings.windowSeconds * 1000;
    return (this.#failures.get(key) ?? []).filter((time) => time > windowStart);
  }

  #waitFor(key: string, limit: number): number {
    const times = this.#recent(key);
    if (times.length < limit) return 0;
    const oldestCounted = times[times.length - limit]!;
    return Math.max(1, Math.ceil((oldestCounted + this.settings.windowSeconds * 1000 - this.#now()) / 1000));
  }
}
