/**
 * Results and attachments back to SmartRecruiters (issue 14 item 2; seed 003 §5): the HTTP face of
 * `kit.assessment.updateResult` and `addAttachment`, with the same validation, merge and durable
 * delivery (result-updates.ts, result-delivery.ts). Both answer 202 once the update or the file is
 * committed: delivery to SR happens afterwards, retried until SR answers, and its outcome shows in
 * the order's `delivery` (and `attachments`) and in the `assessment.result.*` events.
 */
import * as v from 'valibot';
import type { AssessmentApi } from '../../assessment/assessment-api.js';
import type { ResultUpdates } from '../../assessment/result-updates.js';
import { ResultPatch } from '../../assessment/sr-assessment-types.js';
import type { Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { ProblemError } from '../problem.js';
import { DeliverySchema, orderParams, visibleOrder } from './order-view.js';

export interface ResultOperationDeps {
  store: Store;
  assessment: AssessmentApi;
  /** What `assessment.updateResult` runs, for an order already read here. */
  results: ResultUpdates;
  /** `assessment.maxAttachmentBytes`. */
  maxAttachmentBytes: number;
  /** `<prefix>/partner/v1`, for Location headers. */
  basePath: string;
}

/** Every PDF starts with this (ISO 32000-1 §7.5.2); anything else sent as application/pdf is not one. */
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

export function resultOperations({ store, assessment, results, maxAttachmentBytes, basePath }: ResultOperationDeps): PartnerOperation[] {
  const location = (orderId: string) => `${basePath}/assessment/orders/${orderId}`;
  return [
    defineOperation({
      id: 'updateAssessmentResult',
      method: 'patch',
      path: '/assessment/orders/{orderId}/result',
      tag: 'assessment',
      summary: "Send (part of) the order's result to SmartRecruiters",
      description:
        "A JSON Merge Patch (RFC 7396) of SmartRecruiters' PackageResult: set fields, `null` removes one. Validated like SmartRecruiters validates it; `assessmentDate` is sent as `assessmentPackageDate`. Updates not yet delivered are merged into one, so SmartRecruiters never sees an older status after a newer one. Answers 202 once committed; delivery follows, retried until SmartRecruiters answers (see the order's `delivery`).",
      scopes: ['write'],
      params: orderParams,
      body: ResultPatch,
      // RFC 7396 §4 registers application/merge-patch+json for exactly this; plain JSON is what most generated clients send.
      bodyMediaTypes: ['application/merge-patch+json', 'application/json'],
      responses: {
        202: {
          description: 'Committed and queued for SmartRecruiters.',
          headers: { Location: 'The order, to follow the delivery.' },
          schema: v.strictObject({
            orderId: v.string(),
            updateId: v.pipe(v.string(), v.description("This update's id in the order's result history.")),
            delivery: DeliverySchema,
            result: v.pipe(v.record(v.string(), v.unknown()), v.description('What SmartRecruiters holds once every update is delivered.')),
          }),
        },
      },
      problems: ['not-found', 'not-active', 'conflict'],
      async handle({ params, body, key }) {
        const order = await visibleOrder(store, key, params.orderId);
        // assessment.updateResult on the order just read; the delivery as this update's commit left it.
        const { updateId, result, delivery } = await results.updateOrderResult(order, body);
        return {
          status: 202,
          headers: { location: location(order.order_id) },
          body: {
            orderId: order.order_id,
            updateId,
            delivery: { ...delivery, nextAttemptAt: delivery.nextAttemptAt.toISOString(), deliveredAt: delivery.deliveredAt?.toISOString() ?? null },
            result,
          },
        };
      },
    }),
    defineOperation({
      id: 'addAssessmentAttachment',
      method: 'post',
      path: '/assessment/orders/{orderId}/attachments',
      tag: 'assessment',
      summary: 'Attach a PDF report to the order at SmartRecruiters',
      description:
        'The PDF itself (`Content-Type: application/pdf`, its name in `Content-Disposition: attachment; filename="report.pdf"`), or `multipart/form-data` with one part `file`. Kept until SmartRecruiters confirms it, then only its URL at SmartRecruiters is kept. SmartRecruiters takes no attachments for inline orders (409): send a link in the result\'s `attachments` instead.',
      scopes: ['write'],
      params: orderParams,
      // Read by the router with the file (operation.ts FileBody); declared here so the document shows it.
      headers: v.object({
        'Content-Disposition': v.optional(
          v.pipe(v.string(), v.maxLength(1024), v.description('With a raw PDF: `attachment; filename="report.pdf"` names the file at SmartRecruiters (default `attachment.pdf`).')),
        ),
      }),
      fileBody: { fileTypes: ['application/pdf'], multipartField: 'file', maxBytes: maxAttachmentBytes, description: 'A PDF.' },
      responses: {
        202: {
          description: 'Stored and queued for SmartRecruiters.',
          headers: { Location: 'The order, to follow the attachment.' },
          schema: v.strictObject({ orderId: v.string(), attachmentId: v.string(), state: v.picklist(['pending']) }),
        },
      },
      problems: ['not-found', 'not-active', 'conflict'],
      async handle({ params, file, key }) {
        const order = await visibleOrder(store, key, params.orderId);
        if (!file || !Buffer.from(file.data.buffer, file.data.byteOffset, Math.min(file.data.length, PDF_MAGIC.length)).equals(PDF_MAGIC)) {
          throw new ProblemError('unsupported-media-type', 'The file is not a PDF (it does not start with %PDF-).', { errors: [{ in: 'body', field: '', detail: 'not a PDF' }] });
        }
        const { attachmentId } = await assessment.addAttachment(order.order_id, { filename: file.filename ?? 'attachment.pdf', contentType: file.contentType, data: file.data });
        return { status: 202, headers: { location: location(order.order_id) }, body: { orderId: order.order_id, attachmentId, state: 'pending' as const } };
      },
    }),
  ];
}
