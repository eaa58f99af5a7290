/**
 * Assessment orders (issue 14 item 2): the orders SmartRecruiters placed (seed 003 §3), a page at a
 * time and one by one, each with the state of its result delivery (seed 003 §5: pending until SR
 * answered, delivered, or failed with SR's status and codes, and when the next attempt is due).
 *
 * Oldest first, by creation time then order id: a keyset cursor, stable while new orders arrive,
 * so a partner can page to the end and later continue with `created_after` or `updated_after`.
 * A tenant-restricted key lists only its tenant's orders, and another tenant's order is 404.
 */
import * as v from 'valibot';
import { COMPANY_ID_PATTERN } from '../../../widget/protocol/http.js';
import type { AssessmentApi } from '../../assessment/assessment-api.js';
import type { Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { cursorSchema, decodeCursor, encodeCursor, limitSchema } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { DELIVERY_STATES, orderJson, orderParams, OrderSchema, orderSummaryJson, OrderSummarySchema, visibleOrder } from './order-view.js';

export interface OrderOperationDeps {
  store: Store;
  assessment: AssessmentApi;
}

const instant = (description: string) => v.optional(v.pipe(v.string(), v.isoTimestamp(), v.description(description)));

/** The cursor's sort key: creation time and order id of the last order of the page. */
function afterKey(cursor: string): { createdAt: number; orderId: string } {
  const key = decodeCursor(cursor);
  const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(key);
  if (!match) throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued: pass `next_cursor` back unchanged.', { errors: [{ in: 'query', field: 'cursor', detail: 'not a cursor this API issued' }] });
  return { createdAt: Number(match[1]), orderId: match[2]! };
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function orderOperations({ store, assessment }: OrderOperationDeps): PartnerOperation[] {
  return [
    defineOperation({
      id: 'listAssessmentOrders',
      method: 'get',
      path: '/assessment/orders',
      tag: 'assessment',
      summary: 'List assessment orders',
      description:
        "Oldest first, a page at a time, each with its result delivery's state. No personal data: read an order on its own for the candidate, the requester, the result and its history. A tenant-restricted key lists only its tenant's orders.",
      scopes: ['read'],
      query: v.strictObject({
        status: v.optional(v.pipe(v.picklist(DELIVERY_STATES), v.description('Only orders whose result delivery is in this state (`none`: no result sent yet — new orders).'))),
        companyId: v.optional(v.pipe(v.string(), v.regex(COMPANY_ID_PATTERN), v.description("Only this SmartRecruiters company's orders."))),
        created_after: instant('Only orders created after this instant (ISO 8601).'),
        created_before: instant('Only orders created before this instant (ISO 8601).'),
        updated_after: instant('Only orders that changed after this instant: placed, given an assessment URL, or their result delivery moved (a new update, an attempt, an answer from SmartRecruiters).'),
        limit: limitSchema,
        cursor: cursorSchema,
      }),
      responses: {
        200: {
          description: 'A page of orders.',
          schema: v.strictObject({
            data: v.array(OrderSummarySchema),
            next_cursor: v.pipe(v.nullable(v.string()), v.description('Pass as `cursor` (with the same filters) for the next page; null on the last page.')),
          }),
        },
      },
      problems: ['invalid-cursor'],
      async handle({ query, key }) {
        const after = query.cursor === undefined ? undefined : afterKey(query.cursor);
        const createdAfter = ms(query.created_after);
        const updatedAfter = ms(query.updated_after);
        const createdBefore = ms(query.created_before);
        const rows = await store.orders.page({
          ...(query.companyId !== undefined ? { companyId: query.companyId } : {}),
          ...(key?.tenantId != null ? { tenantId: key.tenantId } : {}),
          ...(query.status !== undefined ? { delivery: query.status } : {}),
          // "after" is exclusive; the store's bound is inclusive, and times are whole milliseconds.
          ...(createdAfter !== undefined ? { createdFrom: createdAfter + 1 } : {}),
          ...(createdBefore !== undefined ? { createdBefore } : {}),
          ...(updatedAfter !== undefined ? { updatedAfter } : {}),
          ...(after ? { after } : {}),
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1]?.order;
        return {
          status: 200,
          body: {
            data: page.map((entry) => orderSummaryJson(entry.order, entry.delivery)),
            next_cursor: rows.length > query.limit && last ? encodeCursor(`${last.created_at}:${last.order_id}`) : null,
          },
        };
      },
    }),
    defineOperation({
      id: 'getAssessmentOrder',
      method: 'get',
      path: '/assessment/orders/{orderId}',
      tag: 'assessment',
      summary: 'One assessment order, with its candidate, result and delivery',
      description:
        'What the order needs: the candidate and requester SmartRecruiters sent, the mapped field values, the result SmartRecruiters holds once everything is delivered, every update accepted (the history), the attachments and the delivery state.',
      scopes: ['read'],
      params: orderParams,
      responses: { 200: { description: 'The order.', schema: OrderSchema } },
      problems: ['not-found'],
      async handle({ params, key }) {
        const row = await visibleOrder(store, key, params.orderId);
        return { status: 200, body: await orderJson(store, assessment, row) };
      },
    }),
  ];
}
