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
import { attachmentBinding, attachmentNameBinding, resultBinding } from './result-updates.js';
import { retryAfterMs, type SmartRecruitersCustomerApi, type SrAnswer } from './sr-customer-api.js';

/**
 * The company lease: short, renewed every quarter of it while the holder delivers, so a crashed
 * holder's companies are free for another instance within seconds.
 */
const LEASE_MS = 15_000;
const POLL_MS = 2_000;
/**
 * An attempt may be out this long (token, gate wait, SR's answer) before another deliverer may start
 * one: after a crash mid-attempt, that update waits this long, rather than risk a stalled attempt
 * overtaking a newer one at SR.
 */
const ATTEMPT_WINDOW_MS = 120_000;
const COMPANIES_PER_DRAIN = 20;
/** Rows read from the store at a time, and workers per company (the gate decides what actually starts). */
const BATCH = 16;
const WORKERS = 8;
/**
 * Retried: 408, 429 and 5xx (and timeouts, dropped connections). Any other 4xx is SR refusing the
 * request (providers.md §1.4.3 documents 400, 404 and 415; 401 after a renewed token, 403, 405, 413
 * and 422 will not change by waiting either): dropped, with an event.
 */
const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

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

  readonly #companies = new Map<string, Promise<void>>();
  /** Companies being delivered here that were woken since their delivery last read the store: it reads again before it ends. */
  readonly #woken = new Set<string>();

  /**
   * New work of `companyId` was committed. When this instance is delivering that company already,
   * its delivery reads the store once more before it ends (no query here); otherwise a drain. Under
   * a stream of result updates this keeps the due-companies query from running once per update.
   */
  wakeFor(companyId: string): void {
    if (this.#companies.has(companyId)) this.#woken.add(companyId);
    else this.wake();
  }

  /** Starts delivering each company with due work that is not already being delivered here; one slow company delays no other. */
  async #drain(): Promise<void> {
    const companies = await this.deps.store.results.dueCompanies(this.deps.now(), COMPANIES_PER_DRAIN);
    for (const companyId of companies) {
      if (this.#companies.has(companyId)) continue;
      const run = this.#deliverCompany(companyId)
        .catch((error: unknown) => this.deps.logger.error({ err: error, companyId }, 'result delivery failed for a company'))
        .finally(() => {
          this.#companies.delete(companyId);
          // Woken after its workers last looked (or as they ended): look again.
          if (this.#woken.delete(companyId)) this.wake();
        });
      this.#companies.set(companyId, run);
    }
  }

  /** How to hand back each company lease held here, while its delivery runs. */
  readonly #handBacks = new Map<string, () => Promise<void>>();

  /**
   * Hands back every company lease this instance holds, at once, so another instance can deliver
   * those companies without waiting for the lease to lapse (graceful shutdown past its deadline).
   * Deliveries still running here stop taking work.
   */
  async handBackLeases(): Promise<void> {
    await Promise.all([...this.#handBacks.values()].map((handBack) => handBack()));
  }

  /** Resolves when no company's delivery is in progress here (tests, shutdown). */
  override async idle(): Promise<void> {
    await super.idle();
    while (this.#companies.size > 0) await Promise.all(this.#companies.values());
  }

  /**
   * A pool of workers, one per slot the gate may fill, takes the company's due work from a queue
   * refilled from the store, so a slow answer holds one slot, not a whole batch. An order being sent
   * is never taken again until SR answered (its next patch waits: in order per order).
   */
  async #deliverCompany(companyId: string): Promise<void> {
    const { store, now, logger } = this.deps;
    if (!(await store.results.acquireCompanyLease(companyId, this.#owner, now() + LEASE_MS, now()))) return;
    let leaseLost = false;
    let delivering = true;
    // Renewed on a clock, not between tasks: slow answers must not let the lease lapse under them.
    // The next renewal is set once the previous one answered, so two never overlap (an overlapping
    // pair could read each other's expiry and report a loss); only another owner holding the lease
    // is a loss — a failed renewal is tried again at the next tick, until the lease's end.
    let renewal: NodeJS.Timeout | undefined;
    let renewing: Promise<unknown> | undefined;
    let heldUntil = now() + LEASE_MS;
    const renewLater = () => {
      renewal = setTimeout(() => {
        const until = now() + LEASE_MS;
        renewing = store.results.acquireCompanyLease(companyId, this.#owner, until, now()).then(
          (held) => {
            leaseLost ||= !held;
            if (held) heldUntil = until;
            if (delivering && !leaseLost) renewLater();
          },
          () => {
            // Renewals failing past the lease's end: another instance may hold it now.
            if (now() >= heldUntil) leaseLost = true;
            else if (delivering) renewLater();
          },
        );
      }, LEASE_MS / 4);
      renewal.unref();
    };
    renewLater();
    // Shutdown past its deadline (kit.drain): the lease goes back now, whatever is still out. An
    // attempt still out is safe from a new holder: its order stays busy for ATTEMPT_WINDOW_MS.
    this.#handBacks.set(companyId, async () => {
      delivering = false;
      leaseLost = true;
      clearTimeout(renewal);
      await renewing;
      await store.results.releaseCompanyLease(companyId, this.#owner);
    });
    const busy = new Set<string>();
    const queue: Array<{ id: string; run: () => Promise<void> }> = [];
    let refilling: Promise<void> | undefined;
    const queued = (id: string) => busy.has(id) || queue.some((task) => task.id === id);
    const refill = () =>
      (refilling ??= (async () => {
        this.#woken.delete(companyId);
        const [patches, files] = await Promise.all([store.results.dueForCompany(companyId, now(), BATCH), store.results.dueAttachments(companyId, now(), 4)]);
        for (const row of patches) if (!queued(row.order_id)) queue.push({ id: row.order_id, run: () => this.#sendPatch(row) });
        for (const file of files) if (!queued(file.id)) queue.push({ id: file.id, run: () => this.#sendAttachment(file) });
      })().finally(() => (refilling = undefined)));
    const worker = async () => {
      while (!this.stopped && !leaseLost) {
        if (queue.length === 0) await refill();
        const task = queue.shift();
        if (!task) {
          if (this.#woken.has(companyId)) continue; // woken during that read: read again
          return;
        }
        busy.add(task.id);
        try {
          await task.run();
        } catch (error) {
          // One order's trouble (a store error, a broken ciphertext) is logged; the others go on.
          logger.error({ err: error, companyId }, 'a result could not be delivered');
        } finally {
          busy.delete(task.id);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, worker));
    } finally {
      this.#handBacks.delete(companyId);
      delivering = false;
      clearTimeout(renewal);
      await renewing; // a renewal still out would take the lease back after the release
      if (!leaseLost) await store.results.releaseCompanyLease(companyId, this.#owner);
    }
  }

  async #sendPatch(row: ResultDeliveryRow): Promise<void> {
    const { store, cipher, events, sr, now } = this.deps;
    const [order, integration] = await Promise.all([store.orders.find(row.order_id), store.integrations.findByCompany(row.company_id)]);
    if (!order) return;
    const open = (column: string, sealed: string | null) => (sealed ? (JSON.parse(cipher.decrypt(sealed, resultBinding(row.order_id, column))) as JsonObject) : {});
    const patch = composeMergePatches(open('sending_patch', row.sending_patch), open('pending_patch', row.pending_patch));
    const sealed = cipher.encrypt(JSON.stringify(patch), resultBinding(row.order_id, 'sending_patch'));
    const attempt = randomUUID();
    if (!(await store.results.beginAttempt(row.order_id, row.version, sealed, attempt, now() + ATTEMPT_WINDOW_MS, now()))) return; // changed or busy: a later round sends it
    const ids = { orderId: order.order_id, companyId: order.company_id, tenantId: order.tenant_id };
    // A company now connected to another tenant: its credentials are not this order's tenant's to use.
    const outcome: Outcome =
      integration?.tenant_id === order.tenant_id
        ? await this.#attempt(() => sr.patchResults(order.company_id, order.result_callback_url, patch))
        : { kind: 'refused', status: 0, codes: [AtsErrorCode.CompanyBound], error: 'the company is now connected to another tenant' };
    if (outcome.kind === 'delivered') {
      const { event, outbox } = events.createForOrder('assessment.result.delivered', { ...ids, srStatus: outcome.status });
      await store.results.markDelivered(row.order_id, attempt, outcome.status, now(), outbox);
      events.publish(event);
    } else if (outcome.kind === 'refused') {
      const { event, outbox } = events.createForOrder('assessment.result.failed', { ...ids, srStatus: outcome.status, srErrorCodes: outcome.codes });
      await store.results.markFailed(row.order_id, attempt, outcome.status, outcome.error, now(), outbox);
      events.publish(event);
      this.deps.logger.warn({ orderId: order.order_id, companyId: order.company_id, status: outcome.status, codes: outcome.codes }, 'SmartRecruiters refused a result');
    } else {
      await store.results.markRetry(row.order_id, attempt, now() + outcome.waitMs(row.attempts + 1), outcome.status, outcome.error, now());
      this.schedule(Math.max(outcome.waitMs(row.attempts + 1), 50));
    }
  }

  async #sendAttachment(file: Omit<ResultAttachmentRow, 'data'>): Promise<void> {
    const { store, cipher, events, sr, now } = this.deps;
    const attempt = randomUUID();
    if (!(await store.results.claimAttachment(file.id, attempt, now() + ATTEMPT_WINDOW_MS, now()))) return;
    const [order, stored] = await Promise.all([store.orders.find(file.order_id), store.results.findAttachment(file.id)]);
    if (!order || !stored?.data) return;
    const data = Buffer.from(cipher.decrypt(Buffer.from(stored.data).toString('utf8'), attachmentBinding(file.id)), 'base64');
    const ids = { orderId: order.order_id, companyId: order.company_id, tenantId: order.tenant_id, attachmentId: file.id };
    const outcome = await this.#attempt(() =>
      sr.addAttachment(order.company_id, `${order.result_callback_url.replace(/\/$/, '')}/attachment`, { filename: cipher.decrypt(file.filename, attachmentNameBinding(file.id)), contentType: file.content_type, data }),
    );
    if (outcome.kind === 'delivered') {
      const url = typeof (outcome.body as { url?: unknown } | undefined)?.url === 'string' ? String((outcome.body as { url: string }).url) : '';
      const { event, outbox } = events.createForOrder('assessment.attachment.delivered', { ...ids, srStatus: outcome.status });
      await store.results.attachmentDelivered(file.id, attempt, url, outcome.status, now(), outbox);
      events.publish(event);
    } else if (outcome.kind === 'refused') {
      const { event, outbox } = events.createForOrder('assessment.attachment.failed', { ...ids, srStatus: outcome.status, srErrorCodes: outcome.codes });
      await store.results.attachmentFailed(file.id, attempt, outcome.status, outcome.error, now(), outbox);
      events.publish(event);
    } else {
      await store.results.attachmentRetry(file.id, attempt, now() + outcome.waitMs(file.attempts + 1), outcome.status, outcome.error);
      this.schedule(Math.max(outcome.waitMs(file.attempts + 1), 50));
    }
  }

  /** One call to SR, read as: delivered, refused for good, or to be retried after a wait. */
  async #attempt(call: () => Promise<SrAnswer>): Promise<Outcome> {
    let answer: SrAnswer;
    try {
      answer = await call();
    } catch (error) {
      if (error instanceof OutboundError && error.status !== undefined && error.status >= 200 && error.status < 300) {
        // SR took it (2xx) and answered something unreadable: sending again would duplicate an attachment.
        return { kind: 'delivered', status: error.status, body: undefined };
      }
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
    if (isPermanent(response.status)) return { kind: 'refused', status: response.status, codes, error };
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
