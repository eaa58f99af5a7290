/**
 * Every error code that crosses the wire, in one place (widget and server import this).
 *
 * OAuth-facing errors use the exact RFC 6749 §4.1.2.1 / §5.2 and RFC 6750 §3.1 strings; the kit's own codes carry an
 * `ATS_` prefix so a partner can tell a protocol error from a product error at a glance.
 */
export const OAuthErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidClient: 'invalid_client',
  InvalidGrant: 'invalid_grant',
  UnauthorizedClient: 'unauthorized_client',
  UnsupportedGrantType: 'unsupported_grant_type',
  InvalidScope: 'invalid_scope',
  AccessDenied: 'access_denied',
  ServerError: 'server_error',
  TemporarilyUnavailable: 'temporarily_unavailable',
  /** RFC 6750 §3.1 */
  InvalidToken: 'invalid_token',
  InsufficientScope: 'insufficient_scope',
} as const;
export type OAuthErrorCode = (typeof OAuthErrorCode)[keyof typeof OAuthErrorCode];

export const AtsErrorCode = {
  InvalidCompanyId: 'ATS_INVALID_COMPANY_ID',
  InvalidRedirect: 'ATS_INVALID_REDIRECT',
  InvalidInput: 'ATS_INVALID_INPUT',
  SessionRequired: 'ATS_SESSION_REQUIRED',
  SignInRequired: 'ATS_SIGN_IN_REQUIRED',
  SignInFailed: 'ATS_SIGN_IN_FAILED',
  SignInThrottled: 'ATS_SIGN_IN_THROTTLED',
  CsrfMismatch: 'ATS_CSRF_MISMATCH',
  OriginMismatch: 'ATS_ORIGIN_MISMATCH',
  CompanyBound: 'ATS_COMPANY_BOUND',
  CompanyNotAuthorized: 'ATS_COMPANY_NOT_AUTHORIZED',
  CompanyClaimsThrottled: 'ATS_COMPANY_CLAIMS_THROTTLED',
  ExchangeInProgress: 'ATS_EXCHANGE_IN_PROGRESS',
  UpstreamUnauthorized: 'ATS_UPSTREAM_UNAUTHORIZED',
  UpstreamForbidden: 'ATS_UPSTREAM_FORBIDDEN',
  UpstreamConflict: 'ATS_UPSTREAM_CONFLICT',
  /** Assessment (seed 003): SR holds our credentials but its answer with its own was lost (409 on the replay). */
  SrCredentialsLost: 'ATS_SR_CREDENTIALS_LOST',
  UpstreamRateLimited: 'ATS_UPSTREAM_RATE_LIMITED',
  UpstreamTimeout: 'ATS_UPSTREAM_TIMEOUT',
  UpstreamUnavailable: 'ATS_UPSTREAM_UNAVAILABLE',
  UpstreamBadResponse: 'ATS_UPSTREAM_BAD_RESPONSE',
  UpstreamRejected: 'ATS_UPSTREAM_REJECTED',
  MethodNotAllowed: 'ATS_METHOD_NOT_ALLOWED',
  NotFound: 'ATS_NOT_FOUND',
  NotActive: 'ATS_INTEGRATION_NOT_ACTIVE',
  IntegrationDisabled: 'ATS_INTEGRATION_DISABLED',
  NeedsReconnect: 'ATS_NEEDS_RECONNECT',
  PopupBlocked: 'ATS_POPUP_BLOCKED',
  ConnectStartThrottled: 'ATS_CONNECT_START_THROTTLED',
  PayloadTooLarge: 'ATS_PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'ATS_UNSUPPORTED_MEDIA_TYPE',
  Network: 'ATS_NETWORK',
  InvalidMessage: 'ATS_INVALID_MESSAGE',
  OpaqueOrigin: 'ATS_OPAQUE_ORIGIN',
  /** Assessment (seed 003): what SmartRecruiters calls on us. */
  CompanyMismatch: 'ATS_COMPANY_MISMATCH',
  InvalidCallbackUrl: 'ATS_INVALID_CALLBACK_URL',
  PackageNotFound: 'ATS_PACKAGE_NOT_FOUND',
  CatalogueUnavailable: 'ATS_CATALOGUE_UNAVAILABLE',
  OrderConflict: 'ATS_ORDER_CONFLICT',
  InlineOrdersNotOffered: 'ATS_INLINE_ORDERS_NOT_OFFERED',
} as const;
export type AtsErrorCode = (typeof AtsErrorCode)[keyof typeof AtsErrorCode];

export type ErrorCode = OAuthErrorCode | AtsErrorCode;
