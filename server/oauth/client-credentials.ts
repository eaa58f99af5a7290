/**
 * RFC 6749 §4.4 client credentials grant, through oauth4webapi.
 *
 * SmartRecruiters' guide (seed 001 §2) sends the credentials in the form body, so client
 * authentication is `client_secret_post` (RFC 6749 §2.3.1). oauth4webapi validates the response
 * (JSON, `access_token`, `token_type`); token-errors.ts maps its errors to ours. The request goes
 * out with outbound.ts's policy: timeout, no redirects, capped response.
 */
import * as oauth from 'oauth4webapi';
import { tokenRequestOptions } from './outbound.js';
import type { FetchedToken } from './token-cache.js';
import { tokenRequestFailure } from './token-errors.js';

export interface ClientCredentialsOptions {
  tokenEndpoint: URL;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Seconds assumed when the server omits `expires_in` (reference/security.md T32). */
  defaultExpiresIn?: number;
}

export async function requestClientCredentialsToken(options: ClientCredentialsOptions): Promise<FetchedToken> {
  const as: oauth.AuthorizationServer = {
    issuer: options.tokenEndpoint.origin,
    token_endpoint: options.tokenEndpoint.href,
  };
  const client: oauth.Client = { client_id: options.clientId };
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(options.clientSecret),
      new URLSearchParams(),
      tokenRequestOptions(options.tokenEndpoint, options.timeoutMs),
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    return { accessToken: result.access_token, expiresIn: result.expires_in ?? options.defaultExpiresIn ?? 300 };
  } catch (error) {
    throw tokenRequestFailure(error);
  }
}
