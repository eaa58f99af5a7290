/**
 * RFC 9457 problem details for the partner API: `application/problem+json` with a stable `type`
 * URI per error (https://ats-consent.dev/problems/<code>; the URI identifies the problem, it need
 * not resolve), `title` (fixed per type), `status`, `detail` (this occurrence), and extension
 * members `code` (the same slug, for clients that switch on a string), `request_id` and, for
 * validation errors, `field` plus every failed field in `errors` (RFC 9457 §3.2 extensions).
 */
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AtsServerError } from '../errors.js';

export const PROBLEM_TYPE_BASE = 'https://ats-consent.dev/problems/';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Every problem the partner API answers with: code → [status, title]. Stable: clients switch on them. */
export const PROBLEMS = {
  'invalid-request': [400, 'The request is invalid'],
  'invalid-cursor': [400, 'The cursor is invalid'],
  unauthorized: [401, 'An API key is required'],
  'invalid-key': [401, 'The API key is invalid or revoked'],
  'insufficient-scope': [403, 'The API key lacks the scope this operation needs'],
  'tenant-restricted': [403, 'The API key is restricted to one tenant'],
  'not-found': [404, 'Not found'],
  'unknown-event': [404, 'The event is not in the feed'],
  'method-not-allowed': [405, 'Method not allowed'],
  'not-active': [409, 'The integration is not active'],
  conflict: [409, 'The request conflicts with the current state'],
  'needs-reconnect': [409, 'The connection needs its user to connect again'],
  'precondition-failed': [412, 'The resource changed since you read it'],
  'payload-too-large': [413, 'The request body is too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  'too-many-requests': [429, 'Too many requests'],
  'upstream-error': [502, 'SmartRecruiters failed'],
  'upstream-unavailable': [503, 'SmartRecruiters is unavailable'],
  'upstream-timeout': [504, 'SmartRecruiters did not answer in time'],
  internal: [500, 'Internal error'],
  // The connection proxy's own failures (never the provider's answers, which pass through marked).
  'provider-api-not-configured': [501, "The provider's API base URL is not configured"],
  'provider-unavailable': [502, 'The provider could not be reached'],
  'provider-redirect': [502, 'The provider answered with a redirect'],
  'provider-response-too-large': [502, "The provider's answer is too large"],
  'provider-timeout': [504, 'The provider did not answer in time'],
} as const satisfies Record<string, readonly [number, string]>;
export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Where the field is: `path`, `query`, `header` or `body`. */
  in: 'path' | 'query' | 'header' | 'body';
  /** The parameter's name, or a JSON Pointer (RFC 6901) into the body. */
  field: string;
  detail: string;
}

export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: { headers?: Record<string, string>; errors?: FieldError[]; status?: number } = {},
  ) {
    super(detail);
    this.status = options.status ?? PROBLEMS[code][0];
  }
}

export const problemType = (code: ProblemCode) => PROBLEM_TYPE_BASE + code;

export function problemBody(problem: ProblemError, requestId: string, instance: string) {
  const [, title] = PROBLEMS[problem.code];
  const errors = problem.options.errors;
  return {
    type: problemType(problem.code),
    title,
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
    request_id: requestId,
    ...(errors && errors.length > 0 ? { field: errors[0]!.field, errors } : {}),
  };
}

/** The document's schema for every problem body (components.schemas.Problem). */
export const ProblemSchema = v.strictObject({
  type: v.pipe(v.string(), v.url()),
  title: v.string(),
  status: v.pipe(v.number(), v.integer()),
  detail: v.string(),
  instance: v.string(),
  code: v.picklist(Object.keys(PROBLEMS) as ProblemCode[]),
  request_id: v.string(),
  field: v.optional(v.string()),
  errors: v.optional(v.array(v.strictObject({ in: v.picklist(['path', 'query', 'header', 'body']), field: v.string(), detail: v.string() }))),
});

/** The kit's own errors (thrown by the steps the operations call), as problems with the same status. */
export function problemFromKitError(error: AtsServerError): ProblemError {
  const headers = error.headers;
  if (!error.expose) return new ProblemError('internal', 'The server could not complete the request.');
  if (error.code === AtsErrorCode.NotActive) return new ProblemError('not-active', error.description, { headers });
  if (error.code === AtsErrorCode.NeedsReconnect) return new ProblemError('needs-reconnect', error.description, { headers });
  const byStatus: Record<number, ProblemCode> = {
    400: 'invalid-request',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    429: 'too-many-requests',
    503: 'upstream-unavailable',
    504: 'upstream-timeout',
  };
  const code = byStatus[error.status] ?? (error.status >= 500 ? 'upstream-error' : 'invalid-request');
  return new ProblemError(code, error.description, { headers, status: code === 'invalid-request' ? 400 : undefined });
}
