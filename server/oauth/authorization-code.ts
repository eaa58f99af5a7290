/**
 * The authorization-code client, through oauth4webapi, with a thin quirks layer for each provider
 * (the provider definition's flags, never a per-provider branch elsewhere):
 *
 * - RFC 6749 §4.1.1 authorization request with `state` (RFC 6749 §10.12) and PKCE S256 (RFC 7636
 *   §4.1–4.3; RFC 9700 §2.1.1) unless the provider opts out, plus provider parameters.
 * - §4.1.2 the callback is validated by oauth4webapi (state, `iss` per RFC 9207, error, no implicit).
 * - §4.1.3 code exchange with the identical `redirect_uri`; §6 refresh (TE Recruit and CareerPlug
 *   also want `redirect_uri` there); §4.4 client credentials where the provider offers it.
 * - Client authentication per provider: form body, RFC Basic, or Total Expert's raw Basic.
 * - `token_type` compared case-insensitively (Total Expert says "bearer"); no `expires_in` → the
 *   provider's conservative default (T30).
 */
import * as oauth from 'oauth4webapi';
import type { ConfiguredProvider } from '../providers/oauth-providers.js';
import { tokenRequestOptions } from './outbound.js';
import { tokenRequestFailure } from './token-errors.js';

export { InvalidGrantError } from './token-errors.js';

export interface ProviderTokens {
  accessToken: string;
  /** Undefined when the response had none (a refresh that keeps the old one, RFC 6749 §6). */
  refreshToken: string | undefined;
  scope: string | null;
  /** Seconds, from `expires_in` or the provider's default. */
  expiresIn: number;
}

/** The authorization response carried an error (the user denied, or the provider refused). */
export class AuthorizationDenied extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super(error);
    this.name = 'AuthorizationDenied';
  }
}

export function authorizationServer(provider: ConfiguredProvider): oauth.AuthorizationServer {
  return {
    issuer: provider.issuer ?? new URL(provider.authorizationEndpoint).origin,
    authorization_endpoint: provider.authorizationEndpoint,
    token_endpoint: provider.tokenEndpoint,
  };
}

function clientAuthentication(provider: ConfiguredProvider): oauth.ClientAuth {
  switch (provider.clientAuth) {
    case 'client_secret_post':
      return oauth.ClientSecretPost(provider.clientSecret);
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(provider.clientSecret);
    case 'client_secret_basic_raw':
      // Seed 004: `Authorization: Basic base64(client_id:client_secret)`, without Appendix B encoding.
      return (_as, client, _body, headers) => {
        headers.set('authorization', 'Basic ' + Buffer.from(`${client.client_id}:${provider.clientSecret}`).toString('base64'));
      };
  }
}

/** outbound.ts's policy for every token call: timeout, no redirects, capped response (T37). */
function requestOptions(provider: ConfiguredProvider, timeoutMs: number, additionalParameters?: Record<string, string>) {
  return {
    ...tokenRequestOptions(provider.tokenEndpoint, timeoutMs),
    ...(additionalParameters ? { additionalParameters } : {}),
  };
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  codeVerifier: string | null;
  serviceProvider: string | null;
}

/** RFC 6749 §4.1.1 (+ RFC 7636 §4.3). */
export async function buildAuthorizationUrl(provider: ConfiguredProvider, request: AuthorizationRequest): Promise<URL> {
  const url = new URL(provider.authorizationEndpoint);
  const params: Record<string, string> = {
    ...provider.authorizeParams,
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
  };
  if (provider.scopes.length > 0) params.scope = provider.scopes.join(' ');
  if (request.codeVerifier) {
    params.code_challenge = await oauth.calculatePKCECodeChallenge(request.codeVerifier);
    params.code_challenge_method = 'S256';
  }
  if (provider.serviceProviderParam && request.serviceProvider) params[provider.serviceProviderParam] = request.serviceProvider;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** RFC 6749 §4.1.2 validation then §4.1.3 exchange, at once (codes live 30 s at some providers). */
export async function exchangeCode(
  provider: ConfiguredProvider,
  callback: URLSearchParams,
  expected: { state: string; redirectUri: string; codeVerifier: string | null },
  timeoutMs: number,
): Promise<ProviderTokens> {
  const as = authorizationServer(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, expected.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw new AuthorizationDenied(error.error, error.error_description);
    throw error;
  }
  return tokenCall(provider, async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuthentication(provider), params, expected.redirectUri, expected.codeVerifier ?? oauth.nopkce, requestOptions(provider, timeoutMs)),
    ),
  );
}

/** RFC 6749 §6. */
export function refreshTokens(provider: ConfiguredProvider, refreshToken: string, redirectUri: string, timeoutMs: number): Promise<ProviderTokens> {
  const as = authorizationServer(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  const extra = provider.redirectUriOnRefresh ? { redirect_uri: redirectUri } : undefined;
  return tokenCall(provider, async () =>
    oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuthentication(provider), refreshToken, requestOptions(provider, timeoutMs, extra)),
    ),
  );
}

/** RFC 6749 §4.4 (CareerPlug's partner variant: 48 h tokens, no refresh token). */
export function clientCredentialsTokens(provider: ConfiguredProvider, timeoutMs: number): Promise<ProviderTokens> {
  const as = authorizationServer(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  return tokenCall(provider, async () =>
    oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, clientAuthentication(provider), new URLSearchParams(), requestOptions(provider, timeoutMs)),
    ),
  );
}

/** Runs one token call and reads its response (errors: token-errors.ts). */
async function tokenCall(provider: ConfiguredProvider, call: () => Promise<oauth.TokenEndpointResponse>): Promise<ProviderTokens> {
  let response: oauth.TokenEndpointResponse;
  try {
    response = await call();
  } catch (error) {
    throw tokenRequestFailure(error, provider.id);
  }
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    scope: response.scope ?? null,
    expiresIn: response.expires_in ?? provider.defaultExpiresIn,
  };
}
