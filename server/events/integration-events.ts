/**
 * Events for the partner's own code: `integration.enabled`, `integration.disabled`,
 * `integration.failed`. Delivered in-process to listeners registered with `kit.on(...)`, and, when
 * a webhook is configured, through the outbox to the partner's URL (see webhook-dispatcher.ts).
 * No event carries a secret.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { IntegrationRow, OutboxEvent } from '../store/store.js';

export type IntegrationEventType = 'integration.enabled' | 'integration.disabled' | 'integration.failed';

export interface IntegrationEvent {
  id: string;
  type: IntegrationEventType;
  /** ISO 8601. */
  occurredAt: string;
  data: {
    companyId: string;
    tenantId: string;
    srIntegrationId: string | null;
    /** integration.disabled: who disabled it. */
    disabledBy?: 'smartrecruiters' | 'partner';
    /** integration.failed: the ATS_* code the admin was shown. */
    errorCode?: string;
  };
}

export type IntegrationEventListener = (event: IntegrationEvent) => void | Promise<void>;

export class IntegrationEvents {
  readonly #listeners = new Map<IntegrationEventType, Set<IntegrationEventListener>>();
  /** Called after an event was committed, so the webhook dispatcher can deliver it right away. */
  onCommitted: (() => void) | undefined;

  constructor(
    private readonly logger: Logger,
    /** Whether events also go to the outbox (a webhook is configured). */
    private readonly durable: boolean,
    private readonly now: () => number,
  ) {}

  on(type: IntegrationEventType, listener: IntegrationEventListener): () => void {
    const listeners = this.#listeners.get(type) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(type, listeners);
    return () => listeners.delete(listener);
  }

  /** Builds an event about `row` and, when a webhook is configured, its outbox row. */
  create(type: IntegrationEventType, row: IntegrationRow, extra: Partial<IntegrationEvent['data']> = {}): { event: IntegrationEvent; outbox?: OutboxEvent } {
    const event: IntegrationEvent = {
      id: randomUUID(),
      type,
      occurredAt: new Date(this.now()).toISOString(),
      data: { companyId: row.company_id, tenantId: row.tenant_id, srIntegrationId: row.sr_integration_id, ...extra },
    };
    return this.durable ? { event, outbox: { id: event.id, type, payload: JSON.stringify(event) } } : { event };
  }

  /** Tells in-process listeners (a failing listener is logged, never breaks the caller). */
  publish(event: IntegrationEvent): void {
    this.onCommitted?.();
    for (const listener of this.#listeners.get(event.type) ?? []) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => this.logger.error({ err: error, type: event.type }, 'integration event listener failed'));
    }
  }
}
