/**
 * The consent page's entry parameters, `companyId` and `redirect` (seed 001 §3), are attacker-
 * controlled until proven otherwise (reference/security.md T1, T2). Both are checked before
 * anything interactive renders; a bad value means an error page, never a redirect.
 */
import { COMPANY_ID_PATTERN } from '../../widget/protocol/http.js';

const MAX_REDIRECT_LENGTH = 2048;
// Control characters, whitespace, backslashes and anything outside printable ASCII: each has fooled
// some URL parser into a different host than the one a string comparison saw (T1).
const UNSAFE_URL_CHARACTERS = /[^\x21-\x7e]|\\/;

export function isValidCompanyId(value: string): boolean {
  return COMPANY_ID_PATTERN.test(value);
}

/**
 * Returns the canonical serialization of `raw` when its origin is exactly one of `allowedOrigins`
 * (scheme, host and port compared as whole strings, RFC 9700 §4.11), or null otherwise.
 */
export function validateRedirect(raw: string, allowedOrigins: readonly string[]): string | null {
  if (raw.length === 0 || raw.length > MAX_REDIRECT_LENGTH || UNSAFE_URL_CHARACTERS.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw); // absolute URLs only: no base, so `//host` and `/path` throw
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (!allowedOrigins.includes(url.origin)) return null;
  return url.href;
}

/** Appends RFC 6749 §4.1.2.1-style result parameters to a validated redirect. */
export function withResultParams(redirect: string, params: Record<string, string>): string {
  const url = new URL(redirect);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}
