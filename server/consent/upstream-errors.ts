/**
 * What the user sees when an upstream fails (SmartRecruiters, or a provider during a token
 * refresh): the one place an `OutboundError` becomes a response. Every message says what
 * happened and what to do; none carries a secret or an upstream body. All of them are retryable
 * because nothing already created is lost (T33).
 */
import { AtsErrorCode, type ErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError, upstreamError } from '../errors.js';
import type { OutboundError, OutboundFailure } from '../oauth/outbound.js';

const FAILURES: Record<OutboundFailure, { status: number; code: ErrorCode; description: string }> = {
  timeout: {
    status: 504,
    code: AtsErrorCode.UpstreamTimeout,
    description: '{upstream} did not answer in time. Nothing was lost: retry to finish connecting.',
  },
  network: {
    status: 502,
    code: AtsErrorCode.UpstreamUnavailable,
    description: '{upstream} could not be reached. Nothing was lost: retry in a moment.',
  },
  unavailable: {
    status: 502,
    code: AtsErrorCode.UpstreamUnavailable,
    description: '{upstream} is having trouble right now. Nothing was lost: retry in a moment.',
  },
  rate_limited: {
    status: 503,
    code: AtsErrorCode.UpstreamRateLimited,
    description: '{upstream} asked us to slow down. Retry in a few seconds.',
  },
  unauthorized: {
    status: 502,
    code: AtsErrorCode.UpstreamUnauthorized,
    description: '{upstream} did not accept our partner credentials. Retry; if it keeps failing, contact support.',
  },
  forbidden: {
    status: 502,
    code: AtsErrorCode.UpstreamForbidden,
    description:
      '{upstream} refused the connection: the company may not have enabled this app. Enable it in SmartRecruiters, then retry.',
  },
  conflict: {
    status: 409,
    code: AtsErrorCode.UpstreamConflict,
    description:
      '{upstream} says this company is already connected to this app. Disable the existing integration in SmartRecruiters, then retry.',
  },
  rejected: {
    status: 502,
    code: AtsErrorCode.UpstreamRejected,
    description: '{upstream} rejected the request. Retry; if it keeps failing, contact support.',
  },
  bad_response: {
    status: 502,
    code: AtsErrorCode.UpstreamBadResponse,
    description: '{upstream} sent an answer we could not read. Nothing was lost: retry in a moment.',
  },
};

/**
 * The Assessment exchange's 409 (seed 003 §1.3; providers.md §1.4.2: "Partner already integrated for
 * company", also for an identical replay). After an ambiguous failure of our own earlier attempt
 * (timeout, lost connection, 5xx, unreadable answer) it means SR stored our credentials and its
 * answer with its own was lost: SR's calls to us work, ours to SR cannot until the admin re-enables.
 */
const AMBIGUOUS: readonly string[] = [AtsErrorCode.UpstreamTimeout, AtsErrorCode.UpstreamUnavailable, AtsErrorCode.UpstreamBadResponse];
const ASSESSMENT_CONFLICTS = {
  lost: {
    status: 409,
    code: AtsErrorCode.SrCredentialsLost,
    description:
      'SmartRecruiters has this connection, but its reply with its own credentials was lost on the way. SmartRecruiters can already list our packages and order assessments. To let us send results back, disable this app for your company in SmartRecruiters (Settings, Apps & Integrations) and enable it again.',
  },
  existing: {
    status: 409,
    code: AtsErrorCode.UpstreamConflict,
    description:
      'SmartRecruiters says this company is already connected to this assessment app, perhaps from an earlier installation. Disable the app for your company in SmartRecruiters (Settings, Apps & Integrations), then enable it again.',
  },
} as const;

/** Whether a recorded failure leaves it open that SmartRecruiters stored our credentials (it may have committed). */
export const isAmbiguousFailure = (code: string | null) => code !== null && AMBIGUOUS.includes(code);

/**
 * The Assessment exchange's 409, read in the light of the previous attempt's outcome: ambiguous (a
 * recorded timeout, lost connection or unreadable answer, or an attempt whose process died
 * mid-exchange) means SR holds our credentials. Not retryable: the admin acts in SR.
 */
export function assessmentConflict(error: OutboundError, previousAttemptAmbiguous: boolean): AtsServerError {
  const conflict = previousAttemptAmbiguous ? ASSESSMENT_CONFLICTS.lost : ASSESSMENT_CONFLICTS.existing;
  return new AtsServerError(conflict.status, conflict.code, conflict.description, { cause: error });
}

/** `upstream`: the name the user knows the failing service by. */
export function upstreamFailure(error: OutboundError, upstream = 'SmartRecruiters'): AtsServerError {
  const failure = FAILURES[error.kind];
  return upstreamError(failure.status, failure.code, named(failure.description, upstream), {
    cause: error,
    retryAfterSeconds: error.kind === 'rate_limited' ? (error.retryAfterSeconds ?? 5) : undefined,
  });
}

/** Re-creates the error a concurrent attempt recorded, for the requests that waited on it. */
export function failureFromCode(code: string | null): AtsServerError {
  if (code === AtsErrorCode.SrCredentialsLost) return new AtsServerError(409, code, ASSESSMENT_CONFLICTS.lost.description);
  const failure = Object.values(FAILURES).find((entry) => entry.code === code) ?? FAILURES.unavailable;
  return upstreamError(failure.status, failure.code, named(failure.description, 'SmartRecruiters'));
}

const named = (description: string, upstream: string) => description.replace('{upstream}', upstream);
