/**
 * Client authentication at our token endpoint, RFC 6749 §2.3.1: `client_secret_basic` (which the
 * RFC says an AS MUST support) and `client_secret_post` (SmartRecruiters' documented form).
 * Exactly one mechanism per request (T17, mirroring node-oidc-provider's client_auth).
 *
 * Basic credentials are decoded per Appendix B: base64, then the id and the secret are each
 * application/x-www-form-urlencoded, so `+` is a space and `%XX` an octet. A raw value that is not
 * in that encoding is refused rather than guessed at.
 */
import { invalidRequest } from './oauth-errors.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** What a form-urlencoded token may contain: unreserved characters, `+`, and %XX escapes. */
const FORM_ENCODED = /^(?:[A-Za-z0-9\-._~!*'()+]|%[0-9A-Fa-f]{2})*$/;
const MAX_CREDENTIAL_LENGTH = 512;

/** The credentials a request presents, or null when it presents none. */
export function readClientCredentials(authorization: string | undefined, form: URLSearchParams): ClientCredentials | null {
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (authorization !== undefined && authorization !== '') {
    const basic = decodeBasic(authorization);
    if (bodySecret !== null) throw invalidRequest('Client authentication must only be provided using one mechanism.');
    if (bodyId !== null && bodyId !== basic.clientId) throw invalidRequest('client_id in the body does not match the Authorization header.');
    return basic;
  }
  if (bodyId === null && bodySecret === null) return null;
  if (!bodyId || !bodySecret) throw invalidRequest('Both client_id and client_secret are required.');
  if (bodyId.length > MAX_CREDENTIAL_LENGTH || bodySecret.length > MAX_CREDENTIAL_LENGTH) {
    throw invalidRequest('client_id or client_secret is too long.');
  }
  return { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post' };
}

function decodeBasic(header: string): ClientCredentials {
  const match = /^Basic(?: (\S*))?$/i.exec(header);
  if (!match) throw invalidRequest('Only the Basic authentication scheme is accepted here.');
  const encoded = match[1] ?? '';
  if (!BASE64.test(encoded) || encoded.length > MAX_CREDENTIAL_LENGTH * 3) {
    throw invalidRequest('Invalid authorization header value format.');
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw invalidRequest('Invalid authorization header value format.');
  }
  const clientId = formDecode(decoded.slice(0, separator));
  const clientSecret = formDecode(decoded.slice(separator + 1));
  if (clientId === '' || clientSecret === '') throw invalidRequest('Both client_id and client_secret are required.');
  return { clientId, clientSecret, method: 'client_secret_basic' };
}

/** RFC 6749 Appendix B decoding of one token; anything not form-encoded is an error. */
function formDecode(raw: string): string {
  if (!FORM_ENCODED.test(raw)) {
    throw invalidRequest('client_id and client_secret in the authorization header are not properly encoded.');
  }
  try {
    return decodeURIComponent(raw.replace(/\+/g, '%20'));
  } catch {
    throw invalidRequest('client_id and client_secret in the authorization header are not properly encoded.');
  }
}
