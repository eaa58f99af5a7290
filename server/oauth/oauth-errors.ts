/**
 * RFC 6749 §5.2 and RFC 6750 §3.1 errors, as `AtsServerError`s with the exact codes and statuses.
 * Descriptions stay within the characters §5.2 allows (%x20-21 / %x23-5B / %x5D-7E) and never
 * echo input.
 */
import { OAuthErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';

export const invalidRequest = (description: string) => new AtsServerError(400, OAuthErrorCode.InvalidRequest, description);

export const unsupportedGrantType = () =>
  new AtsServerError(400, OAuthErrorCode.UnsupportedGrantType, 'Only grant_type=client_credentials is supported.');

export const invalidScope = (description: string) => new AtsServerError(400, OAuthErrorCode.InvalidScope, description);

/**
 * §5.2: 401 invalid_client; with `WWW-Authenticate` matching the scheme when the client used the
 * Authorization header. One message for every cause, so an unknown client and a wrong secret
 * read the same (T18).
 */
export const invalidClient = (realm: string, usedBasic: boolean) =>
  new AtsServerError(401, OAuthErrorCode.InvalidClient, 'Client authentication failed.', {
    headers: usedBasic ? { 'www-authenticate': `Basic realm="${realm}"` } : {},
  });

/** RFC 6750 §3: the Bearer challenge, with an error code when a token was presented. */
export function bearerError(
  realm: string,
  status: 400 | 401 | 403,
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  description?: string,
): AtsServerError {
  const challenge = [`Bearer realm="${realm}"`];
  if (error) challenge.push(`error="${error}"`);
  if (error && description) challenge.push(`error_description="${description}"`);
  return new AtsServerError(status, error ?? 'invalid_token', description ?? 'An access token is required.', {
    headers: { 'www-authenticate': challenge.join(', ') },
  });
}
