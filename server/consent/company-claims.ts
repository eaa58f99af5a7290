/**
 * Approvals of a company that is not bound to the caller's tenant (a first claim, or contention for
 * another tenant's company) are counted per user and per tenant, and refused with 429 past the
 * configured number per window (issue 13 finding 1). SmartRecruiters company ids are public, so an
 * attacker polling approve for many of them is slowed down here; who may claim a given company at
 * all is the partner's `authorizeCompany` hook's decision.
 *
 * Counts every claim, successful or not (a squatter's claims succeed). In process memory, bounded,
 * like the sign-in throttle.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser } from '../config.js';
import { AtsServerError } from '../errors.js';
import { FailureThrottle } from '../security/failure-throttle.js';

export interface CompanyClaimLimits {
  maxPerUser: number;
  maxPerTenant: number;
  windowSeconds: number;
  now?: () => number;
}

export class CompanyClaims {
  readonly #counts: FailureThrottle;

  constructor(private readonly limits: CompanyClaimLimits) {
    this.#counts = new FailureThrottle({ windowSeconds: limits.windowSeconds, ...(limits.now ? { now: limits.now } : {}) });
  }

  /** Counts a claim by `user`, or throws 429 when the user or their tenant has claimed too much. */
  admit(user: AuthenticatedUser): void {
    const userKey = `user:${user.tenantId}\u0000${user.id}`;
    const tenantKey = `tenant:${user.tenantId}`;
    const wait = Math.max(
      this.#counts.retryAfterSeconds(userKey, this.limits.maxPerUser),
      this.#counts.retryAfterSeconds(tenantKey, this.limits.maxPerTenant),
    );
    if (wait > 0) {
      throw new AtsServerError(
        429,
        AtsErrorCode.CompanyClaimsThrottled,
        `Too many SmartRecruiters companies were connected from this account recently. Try again in ${wait} seconds.`,
        { headers: { 'retry-after': String(wait) }, retryable: true },
      );
    }
    this.#counts.recordFailure(userKey, this.limits.maxPerUser);
    this.#counts.recordFailure(tenantKey, this.limits.maxPerTenant);
  }
}
