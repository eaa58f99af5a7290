/**
 * Events for the partner's own code. SmartRecruiters integrations: `integration.enabled`,
 * `integration.disabled`, `integration.failed`, `integration.contended` (another tenant tried to
 * approve a bound company), `integration.relinked`; provider connections: `connection.connected`,
 * `connection.needs_reconnect`, `connection.disconnected`; SmartRecruiters Assessment:
 * `assessment.order.created` (an order SR placed, stored before SR got its answer). Delivered in-process to listeners
 * registered with `kit.on(...)`, to the event feed the partner API serves, and, when a webhook is
 * configured, through the outbox to the partner's URL (see webhook-dispatcher.ts). No event carries a secret or a candidate's personal
 * data: the partner's code reads the order through `kit.assessment.orders.get`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { ConnectionRow, IntegrationRow, OutboxEvent } from '../store/store.js';

export type IntegrationEventType =
  | 'integration.enabled'
  | 'integration.disabled'
  | 'integration.failed'
  | 'integration.contended'
  | 'integration.relinked';
export type ConnectionEventType = 'connection.connected' | 'connection.needs_reconnect' | 'connection.disconnected';
export type AssessmentEventType =
  | 'assessment.order.created'
  | 'assessment.result.delivered'
  | 'assessment.result.failed'
  | 'assessment.attachment.delivered'
  | 'assessment.attachment.failed';
export type KitEventType = IntegrationEventType | ConnectionEventType | AssessmentEventType;

interface BaseEvent<TType extends KitEventType, TData> {
  id: string;
  type: TType;
  /** ISO 8601. */
  occurredAt: string;
  data: TData;
}

export type IntegrationEvent = BaseEvent<
  IntegrationEventType,
  {
    companyId: string;
    tenantId: string;
    srIntegrationId: string | null;
    /** integration.disabled: who disabled it. */
    disabledBy?: 'smartrecruiters' | 'partner';
    /** integration.failed: the ATS_* code the admin was shown. */
    errorCode?: string;
    /** integration.contended: the user of another tenant who tried to approve this company (refused, nothing sent). */
    contenderTenantId?: string;
    contenderUserId?: string;
    /** integration.relinked: the tenant the company was bound to before. */
    previousTenantId?: string;
  }
>;

export type ConnectionEvent = BaseEvent<
  ConnectionEventType,
  { connectionId: string; provider: string; tenantId: string; userId: string; errorCode?: string }
>;

export type AssessmentOrderEvent = BaseEvent<
  AssessmentEventType,
  {
    orderId: string;
    companyId: string;
    tenantId: string;
    /** assessment.order.created */
    kind?: 'standard' | 'inline';
    packageId?: string;
    jobId?: string;
    /** assessment.attachment.* */
    attachmentId?: string;
    /** assessment.result.* and assessment.attachment.*: SR's HTTP status and error codes. */
    srStatus?: number;
    srErrorCodes?: string[];
  }
>;

export type KitEvent = IntegrationEvent | ConnectionEvent | AssessmentOrderEvent;
export type KitEventListener<T extends KitEventType = KitEventType> = (
  event: T extends IntegrationEventType ? IntegrationEvent : T extends ConnectionEventType ? ConnectionEvent : AssessmentOrderEvent,
) => void | Promise<void>;

/** Events whose data carries another tenant's identifiers (`contenderTenantId`, `previousTenantId`). */
const NAMES_ANOTHER_TENANT: ReadonlySet<string> = new Set(['integration.contended', 'integration.relinked']);

export class KitEvents {
  readonly #listeners = new Map<KitEventType, Set<KitEventListener>>();
  /** Called after an event was committed, so the webhook dispatcher can deliver it right away. */
  onCommitted: (() => void) | undefined;

  constructor(
    private readonly logger: Logger,
    /** Whether events also go to the webhook outbox (a webhook is configured); every event goes to the feed. */
    private readonly webhook: boolean,
    private readonly now: () => number,
  ) {}

  on<T extends KitEventType>(type: T, listener: KitEventListener<T>): () => void {
    const listeners = this.#listeners.get(type) ?? new Set();
    listeners.add(listener as unknown as KitEventListener);
    this.#listeners.set(type, listeners);
    return () => listeners.delete(listener as unknown as KitEventListener);
  }

  /** Builds an event about an integration and, when a webhook is configured, its outbox row. */
  create(type: IntegrationEventType, row: Pick<IntegrationRow, 'company_id' | 'tenant_id' | 'sr_integration_id'>, extra: Partial<IntegrationEvent['data']> = {}) {
    return this.#wrap<IntegrationEvent>(type, { companyId: row.company_id, tenantId: row.tenant_id, srIntegrationId: row.sr_integration_id, ...extra });
  }

  /** Builds an event about a provider connection. */
  createForConnection(type: ConnectionEventType, row: Pick<ConnectionRow, 'id' | 'provider' | 'tenant_id' | 'user_id'>, errorCode?: string) {
    return this.#wrap<ConnectionEvent>(type, {
      connectionId: row.id,
      provider: row.provider,
      tenantId: row.tenant_id,
      userId: row.user_id,
      ...(errorCode ? { errorCode } : {}),
    });
  }

  /** Builds an event about an assessment order (identifiers only: no candidate data). */
  createForOrder(type: AssessmentEventType, data: AssessmentOrderEvent['data']) {
    return this.#wrap<AssessmentOrderEvent>(type, data);
  }

  /** Tells in-process listeners (a failing listener is logged, never breaks the caller). */
  publish(event: KitEvent): void {
    this.onCommitted?.();
    for (const listener of this.#listeners.get(event.type) ?? []) {
      Promise.resolve()
        .then(() => listener(event as never))
        .catch((error: unknown) => this.logger.error({ err: error, type: event.type }, 'event listener failed'));
    }
  }

  #wrap<E extends KitEvent>(type: E['type'], data: E['data']): { event: E; outbox?: OutboxEvent } {
    const event = { id: randomUUID(), type, occurredAt: new Date(this.now()).toISOString(), data } as E;
    // Every event is written to the event feed (GET /partner/v1/events); to the webhook outbox only
    // when a webhook is configured, so no undeliverable rows pile up there.
    // Events that name another tenant (a contender, a previous owner) are filed under no tenant, so
    // only unrestricted partner API keys read them: a tenant-restricted key must not learn another
    // tenant's identifiers from its own company's events.
    const tenantId = NAMES_ANOTHER_TENANT.has(type) ? null : data.tenantId;
    const outbox: OutboxEvent = { id: event.id, type, payload: JSON.stringify(event), tenantId, webhook: this.webhook };
    return { event, outbox };
  }
}
