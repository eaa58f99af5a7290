/**
 * SmartRecruiters' per-credential rate limits (reference/providers.md §1.8,
 * https://developers.smartrecruiters.com/docs/rate-limiting): most endpoints allow 10 requests a
 * second and 8 concurrent requests per API credential; over either limit → 429; every response
 * carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Concurrent-Limit` and
 * `X-RateLimit-Concurrent-Remaining`.
 *
 * A sliding one-second window of admitted requests plus an in-flight counter, per key (the client
 * id of the credential behind the bearer token). Refused requests do not count against the window
 * (SR does not say; counting them would let a client that keeps retrying lock itself out forever).
 *
 * It also keeps, per key, the peaks it admitted (most in flight at once, most in one window) so
 * tests can check how close a client came to the limits (see {@link RateLimiter.peaks}).
 */

export interface RateLimits {
  /** Requests admitted per sliding window (SR: 10). */
  perWindow: number;
  /** Requests in flight at once (SR: 8). */
  concurrent: number;
  /** Window length in ms (SR: one second). */
  windowMs: number;
}

export const SR_RATE_LIMITS: RateLimits = { perWindow: 10, concurrent: 8, windowMs: 1000 };

export interface RateDecision {
  allowed: boolean;
  /** Which limit refused the request, when one did. */
  exceeded?: 'rate' | 'concurrency';
  /** The four `X-RateLimit-*` headers, to send on the response whatever the decision. */
  headers: Record<string, string>;
  /** Call once the response is over (only when allowed; a no-op otherwise, and idempotent). */
  release: () => void;
}

interface Bucket {
  admitted: number[];
  inFlight: number;
}

/** The most a key had admitted at once: in flight, and within one window (the sliding window ending at an admission). */
export interface RatePeaks {
  concurrent: number;
  perWindow: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #peaks = new Map<string, RatePeaks>();

  constructor(
    public limits: RateLimits = SR_RATE_LIMITS,
    readonly now: () => number = Date.now,
  ) {}

  /** Admits (and counts) one request for `key`, or refuses it. */
  acquire(key: string): RateDecision {
    const bucket = this.#bucket(key);
    const time = this.now();
    while (bucket.admitted.length > 0 && bucket.admitted[0]! <= time - this.limits.windowMs) bucket.admitted.shift();
    let exceeded: RateDecision['exceeded'];
    if (bucket.inFlight >= this.limits.concurrent) exceeded = 'concurrency';
    else if (bucket.admitted.length >= this.limits.perWindow) exceeded = 'rate';
    if (exceeded) return { allowed: false, exceeded, headers: this.#headers(bucket), release: () => {} };
    bucket.admitted.push(time);
    bucket.inFlight += 1;
    const peak = this.#peaks.get(key) ?? { concurrent: 0, perWindow: 0 };
    this.#peaks.set(key, { concurrent: Math.max(peak.concurrent, bucket.inFlight), perWindow: Math.max(peak.perWindow, bucket.admitted.length) });
    const headers = this.#headers(bucket);
    let released = false;
    return {
      allowed: true,
      headers,
      release: () => {
        if (released) return;
        released = true;
        bucket.inFlight -= 1;
      },
    };
  }

  /** The headers for a response that belongs to no credential (e.g. a 401): full allowance. */
  idleHeaders(): Record<string, string> {
    return this.#headers({ admitted: [], inFlight: 0 });
  }

  /** In-flight count for a key (tests). */
  inFlight(key: string): number {
    return this.#buckets.get(key)?.inFlight ?? 0;
  }

  /** The peaks admitted for `key` since the last reset (for every key together when none is given: the highest of each). */
  peaks(key?: string): RatePeaks {
    if (key !== undefined) return { ...(this.#peaks.get(key) ?? { concurrent: 0, perWindow: 0 }) };
    const all = [...this.#peaks.values()];
    return { concurrent: Math.max(0, ...all.map((peak) => peak.concurrent)), perWindow: Math.max(0, ...all.map((peak) => peak.perWindow)) };
  }

  /** Forgets the peaks only (windows and in-flight counts stay, so a burst can be measured mid-traffic). */
  resetPeaks(): void {
    this.#peaks.clear();
  }

  /** Forgets every window, in-flight count and peak. */
  reset(): void {
    this.#buckets.clear();
    this.#peaks.clear();
  }

  #bucket(key: string): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { admitted: [], inFlight: 0 };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #headers(bucket: Bucket): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limits.perWindow),
      'x-ratelimit-remaining': String(Math.max(0, this.limits.perWindow - bucket.admitted.length)),
      'x-ratelimit-concurrent-limit': String(this.limits.concurrent),
      'x-ratelimit-concurrent-remaining': String(Math.max(0, this.limits.concurrent - bucket.inFlight)),
    };
  }
}
