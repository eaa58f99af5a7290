/**
 * SmartRecruiters' per-credential limits (providers.md §1.8): 10 requests a second and 8 at once;
 * over either, 429. One gate per SR credential (per company) keeps the kit under both, however many
 * results are waiting: a task starts only when fewer than `concurrent` are in flight and fewer than
 * `perWindow` started in the last `windowMs`.
 *
 * The window is a little longer than SR's second: a request is counted by SR when it *arrives*, and
 * arrival times jitter, so a gate that filled exactly one second could still land an eleventh
 * request inside SR's window. `pause` holds every start (a 429, `Retry-After`, or an
 * `X-RateLimit-Remaining: 0` from SR that the gate's own starts do not explain).
 *
 * The gate is per process; the company lease (one instance delivers a company's results at a time)
 * makes it hold across instances for deliveries. Reads through `kit.smartRecruiters` share it.
 */
export interface RateGateLimits {
  perWindow: number;
  concurrent: number;
  windowMs: number;
}

/** SR's documented 10 req/s and 8 concurrent, with 100 ms of margin on the window. */
export const SR_LIMITS: RateGateLimits = { perWindow: 10, concurrent: 8, windowMs: 1_100 };

/** The gate's limits for a configured per-second and concurrency budget (the same 10 % margin on the window). */
export const gateLimits = (budget: { perSecond: number; concurrent: number }): RateGateLimits => ({
  perWindow: budget.perSecond,
  concurrent: budget.concurrent,
  windowMs: 1_100,
});

const ADOPTED_LIMIT_MS = 60_000;

export class RateGate {
  readonly #starts: number[] = [];
  readonly #waiting: Array<() => void> = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #timer: NodeJS.Timeout | undefined;

  readonly #configured: RateGateLimits;
  #limits: RateGateLimits;
  #adoptedAt = 0;

  constructor(
    limits: RateGateLimits = SR_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.#configured = { ...limits };
    this.#limits = { ...limits };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#pump();
    });
    try {
      return await task();
    } finally {
      this.#inFlight -= 1;
      this.#pump();
    }
  }

  /** No task starts before `ms` from now. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + ms);
    this.#pump();
  }

  /**
   * What SR said about the credential's budget: a lower `X-RateLimit-Limit` or
   * `X-RateLimit-Concurrent-Limit` than configured becomes this gate's limit (SR knows the
   * credential's real allowance), and `X-RateLimit-Remaining: 0` holds starts for a window unless
   * the gate's own starts fill the window (then it already waits for the oldest to leave it).
   */
  observe(headers: Headers): void {
    // A lower limit holds for a minute, then the configured one returns: SR's per-endpoint limits
    // (2/s on some, 1 at once on GET /candidates) must not cap everything else for good.
    if (this.now() - this.#adoptedAt > ADOPTED_LIMIT_MS) this.#limits = { ...this.#configured };
    const limit = Number(headers.get('x-ratelimit-limit'));
    if (Number.isSafeInteger(limit) && limit > 0 && limit < this.#limits.perWindow) {
      this.#limits.perWindow = limit;
      this.#adoptedAt = this.now();
    }
    const concurrent = Number(headers.get('x-ratelimit-concurrent-limit'));
    if (Number.isSafeInteger(concurrent) && concurrent > 0 && concurrent < this.#limits.concurrent) {
      this.#limits.concurrent = concurrent;
      this.#adoptedAt = this.now();
    }
    // A 0 that this gate's own starts explain (the window already holds `perWindow` of them) is SR
    // counting those starts: the gate waits anyway until the oldest leaves its window, and pausing a
    // further window from now would idle the credential for the round trip of every tenth request.
    // A 0 it cannot explain means someone else spends the credential's budget: hold for a window.
    if (headers.get('x-ratelimit-remaining') === '0' && this.#startsInWindow(this.now()) < this.#limits.perWindow) this.pause(this.#limits.windowMs);
  }

  #startsInWindow(now: number): number {
    while (this.#starts.length > 0 && this.#starts[0]! <= now - this.#limits.windowMs) this.#starts.shift();
    return this.#starts.length;
  }

  #pump(): void {
    clearTimeout(this.#timer);
    while (this.#waiting.length > 0) {
      const now = this.now();
      const wait = Math.max(
        this.#pausedUntil - now,
        this.#startsInWindow(now) >= this.#limits.perWindow ? this.#starts[0]! + this.#limits.windowMs - now : 0,
      );
      if (this.#inFlight >= this.#limits.concurrent) return; // a finishing task pumps again
      if (wait > 0) {
        this.#timer = setTimeout(() => this.#pump(), wait);
        this.#timer.unref();
        return;
      }
      this.#starts.push(now);
      this.#inFlight += 1;
      this.#waiting.shift()!();
    }
  }
}
