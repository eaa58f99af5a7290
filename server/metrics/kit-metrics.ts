/**
 * The kit's metrics in the Prometheus text exposition format (issue 14 item 6), with prom-client on
 * a registry of the kit's own (not prom-client's global one: several kits in one process, as in
 * tests, must not count into each other).
 *
 * Labels are closed sets only, so no series can carry a secret, a token, a candidate's data or a
 * path somebody typed: the partner API's operation id (from the operation list; `unmatched` for
 * anything else), the HTTP method and status, the queue's name, and the provider id from the
 * configuration. Never a raw path, a company id or an API key id.
 *
 * The backlog gauges are read from the database when scraped, so every instance reports the same
 * shared queues (sum or max them across instances with care: they are not per instance).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BacklogStore, QueueBacklog } from '../store/store.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const QUEUES = {
  webhooks: (backlog: BacklogStore) => backlog.webhooks(),
  sr_results: (backlog: BacklogStore) => backlog.srResults(),
  sr_attachments: (backlog: BacklogStore) => backlog.srAttachments(),
} as const;

/** Methods named in the label; any other becomes `other`, so the set stays closed. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export class KitMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'operation' | 'method' | 'status'>;
  readonly #duration: Histogram<'operation'>;
  readonly #srRateLimited: Counter;
  readonly #refreshes: Counter<'provider' | 'outcome'>;

  constructor(backlog: BacklogStore, now: () => number) {
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'ats_partner_api_requests_total',
      help: 'Partner API requests answered, by operation id, method and status.',
      labelNames: ['operation', 'method', 'status'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'ats_partner_api_request_duration_seconds',
      help: 'Time to answer a partner API request, by operation id.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.#srRateLimited = new Counter({ name: 'ats_sr_rate_limited_total', help: 'Answers 429 received from SmartRecruiters.', registers });
    this.#refreshes = new Counter({
      name: 'ats_provider_token_refreshes_total',
      help: 'Provider token refreshes by provider id and outcome (success, failure, invalid_grant).',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    // Read at scrape time: one aggregate query per queue.
    let reading: Promise<Array<[string, QueueBacklog]>> | undefined;
    const read = () =>
      (reading ??= Promise.all(Object.entries(QUEUES).map(async ([queue, query]) => [queue, await query(backlog)] as [string, QueueBacklog])).finally(() => (reading = undefined)));
    new Gauge({
      name: 'ats_outbox_depth',
      help: 'Items waiting for delivery, by queue (webhooks, sr_results, sr_attachments); shared by every instance on the database.',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, { depth }] of await read()) this.set({ queue }, depth);
      },
    });
    new Gauge({
      name: 'ats_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest item waiting for delivery, by queue; 0 when none waits.',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        const at = now();
        for (const [queue, { oldestAt }] of await read()) this.set({ queue }, oldestAt === null ? 0 : Math.max(0, (at - oldestAt) / 1000));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** One partner API answer. `operation` is an operation id or `unmatched`, never a path. */
  partnerRequest(operation: string, method: string, status: number, seconds: number): void {
    this.#requests.inc({ operation, method: METHODS.has(method) ? method : 'other', status: String(status) });
    this.#duration.observe({ operation }, seconds);
  }

  srRateLimited(): void {
    this.#srRateLimited.inc();
  }

  providerRefresh(providerId: string, outcome: 'success' | 'failure' | 'invalid_grant'): void {
    this.#refreshes.inc({ provider: providerId, outcome });
  }

  /** The exposition text; rejects when the database cannot be read (the scrape fails, which is itself the signal). */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
