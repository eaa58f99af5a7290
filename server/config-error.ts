/**
 * Configuration errors name the option and the environment variable that feeds it.
 */
/** Option path → environment variable, so errors can name both. */
export const ENV_NAMES: Record<string, string> = {
  publicUrl: 'ATS_PUBLIC_URL',
  prefix: 'ATS_PREFIX',
  consentPath: 'ATS_CONSENT_PATH',
  tokenPath: 'ATS_TOKEN_PATH',
  callbackPath: 'ATS_CALLBACK_PATH',
  tokenLifetimeSeconds: 'ATS_TOKEN_LIFETIME_SECONDS',
  'clientAuthThrottle.maxFailures': 'ATS_CLIENT_AUTH_MAX_FAILURES',
  'clientAuthThrottle.windowSeconds': 'ATS_CLIENT_AUTH_WINDOW_SECONDS',
  rotationGraceSeconds: 'ATS_ROTATION_GRACE_SECONDS',
  'webhook.url': 'ATS_WEBHOOK_URL',
  'webhook.secret': 'ATS_WEBHOOK_SECRET',
  'connections.allowedOrigins': 'ATS_CONNECT_ALLOWED_ORIGINS',
  'connections.flowTtlSeconds': 'ATS_CONNECT_FLOW_TTL_SECONDS',
  'connections.startsPerUser': 'ATS_CONNECT_STARTS_PER_USER',
  'connections.startWindowSeconds': 'ATS_CONNECT_START_WINDOW_SECONDS',
  partnerName: 'ATS_PARTNER_NAME',
  'smartRecruiters.product': 'ATS_SR_PRODUCT',
  'smartRecruiters.apiBaseUrl': 'ATS_SR_API_BASE_URL',
  'assessment.consentDisplayMode': 'ATS_ASSESSMENT_CONSENT_DISPLAY_MODE',
  'assessment.supportedAssessmentTypes': 'ATS_ASSESSMENT_TYPES',
  'assessment.fields': 'ATS_ASSESSMENT_FIELDS',
  'assessment.packages': 'ATS_ASSESSMENT_PACKAGES_FILE',
  'assessment.inlineOrderUrl': 'ATS_ASSESSMENT_INLINE_URL_TEMPLATE',
  // The standalone server's other way to the inline-order URL (no option of their own: they build the hook).
  'assessment.inlineOrderUrl.endpoint': 'ATS_ASSESSMENT_INLINE_URL_ENDPOINT',
  'assessment.inlineOrderUrl.secret': 'ATS_ASSESSMENT_INLINE_URL_SECRET',
  'assessment.hookTimeoutMs': 'ATS_ASSESSMENT_HOOK_TIMEOUT_MS',
  'assessment.catalogueFallbackSeconds': 'ATS_ASSESSMENT_CATALOGUE_FALLBACK_SECONDS',
  'assessment.maxAttachmentBytes': 'ATS_ASSESSMENT_MAX_ATTACHMENT_BYTES',
  'smartRecruiters.appId': 'ATS_SR_APP_ID',
  'smartRecruiters.clientId': 'ATS_SR_CLIENT_ID',
  'smartRecruiters.clientSecret': 'ATS_SR_CLIENT_SECRET',
  'smartRecruiters.allowedOrigins': 'ATS_SR_ALLOWED_ORIGINS',
  'smartRecruiters.scopes': 'ATS_SR_SCOPES',
  'smartRecruiters.timeoutMs': 'ATS_SR_TIMEOUT_MS',
  'smartRecruiters.issuedScopes': 'ATS_SR_ISSUED_SCOPES',
  'smartRecruiters.rateLimit.perSecond': 'ATS_SR_RATE_LIMIT_PER_SECOND',
  'smartRecruiters.rateLimit.concurrent': 'ATS_SR_RATE_LIMIT_CONCURRENT',
  sessionSecret: 'ATS_SESSION_SECRET',
  sessionTtlSeconds: 'ATS_SESSION_TTL_SECONDS',
  cookieName: 'ATS_COOKIE_NAME',
  encryptionKey: 'ATS_ENCRYPTION_KEY',
  encryptionKeyVersion: 'ATS_ENCRYPTION_KEY_VERSION',
  databaseUrl: 'ATS_DATABASE_URL',
  'signInThrottle.maxFailures': 'ATS_SIGN_IN_MAX_FAILURES',
  'signInThrottle.windowSeconds': 'ATS_SIGN_IN_WINDOW_SECONDS',
  'companyClaims.maxPerUser': 'ATS_COMPANY_CLAIMS_MAX_PER_USER',
  'companyClaims.maxPerTenant': 'ATS_COMPANY_CLAIMS_MAX_PER_TENANT',
  'companyClaims.windowSeconds': 'ATS_COMPANY_CLAIMS_WINDOW_SECONDS',
  'partnerApi.enabled': 'ATS_PARTNER_API',
  'partnerApi.rateLimit.max': 'ATS_PARTNER_API_RATE_LIMIT',
  'partnerApi.rateLimit.windowSeconds': 'ATS_PARTNER_API_RATE_LIMIT_WINDOW_SECONDS',
  trustProxy: 'ATS_TRUST_PROXY',
  logLevel: 'ATS_LOG_LEVEL',
  'i18n.defaultLocale': 'ATS_DEFAULT_LOCALE',
  'i18n.directory': 'ATS_LOCALES_DIR',
};

export class ConfigError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    const env = ENV_NAMES[option] ?? providerEnvName(option);
    super(`ats-consent: option "${option}"${env ? ` (${env})` : ''} ${problem}`);
    this.name = 'ConfigError';
  }
}


/** `providers.te-recruit.clientId` → `ATS_PROVIDER_TE_RECRUIT_CLIENT_ID`. */
function providerEnvName(option: string): string | undefined {
  const match = /^providers\.([a-z0-9-]+)(?:\.(\w+))?$/.exec(option);
  if (!match) return undefined;
  const field = (match[2] ?? '').replace(/([A-Z])/g, '_$1').toUpperCase();
  const fieldName = { AUTHORIZATION_ENDPOINT: 'AUTHORIZATION_URL', TOKEN_ENDPOINT: 'TOKEN_URL', DISPLAY_NAME: 'NAME' }[field] ?? field;
  return `ATS_PROVIDER_${match[1]!.toUpperCase().replace(/-/g, '_')}${fieldName ? '_' + fieldName : ''}`;
}
