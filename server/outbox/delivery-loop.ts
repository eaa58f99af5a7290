/**
 * The loop behind every durable delivery (the webhook outbox, results to SmartRecruiters): drain
 * now when woken, poll every few seconds for work other instances left or retries that came due,
 * one drain at a time per loop (a wake during a drain makes it run once more), and stop cleanly.
 * What a drain does — claim with a lease, send, record — is the caller's; this only decides when.
 */
export interface DeliveryLoopOptions {
  drain: () => Promise<void>;
  /** How often to look for due work when nothing wakes the loop. */
  pollMs: number;
  onError: (error: unknown) => void;
}

export class DeliveryLoop {
  #timer: NodeJS.Timeout | undefined;
  #dueAt = 0;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(private readonly options: DeliveryLoopOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** Drains now; calls that arrive during a drain make it run once more. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.options
      .drain()
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /**
   * Drains after `delayMs` (a retry coming due), then keeps polling. An earlier drain already
   * scheduled stays: a long retry never postpones a shorter one or the poll.
   */
  schedule(delayMs: number): void {
    if (this.#stopped) return;
    const dueAt = Date.now() + delayMs;
    if (this.#timer !== undefined && this.#dueAt <= dueAt) return;
    clearTimeout(this.#timer);
    this.#dueAt = dueAt;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
      this.schedule(this.options.pollMs);
    }, delayMs);
    this.#timer.unref();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Resolves when no drain is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.idle();
  }
}

/** Capped exponential backoff with full jitter (T34): attempt 1 waits up to `baseMs`, doubling up to `capMs`. */
export function backoffMs(attempts: number, baseMs = 500, capMs = 5 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20));
  return Math.round(Math.random() * ceiling);
}
