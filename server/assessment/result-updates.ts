/**
 * `kit.assessment.updateResult` and `addAttachment`: the partner's results, validated against SR's
 * `PackageResult` and committed before the call returns (seed 003 §5; providers.md §1.4.3–§1.4.4).
 * Delivery to SR happens afterwards, durably (result-delivery.ts).
 *
 * Updates of one order not yet delivered are composed into one merge patch (RFC 7396: later fields
 * win, a `null` removal is kept), so SR never sees an older status after a newer one and gets one
 * request for a burst of updates. The expected document (every patch applied) is kept beside it for
 * the partner's pages. Both are encrypted: an assessment result is the candidate's personal data.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { Cipher } from '../crypto/cipher.js';
import { AtsServerError } from '../errors.js';
import type { OrderRow, Store } from '../store/store.js';
import { applyMergePatch, composeMergePatches, type JsonObject } from './merge-patch.js';
import { firstIssue, ResultPatch } from './sr-assessment-types.js';

const MAX_PATCH_BYTES = 64 * 1024;
const WRITE_RETRIES = 10;

export const resultBinding = (orderId: string, column: string) => `result_deliveries/${orderId}/${column}`;
export const attachmentBinding = (attachmentId: string) => `result_attachments/${attachmentId}/data`;
export const attachmentNameBinding = (attachmentId: string) => `result_attachments/${attachmentId}/filename`;
export const updateBinding = (updateId: string) => `result_updates/${updateId}/patch`;

/** The order's result delivery as the committing update left it (no later change of anyone else's). */
export interface CommittedResult {
  updateId: string;
  /** Every update applied in order, this one last: what SR holds once everything is delivered. */
  result: JsonObject;
  delivery: { state: 'pending'; attempts: number; nextAttemptAt: Date; lastStatus: number | null; lastError: string | null; deliveredAt: Date | null };
}

export interface AttachmentFile {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export class ResultUpdates {
  constructor(
    private readonly store: Store,
    private readonly cipher: Cipher,
    /** Called once an update or file of the company is committed: deliver it. */
    private readonly wake: (companyId: string) => void,
    private readonly maxAttachmentBytes: number,
    private readonly now: () => number,
  ) {}

  /**
   * Validates and commits `patch`; resolves once it is stored for delivery, with the id under which
   * it joined the order's result history (as the partner sent it, after `assessmentDate` → `assessmentPackageDate`).
   */
  async updateResult(orderId: string, patch: unknown): Promise<{ updateId: string }> {
    const checked = validPatch(patch);
    const { updateId } = await this.#update(await this.#order(orderId), checked);
    return { updateId };
  }

  /**
   * `updateResult` for an order the caller has just read (the partner API, which reads it to check
   * the key's tenant): the same validation, checks and commit, without reading the order again; and
   * the delivery as this commit left it — the row it replaced at its version plus what it wrote — so
   * the answer needs no read after the write.
   */
  async updateOrderResult(order: OrderRow, patch: unknown): Promise<CommittedResult> {
    const checked = validPatch(patch);
    return this.#update(await this.#connected(order), checked);
  }

  async #update(order: OrderRow, checked: JsonObject): Promise<CommittedResult> {
    const updateId = randomUUID();
    const update = { id: updateId, patch: this.cipher.encrypt(JSON.stringify(checked), updateBinding(updateId)) };
    for (let attempt = 0; attempt < WRITE_RETRIES; attempt += 1) {
      const row = await this.store.results.find(order.order_id);
      const pending = row?.pending_patch ? this.#open(row.order_id, 'pending_patch', row.pending_patch) : {};
      const document = row ? this.#open(row.order_id, 'result_document', row.result_document) : {};
      const result = applyMergePatch(document, checked) as JsonObject;
      const now = this.now();
      const written = await this.store.results.write(
        {
          orderId: order.order_id,
          companyId: order.company_id,
          pendingPatch: this.#seal(order.order_id, 'pending_patch', composeMergePatches(pending, checked)),
          resultDocument: this.#seal(order.order_id, 'result_document', result),
          expectedVersion: row?.version ?? null,
          update,
        },
        now,
      );
      if (written) {
        this.wake(order.company_id);
        // What the write did (kysely-results.ts): due now, unless an attempt waits for its retry,
        // whose time and count it keeps; SR's last answer stays as it was.
        const retrying = row?.sending_patch != null;
        const delivery = {
          state: 'pending' as const,
          attempts: retrying ? row.attempts : 0,
          nextAttemptAt: new Date(retrying ? row.next_attempt_at : now),
          lastStatus: row?.last_status ?? null,
          lastError: row?.last_error ?? null,
          deliveredAt: row?.delivered_at ? new Date(row.delivered_at) : null,
        };
        return { updateId, result, delivery };
      }
    }
    throw new AtsServerError(409, AtsErrorCode.OrderConflict, 'The result changed too often at once; try again.', { retryable: true });
  }

  /** Stores the file until SR confirms it (seed 003 §5.2); SR does not take attachments for inline orders. */
  async addAttachment(orderId: string, file: AttachmentFile): Promise<{ attachmentId: string }> {
    const order = await this.#order(orderId);
    if (order.kind === 'inline') {
      throw new AtsServerError(409, AtsErrorCode.InvalidInput, 'SmartRecruiters does not take attachments for inline assessment orders: send a link in attachments instead.');
    }
    if (!(file.data instanceof Uint8Array) || file.data.length === 0) throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The attachment is empty.');
    if (file.data.length > this.maxAttachmentBytes) {
      throw new AtsServerError(413, AtsErrorCode.PayloadTooLarge, `The attachment is larger than ${this.maxAttachmentBytes} bytes.`);
    }
    if (typeof file.filename !== 'string' || !/^[^\u0000-\u001f"\\/]{1,200}$/.test(file.filename)) {
      throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The attachment needs a file name (1–200 characters, no quotes, slashes or control characters).');
    }
    if (typeof file.contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(file.contentType)) {
      throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The attachment needs a content type such as application/pdf.');
    }
    const id = randomUUID();
    const sealed = this.cipher.encrypt(Buffer.from(file.data).toString('base64'), attachmentBinding(id));
    await this.store.results.addAttachment({
      id,
      order_id: order.order_id,
      company_id: order.company_id,
      filename: this.cipher.encrypt(file.filename, attachmentNameBinding(id)),
      content_type: file.contentType,
      data: Buffer.from(sealed, 'utf8'),
      created_at: this.now(),
    });
    this.wake(order.company_id);
    return { attachmentId: id };
  }

  /** The order, if its company is still connected to the order's tenant (else SR would get another tenant's results). */
  async #order(orderId: string): Promise<OrderRow> {
    const order = typeof orderId === 'string' ? await this.store.orders.find(orderId.toLowerCase()) : undefined;
    if (!order) throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such assessment order.');
    return this.#connected(order);
  }

  async #connected(order: OrderRow): Promise<OrderRow> {
    const integration = await this.store.integrations.findByCompany(order.company_id);
    if (!integration || integration.state === 'disabled' || integration.tenant_id !== order.tenant_id) {
      throw new AtsServerError(409, AtsErrorCode.NotActive, 'The SmartRecruiters company of this order is no longer connected to this account.');
    }
    return order;
  }

  #open(orderId: string, column: string, sealed: string): JsonObject {
    return JSON.parse(this.cipher.decrypt(sealed, resultBinding(orderId, column))) as JsonObject;
  }

  #seal(orderId: string, column: string, value: JsonObject): string {
    return this.cipher.encrypt(JSON.stringify(value), resultBinding(orderId, column));
  }
}

/** Checks a patch as SR's `PackageResult` and translates the seed's `assessmentDate` to SR's `assessmentPackageDate`. */
export function validPatch(patch: unknown): JsonObject {
  const size = Buffer.byteLength(JSON.stringify(patch ?? null) ?? '', 'utf8');
  if (size > MAX_PATCH_BYTES) throw new AtsServerError(413, AtsErrorCode.PayloadTooLarge, `The result is larger than ${MAX_PATCH_BYTES} bytes.`);
  const parsed = v.safeParse(ResultPatch, patch);
  if (!parsed.success) throw new AtsServerError(400, AtsErrorCode.InvalidInput, `The result is not valid: ${firstIssue(parsed.issues)}.`);
  const { assessmentDate, ...rest } = parsed.output;
  if (assessmentDate !== undefined) {
    if (rest.assessmentPackageDate !== undefined) {
      throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The result is not valid: give assessmentPackageDate or assessmentDate, not both.');
    }
    rest.assessmentPackageDate = assessmentDate;
  }
  if (Object.keys(rest).length === 0) throw new AtsServerError(400, AtsErrorCode.InvalidInput, 'The result is empty.');
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}
