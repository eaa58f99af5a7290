/**
 * One error type for everything the kit reports to a client. Protocol steps throw these; only
 * `http/error-handler.ts` turns them into responses. `expose` follows Koa's contract: 4xx details
 * are for the client, anything else is logged and answered with a generic message.
 */
import { AtsErrorCode, OAuthErrorCode, type ErrorCode } from '../widget/protocol/error-codes.js';

export class AtsServerError extends Error {
  readonly expose: boolean;
  /** Extra response headers (Retry-After, WWW-Authenticate, Allow). */
  readonly headers: Record<string, string>;
  /** True when the same request may succeed later (upstream failures); the widget offers Retry. */
  readonly retryable: boolean;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly description: string,
    options: { cause?: unknown; headers?: Record<string, string>; retryable?: boolean } = {},
  ) {
    super(description, { cause: options.cause });
    this.name = new.target.name;
    this.expose = status < 500 || options.retryable === true;
    this.headers = options.headers ?? {};
    this.retryable = options.retryable ?? false;
  }
}

export const badRequest = (code: ErrorCode, description: string) =>
  new AtsServerError(400, code, description);

export const invalidInput = (description: string) =>
  new AtsServerError(400, AtsErrorCode.InvalidInput, description);

export const forbidden = (code: ErrorCode, description: string) =>
  new AtsServerError(403, code, description);

export const serverError = (cause: unknown) =>
  new AtsServerError(500, OAuthErrorCode.ServerError, 'The server could not complete the request.', { cause });

/** An upstream (ATS) failure the user can retry; nothing already created is lost. */
export function upstreamError(
  status: number,
  code: ErrorCode,
  description: string,
  options: { cause?: unknown; retryAfterSeconds?: number } = {},
): AtsServerError {
  const headers: Record<string, string> =
    options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
  return new AtsServerError(status, code, description, { cause: options.cause, headers, retryable: true });
}
