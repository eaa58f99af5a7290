/**
 * Stored order rows ↔ the `AssessmentOrder` the partner's code sees. The personal data column is
 * AES-GCM with its AAD bound to the order, so a ciphertext moved to another row does not decrypt.
 */
import type { Cipher } from '../crypto/cipher.js';
import type { OrderRow } from '../store/store.js';
import type { AssessmentOrder, OrderPersonalData } from './assessment-order.js';

export const personalDataBinding = (orderId: string) => `assessment_orders/${orderId}/personal_data`;

export function orderFromRow(row: OrderRow, cipher: Cipher): AssessmentOrder {
  const personal = JSON.parse(cipher.decrypt(row.personal_data, personalDataBinding(row.order_id))) as OrderPersonalData;
  return {
    orderId: row.order_id,
    kind: row.kind,
    companyId: row.company_id,
    tenantId: row.tenant_id,
    packageId: row.package_id,
    jobId: row.job_id,
    status: row.status,
    candidate: personal.candidate,
    requester: personal.requester,
    fields: personal.fields,
    resultCallbackUrl: row.result_callback_url,
    completedAssessmentCallbackUrl: row.completed_callback_url,
    assessmentUrl: row.assessment_url,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
