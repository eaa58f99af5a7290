/**
 * `kit.assessment`: the partner's programmatic view of the SmartRecruiters Assessment product —
 * the orders SR placed (with the candidate's details, decrypted for the partner's code only), and
 * the partner configuration SR holds, with a push that says what it changes.
 */
import type { Cipher } from '../crypto/cipher.js';
import type { SmartRecruitersAssessmentClient } from '../providers/smartrecruiters-assessment.js';
import type { OrderQuery, Store } from '../store/store.js';
import type { AssessmentOrder } from './assessment-order.js';
import { orderFromRow } from './order-rows.js';
import { configurationChanges, type ConfigurationChange } from './partner-configuration.js';
import { attachmentNameBinding, resultBinding, updateBinding, type AttachmentFile, type ResultUpdates } from './result-updates.js';
import type { PartnerConfiguration } from './sr-assessment-types.js';

export interface AssessmentApi {
  orders: {
    /** Newest first; filter by company, tenant, status and creation time (`since` inclusive, `until` exclusive). */
    list(query?: { companyId?: string; tenantId?: string; status?: AssessmentOrder['status']; since?: Date; until?: Date; limit?: number }): Promise<AssessmentOrder[]>;
    get(orderId: string): Promise<AssessmentOrder | undefined>;
  };
  /** The configuration the kit registers with SmartRecruiters, built from its URLs and options. */
  partnerConfiguration(): PartnerConfiguration;
  /** What SmartRecruiters holds now (null when nothing was ever pushed). */
  currentConfiguration(): Promise<PartnerConfiguration | null>;
  /** PUTs the configuration; returns what SR held before, what it holds now, and what changed. */
  pushConfiguration(): Promise<{ before: PartnerConfiguration | null; after: PartnerConfiguration; changes: ConfigurationChange[] }>;
  /**
   * Validates a `PackageResult` merge patch and commits it for delivery to SR (resolves once stored),
   * with the id under which it joined the order's result history.
   */
  updateResult(orderId: string, patch: Record<string, unknown>): Promise<{ updateId: string }>;
  /** Every result update of the order as it was accepted (after `assessmentDate` → `assessmentPackageDate`), oldest first. */
  resultHistory(orderId: string): Promise<Array<{ updateId: string; receivedAt: Date; update: Record<string, unknown> }>>;
  /** Stores a file for SR (`…/results/attachment`) until SR confirms it; not for inline orders. */
  addAttachment(orderId: string, file: AttachmentFile): Promise<{ attachmentId: string }>;
  /** The order's result delivery: what SR should hold, what is still on its way, and how the last attempt went. */
  delivery(orderId: string): Promise<ResultDelivery | undefined>;
}

export interface ResultDelivery {
  /** `pending` (something still to send), `delivered`, or `failed` (SR refused the last patch: `lastStatus`, `lastError`). */
  state: 'pending' | 'delivered' | 'failed' | 'none';
  /** Every update applied in order: what SR holds once everything is delivered. */
  result: Record<string, unknown>;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  attachments: Array<{ attachmentId: string; filename: string; state: 'pending' | 'delivered' | 'failed'; srUrl: string | null; lastStatus: number | null; lastError: string | null }>;
}

export function assessmentApi(
  store: Store,
  cipher: Cipher,
  client: SmartRecruitersAssessmentClient,
  build: () => PartnerConfiguration,
  results: ResultUpdates,
): AssessmentApi {
  return {
    updateResult: (orderId, patch) => results.updateResult(orderId, patch),
    resultHistory: async (orderId) =>
      (await store.results.history(String(orderId).toLowerCase())).map((row) => ({
        updateId: row.id,
        receivedAt: new Date(row.received_at),
        update: JSON.parse(cipher.decrypt(row.patch, updateBinding(row.id))) as Record<string, unknown>,
      })),
    addAttachment: (orderId, file) => results.addAttachment(orderId, file),
    delivery: async (orderId) => {
      const order = await store.orders.find(String(orderId).toLowerCase());
      if (!order) return undefined;
      const [row, files] = await Promise.all([store.results.find(order.order_id), store.results.listAttachments(order.order_id)]);
      return {
        state: row?.state ?? 'none',
        result: row ? (JSON.parse(cipher.decrypt(row.result_document, resultBinding(order.order_id, 'result_document'))) as Record<string, unknown>) : {},
        attempts: row?.attempts ?? 0,
        nextAttemptAt: row && row.state === 'pending' ? new Date(row.next_attempt_at) : null,
        lastStatus: row?.last_status ?? null,
        lastError: row?.last_error ?? null,
        deliveredAt: row?.delivered_at ? new Date(row.delivered_at) : null,
        attachments: files.map((file) => ({
          attachmentId: file.id,
          filename: cipher.decrypt(file.filename, attachmentNameBinding(file.id)),
          state: file.state,
          srUrl: file.sr_url,
          lastStatus: file.last_status,
          lastError: file.last_error,
        })),
      };
    },
    orders: {
      list: async (query = {}) => {
        const storeQuery: OrderQuery = {
          ...(query.companyId === undefined ? {} : { companyId: query.companyId }),
          ...(query.tenantId === undefined ? {} : { tenantId: query.tenantId }),
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.since === undefined ? {} : { since: query.since.getTime() }),
          ...(query.until === undefined ? {} : { until: query.until.getTime() }),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        };
        return (await store.orders.list(storeQuery)).map((row) => orderFromRow(row, cipher));
      },
      get: async (orderId) => {
        const row = await store.orders.find(orderId.toLowerCase());
        return row && orderFromRow(row, cipher);
      },
    },
    partnerConfiguration: build,
    currentConfiguration: () => client.getConfiguration(),
    pushConfiguration: async () => {
      const next = build();
      const before = await client.getConfiguration();
      const after = await client.putConfiguration(next);
      return { before, after, changes: configurationChanges(before, next) };
    },
  };
}
