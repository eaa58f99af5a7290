/**
 * The one place oauth4webapi's token-endpoint errors become ours, for every grant the kit requests
 * (SmartRecruiters' client credentials, providers' code, refresh and client credentials).
 */
import * as oauth from 'oauth4webapi';
import { OutboundError } from './outbound.js';

/** The provider refused the grant itself (RFC 6749 §5.2 `invalid_grant`): used, expired or revoked. */
export class InvalidGrantError extends Error {
  constructor(readonly provider: string) {
    super(`${provider}: invalid_grant`);
    this.name = 'InvalidGrantError';
  }
}

/**
 * `grantProvider`: set when the caller holds a grant that can die (a code or a refresh token), so
 * `invalid_grant` is reported as such; otherwise it is a plain rejection.
 */
export function tokenRequestFailure(error: unknown, grantProvider?: string): Error {
  if (error instanceof OutboundError) return error; // cappedFetch refused the response (too large)
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_grant' && grantProvider) return new InvalidGrantError(grantProvider);
    if (error.error === 'invalid_client') return new OutboundError('token', 'unauthorized', { status: error.status, cause: error });
    return OutboundError.fromStatus('token', error.status, { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // Doorkeeper (TE Recruit, CareerPlug) sends its challenge with every token error, a 400
    // invalid_grant included (reference/providers.md §2.2), and oauth4webapi then reports the
    // challenge instead of the body: its `error` says the same as the body's would.
    const code = error.cause.find((challenge) => typeof challenge.parameters.error === 'string')?.parameters.error;
    if (code === 'invalid_grant' && grantProvider) return new InvalidGrantError(grantProvider);
    if (error.status === 401 || code === 'invalid_client') return new OutboundError('token', 'unauthorized', { status: error.status, cause: error });
    return OutboundError.fromStatus('token', error.status, { cause: error });
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || error instanceof TypeError) return OutboundError.fromFetchFailure('token', error);
  // A response that is not a token response: oauth4webapi attaches it as the cause.
  const status = ((error as { cause?: unknown } | undefined)?.cause as { status?: unknown } | undefined)?.status;
  return OutboundError.fromStatus('token', typeof status === 'number' ? status : 200, { cause: error });
}
