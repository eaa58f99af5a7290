/**
 * Response headers by route (reference/security.md §2.2). API responses and non-embeddable pages
 * refuse framing; the consent page replaces that with its own CSP (`consentPageHeaders`), whose
 * `frame-ancestors` names the SmartRecruiters origins and which sends no X-Frame-Options.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Context, Next } from 'koa';

const BASE_HEADERS = Object.entries({
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
});

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The headers every response starts with (a route may replace some). Shared by the Koa stack and
 * the standalone server's fast lane (fast-lane.ts), so both answer with the same headers.
 */
export function setBaseSecurityHeaders(req: IncomingMessage, res: ServerResponse, proxyTrusted: boolean): void {
  for (const [name, value] of BASE_HEADERS) res.setHeader(name, value);
  if (isHttps(req, proxyTrusted)) res.setHeader('strict-transport-security', HSTS);
}

/**
 * Koa's `ctx.protocol`, from the request alone: TLS on the socket, else (only behind proxies the
 * partner trusts, T36) the first X-Forwarded-Proto entry.
 */
function isHttps(req: IncomingMessage, proxyTrusted: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!proxyTrusted) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',', 1)[0];
  return first?.trim().toLowerCase() === 'https';
}

/** Set before the route runs (which may replace some), on every response. Not async: nothing to do after the route. */
export function baseSecurityHeaders(ctx: Context, next: Next): Promise<void> {
  setBaseSecurityHeaders(ctx.req, ctx.res, ctx.app.proxy);
  return next();
}

export interface ConsentPagePolicy {
  nonce: string;
  frameAncestors: readonly string[];
  /** The validated `redirect` origin: Chromium applies form-action to the redirect after a form post (T7). */
  formTargets: readonly string[];
}

export function consentPageHeaders(ctx: Context, policy: ConsentPagePolicy): void {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${policy.nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${policy.nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action 'self'${policy.formTargets.map((origin) => ' ' + origin).join('')}`,
    `frame-ancestors ${policy.frameAncestors.join(' ')}`,
    "base-uri 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
  ctx.remove('x-frame-options');
  ctx.remove('cross-origin-resource-policy');
  ctx.set('content-security-policy', csp);
}
