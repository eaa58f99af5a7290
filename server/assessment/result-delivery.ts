/**
 * Delivers results and attachments to SmartRecruiters, durably (seed 003 §5; issue 8):
 *
 * 1. One instance at a time delivers a company's results (a lease in the store), through the
 *    company's rate gate, so SR's 10/s and 8-at-once per credential hold across instances.
 * 2. Per order, an attempt sends the patches not yet delivered as one merge patch (what an earlier,
 *    unanswered attempt sent, composed with anything newer), and the next attempt starts only after
 *    SR answered this one: an older status never overtakes a newer one.
 * 3. 2xx → delivered (`assessment.result.delivered`). 400/404/415 → SR refuses it for good: the patch
 *    is dropped and `assessment.result.failed` fires with SR's status and codes. 429, 5xx, a timeout
 *    or a dropped connection → retried with capped exponential backoff and full jitter, honouring
 *    `Retry-After` and `X-RateLimit-Remaining`. Nothing is lost: the patch stays in the store until
 *    SR answers, across restarts and `kill -9`.
 */
import { randomUUID } from 'node:crypto';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { Cipher } from '../crypto/cipher.js';
import { AtsServerError } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import type { Logger } from '../log.js';
import { OutboundError } from '../oauth/outbound.js';
import { backoffMs, DeliveryLoop } from '../outbox/delivery-loop.js';
import type { ResultAttachmentRow, ResultDeliveryRow, Store } from '../store/store.js';
import { composeMergePatches, type JsonObject } from './merge-patch.js';
import { attachmentBinding, resultBinding } from './result-updates.js';
import { retryAfterMs, type SmartRecruitersCustomerApi, type SrAnswer } from './sr-customer-api.js';

const LEASE_MS = 60_000;
const POLL_MS = 2_000;
const COMPANIES_PER_DRAIN = 20;
/** Rows read from the store at a time, and workers per company (the gate decides what actually starts). */
const BATCH = 16;
const WORKERS = 8;
/** SR refuses these for good (providers.md §1.4.3: 400 invalid, 404 no such order, 415 format). */
const PERMANENT = new Set([400, 404, 415]);

export interface ResultDeliveryDeps {
  store: Store;
  cipher: Cipher;
  events: KitEvents;
  sr: SmartRecruitersCustomerApi;
  logger: Logger;
  now: () => number;
}

export class ResultDelivery extends DeliveryLoop {
  readonly #owner = randomUUID();

  constructor(private readonly deps: ResultDeliveryDeps) {
    super({
      drain: () => this.#drain(),
      pollMs: POLL_MS,
      onError: (error) => deps.logger.error({ err: error }, 'result delivery could not read the store'),
    });
  }

  async #drain(): Promise<void> {
    const companies = await this.deps.store.results.dueCompanies(this.deps.now(), COMPANIES_PER_DRAIN);
    await Promise.all(companies.map((companyId) => this.#deliverCompany(companyId)));
  }

  /**
   * A pool of workers, one per slot the gate may fill, takes the company's due work from a queue
   * refilled from the store, so a slow answer holds one slot, not a whole batch. An order being sent
   * is never taken again until SR answered (its next patch waits: in order per order).
   */
  async #deliverCompany(companyId: string): Promise<void> {
    const { store, now } = this.deps;
    if (!(await store.results.acquireCompanyLease(companyId, this.#owner, now() + LEASE_MS, now()))) return;
    const busy = new Set<string>();
    const queue: Array<{ id: string; run: () => Promise<void> }> = [];
    let refilling: Promise<void> | undefined;
    let leaseRenewedAt = now();
    const refill = () =>
      (refilling ??= (async () => {
        if (now() - leaseRenewedAt > LEASE_MS / 3) {
          if (!(await store.results.acquireCompanyLease(companyId, this.#owner, now() + LEASE_MS, now()))) return; // lost it: stop
          leaseRenewedAt = now();
        }
        const [patches, files] = await Promise.all([store.results.dueForCompany(companyId, now(), BATCH), store.results.dueAttachments(companyId, now(), 4)]);
        for (const row of patches) if (!busy.has(row.order_id) && !queue.some((task) => task.id === row.order_id)) queue.push({ id: row.order_id, run: () => this.#sendPatch(row) });
        for (const file of files) if (!busy.has(file.id) && !queue.some((task) => task.id === file.id)) queue.push({ id: file.id, run: () => this.#sendAttachment(file) });
      })().finally(() => (refilling = undefined)));
    const worker = async () => {
      while (!this.stopped) {
        if (queue.length === 0) await refill();
        const task = queue.shift();
        if (!task) return;
        busy.add(task.id);
        try {
          await task.run();
        } finally {
          busy.delete(task.id);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, worker));
    } finally {
      await store.results.releaseCompanyLease(companyId, this.#owner);
    }
  }

  async #sendPatch(row: ResultDeliveryRow): Promise<void> {
    const { store, cipher, events, sr, now } = this.deps;
    const order = await store.orders.find(row.order_id);
    if (!order) return;
    const open = (column: string, sealed: string | null) => (sealed ? (JSON.parse(cipher.decrypt(sealed, resultBinding(row.order_id, column))) as JsonObject) : {});
    const patch = composeMergePatches(open('sending_patch', row.sending_patch), open('pending_patch', row.pending_patch));
    const sealed = cipher.encrypt(JSON.stringify(patch), resultBinding(row.order_id, 'sending_patch'));
    if (!(await store.results.beginAttempt(row.order_id, row.version, sealed, now()))) return; // changed meanwhile: the next round sends it
    const ids = { orderId: order.order_id, companyId: order.company_id, tenantId: order.tenant_id };
    const outcome = await this.#attempt(() => sr.patchResults(order.company_id, order.result_callback_url, patch));
    if (outcome.kind === 'delivered') {
      const { event, outbox } = events.createForOrder('assessment.result.delivered', { ...ids, srStatus: outcome.status });
      await store.results.markDelivered(row.order_id, outcome.status, now(), outbox);
      events.publish(event);
    } else if (outcome.kind === 'refused') {
      const { event, outbox } = events.createForOrder('assessment.result.failed', { ...ids, srStatus: outcome.status, srErrorCodes: outcome.codes });
      await store.results.markFailed(row.order_id, outcome.status, outcome.error, now(), outbox);
      events.publish(event);
      this.deps.logger.warn({ orderId: order.order_id, companyId: order.company_id, status: outcome.status, codes: outcome.codes }, 'SmartRecruiters refused a result');
    } else {
      await store.results.markRetry(row.order_id, now() + outcome.waitMs(row.attempts + 1), outcome.status, outcome.error, now());
      this.schedule(Math.max(outcome.waitMs(row.attempts + 1), 50));
    }
  }

  async #sendAttachment(file: Omit<ResultAttachmentRow, 'data'>): Promise<void> {
    const { store, cipher, events, sr, now } = this.deps;
    const [order, stored] = await Promise.all([store.orders.find(file.order_id), store.results.findAttachment(file.id)]);
    if (!order || !stored?.data) return;
    const data = Buffer.from(cipher.decrypt(Buffer.from(stored.data).toString('utf8'), attachmentBinding(file.id)), 'base64');
    const ids = { orderId: order.order_id, companyId: order.company_id, tenantId: order.tenant_id, attachmentId: file.id };
    const outcome = await this.#attempt(() =>
      sr.addAttachment(order.company_id, `${order.result_callback_url.replace(/\/$/, '')}/attachment`, { filename: file.filename, contentType: file.content_type, data }),
    );
    if (outcome.kind === 'delivered') {
      const url = typeof (outcome.body as { url?: unknown } | undefined)?.url === 'string' ? String((outcome.body as { url: string }).url) : '';
      const { event, outbox } = events.createForOrder('assessment.attachment.delivered', { ...ids, srStatus: outcome.status });
      await store.results.attachmentDelivered(file.id, url, outcome.status, now(), outbox);
      events.publish(event);
    } else if (outcome.kind === 'refused') {
      const { event, outbox } = events.createForOrder('assessment.attachment.failed', { ...ids, srStatus: outcome.status, srErrorCodes: outcome.codes });
      await store.results.attachmentFailed(file.id, outcome.status, outcome.error, now(), outbox);
      events.publish(event);
    } else {
      await store.results.attachmentRetry(file.id, now() + outcome.waitMs(file.attempts + 1), outcome.status, outcome.error);
      this.schedule(Math.max(outcome.waitMs(file.attempts + 1), 50));
    }
  }

  /** One call to SR, read as: delivered, refused for good, or to be retried after a wait. */
  async #attempt(call: () => Promise<SrAnswer>): Promise<Outcome> {
    let answer: SrAnswer;
    try {
      answer = await call();
    } catch (error) {
      if (error instanceof AtsServerError && error.code === AtsErrorCode.NotActive) {
        // No SR credentials to send with (disabled, or SR's own were lost at the exchange): nothing will change by waiting.
        return { kind: 'refused', status: 0, codes: [error.code], error: 'the integration is not active' };
      }
      const reason = error instanceof OutboundError ? error.kind : error instanceof Error ? error.message : 'failed';
      this.deps.logger.warn({ reason }, 'a result could not reach SmartRecruiters; will retry');
      return { kind: 'retry', status: error instanceof OutboundError ? (error.status ?? null) : null, error: String(reason), waitMs: (attempts) => backoffMs(attempts) };
    }
    const { response, body } = answer;
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status, body };
    const codes = srCodes(body);
    const error = `HTTP ${response.status}${codes.length ? ` ${codes.join(',')}` : ''}`;
    if (PERMANENT.has(response.status)) return { kind: 'refused', status: response.status, codes, error };
    const retryAfter = response.status === 429 ? retryAfterMs(response) : undefined;
    return { kind: 'retry', status: response.status, error, waitMs: (attempts) => retryAfter ?? backoffMs(attempts, response.status === 429 ? 1_000 : 500) };
  }
}

type Outcome =
  | { kind: 'delivered'; status: number; body: unknown }
  | { kind: 'refused'; status: number; codes: string[]; error: string }
  | { kind: 'retry'; status: number | null; error: string; waitMs: (attempts: number) => number };

function srCodes(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((entry) => (entry as { code?: unknown }).code)
    .filter((code): code is string => typeof code === 'string')
    .map((code) => code.replace(/[^\w.-]/g, '?').slice(0, 64))
    .slice(0, 5);
}
