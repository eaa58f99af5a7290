/**
 * The only place errors become responses. `AtsServerError`s with `expose` are answered with their
 * code and description; anything else is logged with its cause and answered with a generic
 * `server_error`, no stack trace, no upstream body (ASVS 16.5.1).
 */
import type { Context, Next } from 'koa';
import type { ErrorBody } from '../../widget/protocol/http.js';
import { AtsServerError, serverError } from '../errors.js';
import type { Logger } from '../log.js';
import { randomId } from '../crypto/secrets.js';
import { renderErrorPage } from '../views/error-page.js';
import type { Localization } from '../i18n/localization.js';

/**
 * Set on `ctx.state.htmlErrors` by page routes: errors there render as a page. The consent page's
 * errors stay framable by SmartRecruiters, so the admin reads our message instead of a browser error.
 */
export interface HtmlErrorPolicy {
  frameAncestors: readonly string[];
}

function errorPagePolicy(nonce: string, frameAncestors: readonly string[]): string {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors ${ancestors}; base-uri 'none'; form-action 'none'`;
}

/** What an error is answered with (JSON), logged as it must be. Shared with the fast lane (fast-lane.ts). */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

export function errorAnswer(caught: unknown, logger: Logger, path: string): ErrorAnswer {
  const error = caught instanceof AtsServerError ? caught : fromKoaError(caught);
  if (!error.expose) logger.error({ err: error.cause ?? error, path }, 'request failed');
  else if (error.status >= 500) logger.warn({ code: error.code, path, cause: String(error.cause ?? '') }, 'upstream failure');
  const body: ErrorBody = error.expose
    ? { error: error.code, error_description: error.description, ...(error.retryable ? { retryable: true } : {}) }
    : { error: 'server_error', error_description: 'The server could not complete the request.' };
  return { status: error.status, headers: { ...error.headers, 'cache-control': 'no-store', pragma: 'no-cache' }, body };
}

/** `localization` words the HTML error page in the language the browser asks for (JSON errors stay as they are). */
export function errorHandler(logger: Logger, localization: Localization) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (caught) {
      const { status, headers, body } = errorAnswer(caught, logger, ctx.path);
      ctx.status = status;
      ctx.set(headers);
      const htmlErrors = ctx.state.htmlErrors as HtmlErrorPolicy | undefined;
      if (htmlErrors) {
        const nonce = randomId();
        ctx.type = 'html';
        ctx.body = renderErrorPage(body, nonce, localization.page(localization.negotiate(ctx.get('accept-language'))));
        ctx.set('content-security-policy', errorPagePolicy(nonce, htmlErrors.frameAncestors));
        if (htmlErrors.frameAncestors.length > 0) ctx.remove('x-frame-options');
      } else {
        ctx.body = body;
      }
    }
  };
}

/** Koa and raw-body throw `HttpError`s (413, 415, 400) that are safe to show as they are. */
function fromKoaError(error: unknown): AtsServerError {
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose) {
    return new AtsServerError(status, 'invalid_request', (error as Error).message);
  }
  return serverError(error);
}
