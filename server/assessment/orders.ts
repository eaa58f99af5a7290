/**
 * Orders SmartRecruiters places on the partner (seed 003 §3): `packageOrderUrl` (202) and
 * `inlineAssessmentPackageOrderUrl` (200 `{url}`).
 *
 * 1. The company is the bearer token's, never the body's: a body naming another company is refused
 *    (403) before anything is stored (T22).
 * 2. `resultCallbackURL` (and `completedAssessmentCallbackUrl`) must be on a SmartRecruiters origin;
 *    the order id is the UUID in its path (callback-urls.ts, T37).
 * 3. The same order id again is SR retrying: the stored order answers, nothing is stored twice, even
 *    for 50 identical requests at once (the insert is the check).
 * 4. The package must exist for the company (404), asked of the partner's catalogue.
 * 5. The order is stored, with its `assessment.order.created` event in the same transaction, before
 *    SR gets its answer; the partner's code hears of it by the event, never inside SR's request.
 * 6. Inline orders then ask the partner's `inlineOrderUrl` hook where the candidate goes, within the
 *    hook budget; the first URL given is kept, so a retry gets the same one.
 */
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { Cipher } from '../crypto/cipher.js';
import { AtsServerError, forbidden } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import type { Logger } from '../log.js';
import type { OrderRow, Store, TokenIntegration } from '../store/store.js';
import type { ResolvedAssessment } from './assessment-options.js';
import type { AssessmentOrder, OrderKind, OrderPersonalData } from './assessment-order.js';
import { checkCompletedCallbackUrl, checkResultCallbackUrl } from './callback-urls.js';
import { callHook } from './hook-call.js';
import { orderFromRow, personalDataBinding } from './order-rows.js';
import type { PackageCatalogue } from './package-catalogue.js';
import { firstIssue, InlineOrderRequest, OrderRequest } from './sr-assessment-types.js';

export interface OrderIntakeDeps {
  store: Store;
  cipher: Cipher;
  events: KitEvents;
  catalogue: PackageCatalogue;
  assessment: ResolvedAssessment;
  /** Origins the candidate's return URL may be on: the API base and the configured SR web origins. */
  srOrigins: readonly string[];
  /** SR's API origin: the only one a result URL may be on. */
  apiOrigin: string;
  /** Whether an inline-order URL may be http:// (demo and loopback only). */
  allowHttpUrls: boolean;
  logger: Logger;
  now: () => number;
}

export class OrderIntake {
  constructor(private readonly deps: OrderIntakeDeps) {}

  /** `packageOrderUrl`: stores the order and resolves when SR may have its 202. */
  async receive(integration: TokenIntegration, body: unknown): Promise<AssessmentOrder> {
    const order = parse(OrderRequest, body);
    return this.#store(integration, 'standard', order, null, {
      candidate: order.candidate,
      requester: order.requester ?? null,
      fields: order.fields ?? {},
    });
  }

  /** `inlineAssessmentPackageOrderUrl`: stores the order and answers where the candidate takes the assessment. */
  async receiveInline(integration: TokenIntegration, body: unknown): Promise<{ url: string }> {
    const hook = this.deps.assessment.inlineOrderUrl;
    if (!hook) throw new AtsServerError(404, AtsErrorCode.InlineOrdersNotOffered, 'This partner does not offer inline assessments.');
    const request = parse(InlineOrderRequest, body);
    const completed = checkCompletedCallbackUrl(request.completedAssessmentCallbackUrl, this.deps.srOrigins);
    const order = await this.#store(integration, 'inline', request, completed, { candidate: request.candidate, requester: null, fields: request.fields ?? {} });
    if (order.assessmentUrl) return { url: order.assessmentUrl };
    const outcome = await callHook(() => hook(order), this.deps.assessment.hookTimeoutMs);
    const url = outcome.ok ? this.#assessmentUrl(outcome.value) : null;
    if (!url) {
      this.deps.logger.error({ orderId: order.orderId, companyId: order.companyId, reason: outcome.ok ? 'invalid URL' : outcome.reason }, 'the inline order hook failed');
      // The order is stored: SR's retry of the same order asks the hook again.
      throw new AtsServerError(503, AtsErrorCode.CatalogueUnavailable, 'The assessment could not be prepared right now. Try again shortly.', {
        headers: { 'retry-after': '10' },
        retryable: true,
      });
    }
    return { url: (await this.deps.store.orders.setAssessmentUrl(order.orderId, url, this.deps.now())) ?? url };
  }

  async #store(
    integration: TokenIntegration,
    kind: OrderKind,
    request: OrderRequest | InlineOrderRequest,
    completedCallbackUrl: string | null,
    personal: OrderPersonalData,
  ): Promise<AssessmentOrder> {
    const { store, cipher, events, catalogue, now } = this.deps;
    if (request.companyId !== integration.company_id) {
      throw forbidden(AtsErrorCode.CompanyMismatch, 'The order names another company than the one this access token is for.');
    }
    const { url: resultCallbackUrl, orderId } = checkResultCallbackUrl(request.resultCallbackURL, this.deps.apiOrigin);
    const earlier = await store.orders.find(orderId);
    if (earlier) return this.#repeat(earlier, integration, kind);
    const packageId = request.assessmentPackageId;
    if (!(await catalogue.get({ companyId: integration.company_id, tenantId: integration.tenant_id, packageId }))) {
      throw new AtsServerError(404, AtsErrorCode.PackageNotFound, 'There is no package with this id for this company.');
    }
    const jobId = request.job?.id ?? request.jobId;
    if (!jobId) throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The order names no job (job.id or jobId).');
    const row = {
      order_id: orderId,
      integration_id: integration.id,
      company_id: integration.company_id,
      tenant_id: integration.tenant_id,
      kind,
      package_id: packageId,
      job_id: jobId,
      // SR's candidate id travels inside the encrypted personal data; the clear column stays empty.
      candidate_id: null,
      personal_data: cipher.encrypt(JSON.stringify(personal), personalDataBinding(orderId)),
      status: 'received' as const,
      result_callback_url: resultCallbackUrl,
      completed_callback_url: completedCallbackUrl,
      created_at: now(),
    };
    const { event, outbox } = events.createForOrder('assessment.order.created', {
      orderId,
      kind,
      companyId: row.company_id,
      tenantId: row.tenant_id,
      packageId,
      jobId,
    });
    const audit = { event: 'order', outcome: 'success', companyId: row.company_id, actor: 'smartrecruiters', detail: { orderId, kind, packageId } } as const;
    const { order: stored, created } = await store.orders.insert(row, now(), outbox, audit);
    if (!created) return this.#repeat(stored, integration, kind);
    events.publish(event);
    return orderFromRow(stored, cipher);
  }

  /** SR sending an order id again: the same order answers; another company's or kind's is a conflict. */
  #repeat(earlier: OrderRow, integration: TokenIntegration, kind: OrderKind): AssessmentOrder {
    if (earlier.company_id !== integration.company_id || earlier.kind !== kind) {
      throw new AtsServerError(409, AtsErrorCode.OrderConflict, 'An order with this id already exists for another company or order type.');
    }
    return orderFromRow(earlier, this.deps.cipher);
  }

  #assessmentUrl(value: unknown): string | null {
    if (typeof value !== 'string' || value.length > 2048) return null;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && this.deps.allowHttpUrls) ? url.href : null;
    } catch {
      return null;
    }
  }
}

function parse<T>(schema: v.GenericSchema<unknown, T>, body: unknown): T {
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) throw new AtsServerError(400, AtsErrorCode.InvalidInput, `The order is not valid: ${firstIssue(parsed.issues)}.`);
  return parsed.output;
}
