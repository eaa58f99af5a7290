/**
 * How an assessment order looks in the partner API, and who may see one. Shared by the order,
 * result and SmartRecruiters-read operations so they answer the same shapes and the same 404.
 *
 * Personal data (seed 003 §3: the candidate and the requester are SR's users' and candidates'
 * data) is answered only where an order is read on its own (`GET /assessment/orders/{orderId}`):
 * a list carries identifiers and delivery states only, so paging through orders does not copy
 * every candidate's details into the caller's logs and caches.
 */
import * as v from 'valibot';
import type { ApiKeySummary } from '../../api-keys/api-keys.js';
import type { AssessmentApi, ResultDelivery } from '../../assessment/assessment-api.js';
import type { DeliverySummary, OrderRow, Store } from '../../store/store.js';
import { ProblemError } from '../problem.js';

const isoDate = v.pipe(v.string(), v.isoTimestamp());
const ORDER_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const orderParams = v.strictObject({
  orderId: v.pipe(v.string(), v.regex(ORDER_ID), v.description("SmartRecruiters' order id (a UUID).")),
});

export const DELIVERY_STATES = ['none', 'pending', 'delivered', 'failed'] as const;

export const DeliverySchema = v.pipe(
  v.strictObject({
    state: v.pipe(
      v.picklist(DELIVERY_STATES),
      v.description('none: no result sent yet; pending: on its way to SmartRecruiters (retried until it answers); delivered: SmartRecruiters holds every update; failed: SmartRecruiters refused the last one for good (lastStatus, lastError).'),
    ),
    attempts: v.pipe(v.number(), v.integer(), v.description('Attempts of the update now on its way.')),
    nextAttemptAt: v.pipe(v.nullable(isoDate), v.description('When the next attempt is due (pending only).')),
    lastStatus: v.pipe(v.nullable(v.pipe(v.number(), v.integer())), v.description("SmartRecruiters' HTTP status at the last attempt (0: not sent, the integration is not active).")),
    lastError: v.pipe(v.nullable(v.string()), v.description("SmartRecruiters' error at the last attempt: status and error codes, e.g. `HTTP 404 ORDER_NOT_FOUND`.")),
    deliveredAt: v.nullable(isoDate),
  }),
  v.title('ResultDelivery'),
);

const orderEntries = {
  orderId: v.string(),
  kind: v.picklist(['standard', 'inline']),
  companyId: v.string(),
  tenantId: v.string(),
  packageId: v.string(),
  jobId: v.string(),
  assessmentUrl: v.pipe(v.nullable(v.string()), v.description('Inline orders: where the candidate takes the assessment.')),
  createdAt: isoDate,
  updatedAt: isoDate,
  delivery: DeliverySchema,
};

export const OrderSummarySchema = v.pipe(v.strictObject(orderEntries), v.title('OrderSummary'));

const AttachmentSchema = v.strictObject({
  attachmentId: v.string(),
  filename: v.string(),
  state: v.picklist(['pending', 'delivered', 'failed']),
  srUrl: v.pipe(v.nullable(v.string()), v.description("SmartRecruiters' URL of the stored file, once delivered.")),
  lastStatus: v.nullable(v.pipe(v.number(), v.integer())),
  lastError: v.nullable(v.string()),
});

export const OrderSchema = v.pipe(
  v.strictObject({
    ...orderEntries,
    candidate: v.strictObject({
      id: v.pipe(v.nullable(v.string()), v.description("SmartRecruiters' candidate id (null for inline orders: SR sends none).")),
      email: v.string(),
      firstName: v.string(),
      lastName: v.string(),
      applicationLanguage: v.nullable(v.string()),
    }),
    requester: v.pipe(v.nullable(v.strictObject({ userId: v.string(), email: v.string() })), v.description('The SmartRecruiters user who ordered (standard orders).')),
    fields: v.pipe(v.record(v.string(), v.string()), v.description("Values SmartRecruiters' admins mapped to your fields.")),
    result: v.pipe(v.record(v.string(), v.unknown()), v.description('The PackageResult SmartRecruiters holds once every update is delivered (every update applied in order).')),
    history: v.pipe(
      v.array(v.strictObject({ updateId: v.string(), receivedAt: isoDate, update: v.record(v.string(), v.unknown()) })),
      v.description('Every result update accepted for this order, oldest first, as it was accepted (`assessmentDate` sent as `assessmentPackageDate`).'),
    ),
    attachments: v.array(AttachmentSchema),
  }),
  v.title('Order'),
);

/** The order as this key may see it, or the same 404 as an order that does not exist (no existence oracle). */
export async function visibleOrder(store: Store, key: ApiKeySummary | null, orderId: string): Promise<OrderRow> {
  const order = await store.orders.find(orderId.toLowerCase());
  if (!order || (key?.tenantId != null && order.tenant_id !== key.tenantId)) throw new ProblemError('not-found', 'There is no such assessment order.');
  return order;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** A delivery row's summary (or none) as the API answers it; `nextAttemptAt` only while something waits. */
export function deliveryJson(row: DeliverySummary | null): v.InferOutput<typeof DeliverySchema> {
  if (!row) return { state: 'none', attempts: 0, nextAttemptAt: null, lastStatus: null, lastError: null, deliveredAt: null };
  return {
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
  };
}

export function orderSummaryJson(order: OrderRow, delivery: DeliverySummary | null): v.InferOutput<typeof OrderSummarySchema> {
  return {
    orderId: order.order_id,
    kind: order.kind,
    companyId: order.company_id,
    tenantId: order.tenant_id,
    packageId: order.package_id,
    jobId: order.job_id,
    assessmentUrl: order.assessment_url,
    createdAt: iso(order.created_at)!,
    updatedAt: iso(Math.max(order.updated_at, delivery?.updated_at ?? 0))!,
    delivery: deliveryJson(delivery),
  };
}

/** The in-process delivery view (kit.assessment.delivery) in the API's shape. */
export function deliveryFromView(view: ResultDelivery | undefined): v.InferOutput<typeof DeliverySchema> {
  if (!view || view.state === 'none') return deliveryJson(null);
  return {
    state: view.state,
    attempts: view.attempts,
    nextAttemptAt: view.nextAttemptAt?.toISOString() ?? null,
    lastStatus: view.lastStatus,
    lastError: view.lastError,
    deliveredAt: view.deliveredAt?.toISOString() ?? null,
  };
}

/** One order with everything it needs: the candidate, the requester, the result and its history. */
export async function orderJson(store: Store, assessment: AssessmentApi, row: OrderRow): Promise<v.InferOutput<typeof OrderSchema>> {
  const [order, view, history, delivery] = await Promise.all([
    assessment.orders.get(row.order_id),
    assessment.delivery(row.order_id),
    assessment.resultHistory(row.order_id),
    store.results.find(row.order_id),
  ]);
  const { candidate, requester, fields } = order!;
  return {
    ...orderSummaryJson(row, delivery ?? null),
    delivery: deliveryFromView(view),
    candidate: {
      id: candidate.id ?? null,
      email: candidate.email,
      firstName: candidate.firstName,
      lastName: candidate.lastName,
      applicationLanguage: candidate.applicationLanguage ?? null,
    },
    requester,
    fields,
    result: view?.result ?? {},
    history: history.map((entry) => ({ updateId: entry.updateId, receivedAt: entry.receivedAt.toISOString(), update: entry.update })),
    attachments: view?.attachments ?? [],
  };
}
