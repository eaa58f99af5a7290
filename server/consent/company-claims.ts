/**
 * Approvals of a company that is not bound to the caller's tenant (a first claim, or contention for
 * another tenant's company) are counted per user and per tenant, and refused with 429 past the
 * configured number per window (issue 13 finding 1). SmartRecruiters company ids are public, so an
 * attacker polling approve for many of them is slowed down here; who may claim a given company at
 * all is the partner's `authorizeCompany` hook's decision.
 *
 * Counts every claim, successful or not (a squatter's claims succeed). In process memory, like the
 * sign-in throttle.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser } from '../config.js';
import { AtsServerError } from '../errors.js';
import { RateLimit } from '../security/rate-limit.js';

export interface CompanyClaimLimits {
  maxPerUser: number;
  maxPerTenant: number;
  windowSeconds: number;
  now?: () => number;
}

export class CompanyClaims {
  readonly #perUser: RateLimit;
  readonly #perTenant: RateLimit;

  constructor(limits: CompanyClaimLimits) {
    const window = { windowSeconds: limits.windowSeconds, ...(limits.now ? { now: limits.now } : {}) };
    this.#perUser = new RateLimit({ max: limits.maxPerUser, ...window });
    this.#perTenant = new RateLimit({ max: limits.maxPerTenant, ...window });
  }

  /** Counts a claim by `user`, or throws 429 (counting nothing) when the user or their tenant has claimed too much. */
  admit(user: AuthenticatedUser): void {
    const userKey = `${user.tenantId}\u0000${user.id}`;
    const wait = Math.max(this.#perUser.check(userKey), this.#perTenant.check(user.tenantId));
    if (wait > 0) {
      throw new AtsServerError(
        429,
        AtsErrorCode.CompanyClaimsThrottled,
        `Too many SmartRecruiters companies were connected from this account recently. Try again in ${wait} seconds.`,
        { headers: { 'retry-after': String(wait) }, retryable: true },
      );
    }
    this.#perUser.take(userKey);
    this.#perTenant.take(user.tenantId);
  }
}
