/**
 * Which headers cross the proxy, in each direction: allow-lists, so a header nobody thought about
 * stays where it is.
 *
 * To the provider: content negotiation, the body's description, conditional requests (RFC 9110
 * §13) and `Idempotency-Key`. Never the caller's `Authorization` (its API key for the kit) or
 * `Cookie`, never `Host` (the provider's comes from the configured base URL), never `Forwarded` /
 * `X-Forwarded-*` or a base-URL override of any name, never hop-by-hop fields (RFC 9110 §7.6.1).
 * The kit then adds the provider's own API headers and the connection's token.
 *
 * Back to the caller: the body's description, caching validators and rate-limit advice, plus the
 * marker `X-Ats-Proxied: 1` that says "this is the provider's answer" — so an upstream 401 or 404
 * is never taken for the kit's own (those are problem+json and never carry the marker). Dropped:
 * `Set-Cookie`, `Location` (redirects are not passed on at all), `WWW-Authenticate` (a client
 * would take the provider's challenge for the kit's), and the transfer's own framing and
 * encoding (fetch has decoded the body; Koa frames it again).
 */
import { ProblemError } from '../problem.js';

export const PROXIED_HEADER = 'x-ats-proxied';

const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'content-language',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'idempotency-key',
] as const;

const RESPONSE_HEADERS = [
  'content-type',
  'content-language',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'retry-after',
  // SmartRecruiters-style and draft-ietf-httpapi-ratelimit-headers advice, for the caller's backoff.
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit',
  'ratelimit-policy',
] as const;

const MAX_VALUE_LENGTH = 1024;
/** Node refuses CR, LF and NUL in incoming values; the other controls (but tab) are refused here. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** The caller's headers that go on to the provider, checked (a bad value → 400 naming the header). */
export function forwardedRequestHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const raw = headers[name];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (value.length > MAX_VALUE_LENGTH || CONTROL.test(value)) {
      throw new ProblemError('invalid-request', `The ${name} header cannot be passed on: a control character, or longer than ${MAX_VALUE_LENGTH} characters.`, {
        errors: [{ in: 'header', field: name, detail: 'control character or too long' }],
      });
    }
    out[name] = value;
  }
  return out;
}

/** The provider's headers the caller gets, plus the marker. */
export function passedBackHeaders(upstream: Headers): Record<string, string> {
  const out: Record<string, string> = { [PROXIED_HEADER]: '1' };
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** True when the caller gave an `Idempotency-Key` (then a write may be sent again after a failure). */
export function hasIdempotencyKey(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() !== '';
}
