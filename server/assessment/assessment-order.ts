/**
 * An assessment order as the partner's code sees it: what SmartRecruiters ordered, for which
 * candidate, and where results go. Candidate and requester details are personal data: stored
 * encrypted, handed only to the partner's code, never logged or put in an event.
 */
export type OrderKind = 'standard' | 'inline';
export type OrderStatus = 'received';

export interface OrderPersonalData {
  candidate: { id?: string; email: string; firstName: string; lastName: string; applicationLanguage?: string };
  requester: { userId: string; email: string } | null;
  /** Custom field values SR mapped to the partner's fields. */
  fields: Record<string, string>;
}

export interface AssessmentOrder extends OrderPersonalData {
  /** SmartRecruiters' order id (the UUID in the path of `resultCallbackUrl`). */
  orderId: string;
  kind: OrderKind;
  companyId: string;
  tenantId: string;
  packageId: string;
  jobId: string;
  status: OrderStatus;
  /** Where results go (seed 003 §5.1); checked against the SmartRecruiters origins before it was stored. */
  resultCallbackUrl: string;
  /** Inline orders: where the candidate returns after the assessment. */
  completedAssessmentCallbackUrl: string | null;
  /** Inline orders: the URL the partner answered, where the candidate takes the assessment. */
  assessmentUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}
