/**
 * Checks every state-changing browser request must pass (reference/security.md T3, T4):
 * POST only, `Origin` exactly our public origin (a missing Origin is refused), `Sec-Fetch-Site`
 * same-origin when the browser sends it, and the session's synchronizer CSRF token.
 */
import type { Context } from 'koa';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { CSRF_HEADER } from '../../widget/protocol/http.js';
import { constantTimeEqual } from '../crypto/secrets.js';
import { forbidden } from '../errors.js';

export function checkSameOrigin(ctx: Context, publicOrigin: string): void {
  if (ctx.get('origin') !== publicOrigin) {
    throw forbidden(AtsErrorCode.OriginMismatch, 'This request must come from the consent page itself.');
  }
  const site = ctx.get('sec-fetch-site');
  if (site !== '' && site !== 'same-origin') {
    throw forbidden(AtsErrorCode.OriginMismatch, 'This request must come from the consent page itself.');
  }
}

/** The token arrives in a header (fetch) or a form field (the no-JavaScript form post). */
export function checkCsrf(ctx: Context, expected: string, formToken?: string | null): void {
  const presented = ctx.get(CSRF_HEADER) || formToken || '';
  if (presented === '' || !constantTimeEqual(presented, expected)) {
    throw forbidden(AtsErrorCode.CsrfMismatch, 'The page has expired. Reload it and try again.');
  }
}
