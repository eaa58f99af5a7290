import { AtsErrorCode, type ErrorCode } from './protocol/error-codes.js';

/** An error the widget shows and reports through `ats-error`. */
export class AtsWidgetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** True when the same action may succeed if tried again. */
    readonly retryable = false,
    /** The server's `Retry-After`, in seconds, when it said when to ask again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AtsWidgetError';
  }
}

export const networkError = () =>
  new AtsWidgetError(AtsErrorCode.Network, 'We could not reach the server. Check your connection and retry.', true);

/** An error as the widget shows it: kept by code and translated at render time (the locale may load after it). */
export interface ShownError {
  code: string;
  message: string;
  retryAfterSeconds?: number | undefined;
}

export const shownError = (error: AtsWidgetError): ShownError => ({ code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds });
