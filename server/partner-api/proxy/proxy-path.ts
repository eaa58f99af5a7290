/**
 * Where a proxied request goes: the provider's configured API base, then the caller's path and
 * query, and nothing the caller sends can move it anywhere else (issue 14: no base-URL override,
 * no absolute URL, no `//host`, no `..` escape; reference/security.md T37). The caller's token
 * for the provider is injected on the way, so a request that left the base would hand it to
 * whoever is there — the Nango `Base-Url-Override` hole (NangoHQ/nango#6458).
 *
 * The path is checked as sent, still percent-encoded: the router hands over the raw rest of the
 * URL path, because a decoded path has already lost the difference between `a%2Fb` and `a/b`.
 * Rules, each refusing with 400 and the field `path`:
 *
 * - only RFC 3986 §3.3 `pchar`s and `/` (no backslash, space, control character or non-ASCII
 *   byte: WHATWG URL parsers turn `\` into `/`, and a provider's server may too);
 * - no percent-encoded `.`, `/`, `\`, `%` or control character: an upstream that decodes once
 *   would see `..`, a new segment or a new line the checks below never saw, and one that decodes
 *   twice would see them through `%25`;
 * - no empty segment but a trailing one (`//host` is a network-path reference, RFC 3986 §4.2),
 *   no `.` or `..` segment (RFC 3986 §5.2.4 `remove_dot_segments` would climb out of the base);
 * - no colon in the first segment (RFC 3986 §4.2: `https:` reads as a scheme, an absolute URL).
 *
 * The query goes on as sent, without control characters, spaces or `#`. Last, the URL built is
 * parsed again and must still be under the base's origin and path: a check that does not depend
 * on the rules above being complete.
 */
import { ProblemError } from '../problem.js';

export const MAX_PROXY_PATH_LENGTH = 2048;
export const MAX_PROXY_QUERY_LENGTH = 4096;

/** RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@". */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;
/** Encoded octets that change a path's structure once decoded: controls, `%`, `.`, `/`, `\`, DEL. */
const STRUCTURAL_ESCAPE = /%(?:[01][0-9A-Fa-f]|2[5EeFf]|5[Cc]|7[Ff])/;
/** Raw query characters refused: controls, space, `#`, DEL and anything outside ASCII. */
const BAD_QUERY_CHARACTER = /[\x00-\x20#\x7f-\uffff]/;

const refuse = (detail: string, field = 'path') =>
  new ProblemError('invalid-request', `The proxied ${field} ${detail}.`, { errors: [{ in: field === 'path' ? 'path' : 'query', field, detail }] });

/** The caller's path (the raw rest after `/proxy/`), checked; throws a 400 problem naming the rule it breaks. */
export function checkProxyPath(rest: string): string {
  if (rest.length === 0) throw refuse('is empty');
  if (rest.length > MAX_PROXY_PATH_LENGTH) throw refuse(`is longer than ${MAX_PROXY_PATH_LENGTH} characters`);
  const segments = rest.split('/');
  if (segments[0]!.includes(':')) throw refuse('must be a path relative to the provider\'s API base, not an absolute URL (a colon in the first segment reads as a scheme)');
  for (const [index, segment] of segments.entries()) {
    if (segment === '' && index < segments.length - 1) throw refuse('has an empty segment ("//"), which would name another host');
    if (segment === '.' || segment === '..') throw refuse('has a dot segment ("." or ".."), which would leave the provider\'s API base');
    if (!SEGMENT.test(segment)) throw refuse('has a character outside RFC 3986 path characters (a backslash, space, control character or unencoded non-ASCII)');
    if (STRUCTURAL_ESCAPE.test(segment)) throw refuse('has a percent-encoded ".", "/", "\\", "%" or control character; send "/" unencoded and no dot segments');
  }
  return rest;
}

/** The caller's query string (without `?`), checked. */
export function checkProxyQuery(query: string): string {
  if (query.length > MAX_PROXY_QUERY_LENGTH) throw refuse(`is longer than ${MAX_PROXY_QUERY_LENGTH} characters`, 'query');
  if (BAD_QUERY_CHARACTER.test(query)) throw refuse('has a control character, space, "#" or unencoded non-ASCII', 'query');
  return query;
}

/**
 * The path to hand `kit.connections.fetch` (which joins it to the base the same way) once the URL
 * it makes is proven to stay under the base.
 */
export function upstreamPath(apiBaseUrl: string, rest: string, query: string): string {
  const path = checkProxyPath(rest) + (checkProxyQuery(query) ? `?${query}` : '');
  const base = new URL(apiBaseUrl);
  const target = new URL(apiBaseUrl.replace(/\/$/, '') + '/' + path);
  const basePath = base.pathname.replace(/\/$/, '');
  if (target.origin !== base.origin || target.username !== base.username || !target.pathname.startsWith(basePath + '/')) {
    throw refuse("would leave the provider's API base");
  }
  return path;
}
