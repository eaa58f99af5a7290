/**
 * Keeps the event feed (GET /partner/v1/events) to its retention: every instance prunes events
 * older than `EVENT_RETENTION_DAYS` at start and then every 10 minutes (store/periodic-prune.ts).
 * Runs whether or not anyone reads the feed, so the table stays bounded on a kit whose partner
 * never polls it.
 */
import type { Logger } from '../log.js';
import { PeriodicPrune } from '../store/periodic-prune.js';
import type { Store } from '../store/store.js';

export const EVENT_RETENTION_DAYS = 30;
const RETENTION_MS = EVENT_RETENTION_DAYS * 24 * 60 * 60 * 1000;

export class FeedRetention extends PeriodicPrune {
  constructor(store: Store, logger: Logger, now: () => number) {
    super('event feed retention', () => store.eventFeed.deleteBefore(now() - RETENTION_MS), logger);
  }
}
