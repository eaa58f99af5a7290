/**
 * Delivers outbox events to the partner's webhook URL. Any kit instance may deliver: each claims a
 * batch with a lease, so one event goes out once per attempt even with several instances on one
 * PostgreSQL. Failures are retried with capped exponential backoff and full jitter (T34); an event
 * is never dropped. Deliveries are at-least-once: the receiver deduplicates by `X-Ats-Event-Id`,
 * which the signature covers (webhook-signature.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { backoffMs, DeliveryLoop } from '../outbox/delivery-loop.js';
import type { Store } from '../store/store.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSettings {
  url: URL;
  secret: string;
  timeoutMs: number;
}

const BATCH = 20;
const LEASE_MS = 30_000;
const POLL_MS = 5_000;

export class WebhookDispatcher extends DeliveryLoop {
  readonly #owner = randomUUID();

  constructor(
    private readonly store: Store,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    super({
      drain: () => this.#drain(),
      pollMs: POLL_MS,
      onError: (error) => logger.error({ err: error }, 'webhook outbox could not be read'),
    });
  }

  /**
   * Shutdown past its deadline: the events claimed here and still out are released, due at once,
   * so another instance sends them without waiting out the 30 s lease. One may then arrive twice:
   * deliveries are at-least-once anyway, and the receiver deduplicates by X-Ats-Event-Id.
   */
  async handBackLeases(): Promise<void> {
    await this.store.outbox.releaseLeases(this.#owner);
  }

  async #drain(): Promise<void> {
    let batch;
    do {
      batch = await this.store.outbox.claimDue(this.#owner, this.now(), this.now() + LEASE_MS, BATCH);
      await Promise.all(batch.map((row) => this.#deliver(row.id, row.payload, row.attempts)));
    } while (batch.length === BATCH && !this.stopped);
  }

  async #deliver(id: string, payload: string, attempts: number): Promise<void> {
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [EVENT_ID_HEADER]: id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.settings.secret, id, timestamp, payload),
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      // The receiver's answer is its status; its body is never read (nothing to buffer, T37).
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
      await this.store.outbox.markDelivered(id, this.#owner, this.now());
    } catch (error) {
      // `attempts` counts this one: 0.5 s, 1 s, 2 s … up to 5 minutes, with full jitter (T34).
      const delay = backoffMs(attempts);
      this.logger.warn({ eventId: id, attempts, error: String((error as Error).message ?? error) }, 'webhook delivery failed; will retry');
      await this.store.outbox.markFailed(id, this.#owner, this.now() + delay, String((error as Error).message ?? error));
      this.schedule(Math.max(delay, 50));
    }
  }
}
