/**
 * Keeps the event feed (GET /partner/v1/events) to its retention: every instance prunes events
 * older than `EVENT_RETENTION_DAYS` at start and then every 10 minutes. Deleting by age is
 * idempotent, so several instances doing it at once is harmless. Runs whether or not anyone reads
 * the feed, so the table stays bounded on a kit whose partner never polls it.
 */
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

export const EVENT_RETENTION_DAYS = 30;
const RETENTION_MS = EVENT_RETENTION_DAYS * 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

export class FeedRetention {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.#prune();
    this.#timer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #prune(): void {
    if (this.#running) return;
    this.#running = this.store.eventFeed
      .deleteBefore(this.now() - RETENTION_MS)
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'event feed retention could not prune'))
      .finally(() => (this.#running = undefined));
  }
}
