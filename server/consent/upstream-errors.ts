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
  const failure = Object.values(FAILURES).find((entry) => entry.code === code) ?? FAILURES.unavailable;
  return upstreamError(failure.status, failure.code, named(failure.description, 'SmartRecruiters'));
}

const named = (description: string, upstream: string) => description.replace('{upstream}', upstream);
