/**
 * Types of the fake SmartRecruiters Assessment side (fake-sr-assessment.ts): options, what it
 * stores, and what its QA actions return.
 */
import type { AssessmentPackage, Outcome } from './fake-sr-assessment-partner.js';
import type { PackageResult } from './fake-sr-assessment-schemas.js';
import type { RateLimits } from './rate-limiter.js';

export const MASTER_SCOPE = 'partner_configuration_manage';
export const CUSTOMER_SCOPE = 'assessment_result_manage candidates_read jobs_read';

export interface FakeSmartRecruitersAssessmentOptions {
  masterClientId: string;
  masterClientSecret: string;
  tokenLifetimeSeconds?: number;
  /** How long the `delay` (exchange) and `slow` (results) faults wait. */
  faultDelayMs?: number;
  /** The fake SR's own origin, e.g. http://127.0.0.1:3001 (known only once it listens). */
  apiOrigin: () => string;
  /** How long SR waits for the partner (seed 003: 15 s). */
  partnerTimeoutMs?: number;
  rateLimits?: Partial<RateLimits>;
}

export interface AssessmentIntegration {
  companyId: string;
  /** The customer-level credentials the partner sent, for SR to call the partner's oauthTokenUrl. */
  partnerClientId: string;
  partnerClientSecret: string;
  /** SR's customer-level credentials, answered to the partner. */
  srClientId: string;
  srClientSecret: string;
  createdAt: string;
}

export interface AssessmentOrder {
  orderId: string;
  kind: 'standard' | 'inline';
  companyId: string;
  candidateId: string;
  jobId: string;
  packageId: string;
  resultCallbackURL: string;
  completedAssessmentCallbackUrl: string | null;
  /** The partner's status for the order call (null: no answer yet / none). */
  partnerStatus: number | null;
  /** Inline orders: where the partner sends the candidate. */
  candidateUrl: string | null;
  createdAt: string;
  updatedAt: string | null;
  /** The `PackageResult` as merged so far (null before the first PATCH). */
  result: PackageResult | null;
  patches: Array<{ at: string; patch: unknown; result: PackageResult }>;
  attachments: Array<{ url: string; filename: string | null; contentType: string | null; size: number; at: string }>;
  /** Every call to this order's results URLs (the last 50), accepted or not: see {@link ResultCall}. */
  resultCalls: ResultCall[];
}

/** One call to `…/orders/{orderId}/results[/attachment]` as the fake answered it. */
export interface ResultCall {
  /** When the request arrived. */
  at: string;
  kind: 'patch' | 'attachment';
  method: string;
  /** The HTTP status sent; null when the connection was dropped (the `drop` fault). */
  status: number | null;
  /** The `X-RateLimit-*` (and `Retry-After`) headers sent with it. */
  headers: Record<string, string>;
}

/** One customer API read (GET /candidates/{id}, /jobs/{jobId}, /jobs/{jobId}/hiring-team) as the fake answered it. */
export interface ReadCall {
  /** When the request arrived. */
  at: string;
  path: string;
  /** The company of the token (null: no valid token). */
  companyId: string | null;
  status: number | null;
  headers: Record<string, string>;
}

export type TokenInfo = { kind: 'master'; clientId: string; expiresAt: number } | { kind: 'customer'; clientId: string; companyId: string; expiresAt: number };

/** What the shared token endpoint gets from {@link FakeSmartRecruitersAssessment.grantFor}. */
export interface AssessmentGrant {
  kind: 'master' | 'customer';
  scope: string;
  lifetimeSeconds: number;
  /** Makes `token` valid at the assessment API until `expiresAt` (ms). */
  register(token: string, expiresAt: number): void;
}

export interface PackagesOutcome extends Outcome {
  packages: AssessmentPackage[];
}
export interface OrderOutcome extends Outcome {
  packages?: AssessmentPackage[];
  package: AssessmentPackage | null;
  orderId: string | null;
}
export interface ApplyOutcome extends Outcome {
  orderId: string | null;
  url: string | null;
}
export interface AssessmentDisableOutcome extends Outcome {
  /** Whether SR had an integration to drop (it drops it whatever the partner answers). */
  removed: boolean;
  /** Whether a DELETE went to integrationDisableUrl (not when none is configured). */
  notified: boolean;
}
