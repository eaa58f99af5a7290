/**
 * OAuth2 authorization-code providers as typed data (the Grant idea: providers are configuration,
 * quirks are a few flags). Built-ins follow their seeds and reference/providers.md §2–§5; any other
 * provider is described by the same fields from options or environment variables alone.
 */
export type ClientAuthMethod =
  /** RFC 6749 §2.3.1 credentials in the form body. */
  | 'client_secret_post'
  /** RFC 6749 §2.3.1 HTTP Basic with Appendix B form-encoding of id and secret. */
  | 'client_secret_basic'
  /** HTTP Basic of the raw `client_id:client_secret`, as Total Expert's guide shows (seed 004). */
  | 'client_secret_basic_raw';

export interface OAuthProviderDefinition {
  id: string;
  displayName: string;
  /** Expected `iss` in authorization responses (RFC 9207), when the provider sends one. */
  issuer?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  apiBaseUrl?: string;
  clientAuth: ClientAuthMethod;
  scopes: string[];
  /** PKCE S256 (RFC 7636); on unless the provider opts out. */
  pkce: boolean;
  /** Send `redirect_uri` with refresh requests too (TE Recruit's guide, seed 000). */
  redirectUriOnRefresh: boolean;
  /** Extra authorization request parameters (e.g. `prompt`). */
  authorizeParams: Record<string, string>;
  /** Headers for API calls made through `kit.connections.fetch` (CareerPlug: `Accept-Version: v1`). */
  apiHeaders: Record<string, string>;
  /** Grants the provider offers the kit: authorization code always; client credentials where documented. */
  clientCredentials: boolean;
  /** Authorization parameter carrying a per-connection SSO name (Total Expert: `serviceProvider`). */
  serviceProviderParam?: string;
  /** Lifetime assumed when a token response has no `expires_in` (T30: conservative). */
  defaultExpiresIn: number;
}

export interface ConfiguredProvider extends OAuthProviderDefinition {
  clientId: string;
  clientSecret: string;
  /** Default `serviceProvider` when a connection does not name one. */
  serviceProvider?: string;
  /**
   * The `serviceProvider` names a connection start may ask for: the configured list plus the
   * default `serviceProvider`; empty when neither is configured (then a start may name none).
   */
  serviceProviders: string[];
}

const base = { authorizeParams: {}, apiHeaders: {}, clientCredentials: false, defaultExpiresIn: 300, pkce: true, redirectUriOnRefresh: false };

/** The providers the kit knows by name. Their URLs can be overridden (sandboxes, fakes). */
export const BUILT_IN_PROVIDERS: Record<string, OAuthProviderDefinition> = {
  // Seed 000; Doorkeeper (reference/providers.md §2): credentials and redirect_uri in the body of
  // every token call, scopes read/write, rotating refresh tokens. PKCE is harmless without support.
  'te-recruit': {
    ...base,
    id: 'te-recruit',
    displayName: 'TE Recruit',
    authorizationEndpoint: 'https://bb3api.topechelon.com/top_echelon_provider/oauth/authorize',
    tokenEndpoint: 'https://bb3api.topechelon.com/top_echelon_provider/oauth/token',
    apiBaseUrl: 'https://bb3api.topechelon.com/public/v1',
    clientAuth: 'client_secret_post',
    scopes: ['read', 'write'],
    redirectUriOnRefresh: true,
  },
  // Seed 002; Doorkeeper + Grape (§3): authorization code with rotating refresh, or client
  // credentials (48 h, no refresh token); Accept-Version: v1 on API calls.
  careerplug: {
    ...base,
    id: 'careerplug',
    displayName: 'CareerPlug',
    authorizationEndpoint: 'https://app.careerplug.com/oauth/authorize',
    tokenEndpoint: 'https://app.careerplug.com/oauth/token',
    apiBaseUrl: 'https://api.careerplug.com',
    clientAuth: 'client_secret_post',
    scopes: [],
    redirectUriOnRefresh: true,
    apiHeaders: { 'accept-version': 'v1' },
    clientCredentials: true,
  },
  // Seed 004; oauth2-server-php (§4): Basic of client_id:client_secret on every token call,
  // state required, serviceProvider for SSO, token_type "bearer", refresh may omit refresh_token.
  'total-expert': {
    ...base,
    id: 'total-expert',
    displayName: 'Total Expert',
    authorizationEndpoint: 'https://totalexpert.net/authorize',
    tokenEndpoint: 'https://public.totalexpert.net/v1/token',
    apiBaseUrl: 'https://public.totalexpert.net/v1',
    clientAuth: 'client_secret_basic_raw',
    scopes: ['crm'],
    serviceProviderParam: 'serviceProvider',
    defaultExpiresIn: 3600,
  },
};

/** Options for a built-in provider: credentials, plus any field to override. */
export interface ProviderOptions extends Partial<Omit<OAuthProviderDefinition, 'id'>> {
  clientId: string;
  clientSecret: string;
  serviceProvider?: string;
  /** Other `serviceProvider` names a start may choose (an allow-list; the default `serviceProvider` is always allowed). */
  serviceProviders?: string[];
}
