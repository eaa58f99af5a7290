/**
 * The demo partner's results back to SmartRecruiters (issue 8 items 5 and 6), over the kit's
 * `kit.assessment.updateResult` / `addAttachment` / `delivery`:
 *
 * - `POST /assessment/orders/<orderId>/result`: a `PackageResult` merge patch as JSON (the orders
 *   page's "Send status" and "Send result"). 202 with the order's delivery state.
 * - `POST /assessment/orders/<orderId>/attachment`: `{filename, contentType, data}` as JSON, `data`
 *   in base64 (standard orders only). 202 with the attachment id and the delivery state.
 *
 * Both are cookie-authenticated browser POSTs, so each one: needs `Origin` to be the kit's own
 * origin (and `Sec-Fetch-Site: same-origin` when the browser sends it) → 403; a JSON body → 415,
 * read with a size limit → 413; the signed-in user (`kit.signedInUser`) → 401; an order of that
 * user's tenant → 404 (another tenant's order is answered exactly like one that does not exist).
 * The kit's `AtsServerError`s keep their status and message (400 names the field, 404, 409, 413).
 */
import type { Context } from 'koa';
import type { ResultDelivery } from '../server/assessment/assessment-api.js';
import { AtsServerError } from '../server/errors.js';
import { readJson } from '../server/http/read-body.js';
import type { ConsentKit } from '../server/kit.js';
import { AtsErrorCode } from '../widget/protocol/error-codes.js';

/** The kit refuses patches over 64 KiB itself (413 with its own message); a little headroom for the JSON around it. */
const RESULT_BODY_LIMIT = 80 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the orders page shows of an order's delivery (the same shape in orders.json and in the POST answers). */
export interface DeliveryView {
  state: ResultDelivery['state'];
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  /** What SR holds once everything is delivered. */
  result: Record<string, unknown>;
  attachments: Array<{ attachmentId: string; filename: string; state: string; srUrl: string | null; lastStatus: number | null; lastError: string | null }>;
}

export async function deliveryView(kit: ConsentKit, orderId: string): Promise<DeliveryView> {
  const delivery = await kit.assessment.delivery(orderId);
  if (!delivery) return { state: 'none', attempts: 0, nextAttemptAt: null, lastStatus: null, lastError: null, deliveredAt: null, result: {}, attachments: [] };
  return {
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    result: delivery.result,
    attachments: delivery.attachments.map((file) => ({ ...file, srUrl: file.srUrl && /^https?:\/\//i.test(file.srUrl) ? file.srUrl : null })),
  };
}

/** `POST /assessment/orders/<orderId>/result|attachment` on behalf of the signed-in user. */
export async function sendForOrder(ctx: Context, kit: ConsentKit, orderId: string, what: 'result' | 'attachment'): Promise<void> {
  await answerErrors(ctx, async () => {
    requireSameOrigin(ctx, kit.config.publicOrigin);
    const user = await kit.signedInUser(ctx);
    if (!user) throw new AtsServerError(401, AtsErrorCode.SignInRequired, 'Sign in to send results.');
    const order = ORDER_ID.test(orderId) ? await kit.assessment.orders.get(orderId) : undefined;
    // Another tenant's order is answered exactly as an unknown one.
    if (!order || order.tenantId !== user.tenantId) throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such assessment order.');
    let attachmentId: string | undefined;
    if (what === 'result') {
      const patch = await readJson(ctx, RESULT_BODY_LIMIT);
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'Send the result as a JSON object.');
      await kit.assessment.updateResult(order.orderId, patch as Record<string, unknown>);
    } else {
      const maxBytes = kit.config.assessment?.maxAttachmentBytes ?? 10 * 1024 * 1024;
      const file = await readJson(ctx, Math.ceil(maxBytes / 3) * 4 + 4096);
      ({ attachmentId } = await kit.assessment.addAttachment(order.orderId, attachmentFile(file)));
    }
    ctx.status = 202;
    ctx.body = { orderId: order.orderId, ...(attachmentId ? { attachmentId } : {}), delivery: await deliveryView(kit, order.orderId) };
  });
}

function attachmentFile(body: unknown): { filename: string; contentType: string; data: Uint8Array } {
  const { filename, contentType, data } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) {
    throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'Send the file as {"filename", "contentType", "data"} with data in base64.');
  }
  // The kit checks the name, the type, emptiness and the size and answers 400/413 naming the problem.
  return { filename: typeof filename === 'string' ? filename : '', contentType: typeof contentType === 'string' ? contentType : '', data: new Uint8Array(Buffer.from(data, 'base64')) };
}

/** CSRF defence for a cookie-authenticated POST (the kit's session cookie is `SameSite=None`). */
export function requireSameOrigin(ctx: Context, origin: string): void {
  const site = ctx.get('sec-fetch-site');
  if (ctx.get('origin') !== origin || (site !== '' && site !== 'same-origin')) {
    throw new AtsServerError(403, AtsErrorCode.OriginMismatch, 'This request must come from the partner\'s own pages.');
  }
}

/** Answers `AtsServerError`s the kit (or this file) throws with their status and message; anything else is a plain 500. */
async function answerErrors(ctx: Context, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AtsServerError) || !error.expose) throw error;
    ctx.status = error.status;
    ctx.set(error.headers);
    ctx.body = { error: error.code, message: error.description };
  }
}
