/**
 * The same options, read from environment variables (the standalone server and the demo). Every
 * variable is listed in `ENV_NAMES` and documented in the README; `authenticate` cannot come from
 * the environment and is passed in.
 */
import { isLoopback, type Authenticate, type ConsentKitOptions } from './config.js';
import { ConfigError } from './config-error.js';
import { DEFAULT_HOOK_TIMEOUT_MS, type AssessmentOptions, type SmartRecruitersProduct } from './assessment/assessment-options.js';
import { inlineUrlFromEndpoint } from './assessment/inline-url-endpoint.js';
import { inlineUrlFromTemplate, packagesFromFile } from './assessment/standalone-hooks.js';
import type { AssessmentType, ConsentDisplayMode } from './assessment/sr-assessment-types.js';
import { providersFromEnv } from './providers/resolve-providers.js';

type Env = Record<string, string | undefined>;

export function optionsFromEnv(env: Env, authenticate: Authenticate): ConsentKitOptions {
  const number = (option: string, name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) throw new ConfigError(option, `must be an integer, got "${raw}"`);
    return value;
  };
  const list = (name: string): string[] | undefined =>
    env[name]
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return {
    publicUrl: env.ATS_PUBLIC_URL ?? '',
    prefix: env.ATS_PREFIX,
    consentPath: env.ATS_CONSENT_PATH,
    tokenPath: env.ATS_TOKEN_PATH,
    callbackPath: env.ATS_CALLBACK_PATH,
    tokenLifetimeSeconds: number('tokenLifetimeSeconds', 'ATS_TOKEN_LIFETIME_SECONDS'),
    clientAuthThrottle: {
      maxFailures: number('clientAuthThrottle.maxFailures', 'ATS_CLIENT_AUTH_MAX_FAILURES'),
      windowSeconds: number('clientAuthThrottle.windowSeconds', 'ATS_CLIENT_AUTH_WINDOW_SECONDS'),
    },
    rotationGraceSeconds: number('rotationGraceSeconds', 'ATS_ROTATION_GRACE_SECONDS'),
    providers: providersFromEnv(env),
    connections: {
      allowedOrigins: list('ATS_CONNECT_ALLOWED_ORIGINS'),
      flowTtlSeconds: number('connections.flowTtlSeconds', 'ATS_CONNECT_FLOW_TTL_SECONDS'),
      startsPerUser: number('connections.startsPerUser', 'ATS_CONNECT_STARTS_PER_USER'),
      startWindowSeconds: number('connections.startWindowSeconds', 'ATS_CONNECT_START_WINDOW_SECONDS'),
    },
    webhook: env.ATS_WEBHOOK_URL || env.ATS_WEBHOOK_SECRET ? { url: env.ATS_WEBHOOK_URL ?? '', secret: env.ATS_WEBHOOK_SECRET ?? '' } : undefined,
    partnerName: env.ATS_PARTNER_NAME ?? '',
    smartRecruiters: {
      product: env.ATS_SR_PRODUCT as SmartRecruitersProduct | undefined,
      apiBaseUrl: env.ATS_SR_API_BASE_URL,
      appId: env.ATS_SR_APP_ID ?? '',
      clientId: env.ATS_SR_CLIENT_ID ?? '',
      clientSecret: env.ATS_SR_CLIENT_SECRET ?? '',
      allowedOrigins: list('ATS_SR_ALLOWED_ORIGINS'),
      scopes: list('ATS_SR_SCOPES')?.map(parseScope),
      timeoutMs: number('smartRecruiters.timeoutMs', 'ATS_SR_TIMEOUT_MS'),
      issuedScopes: list('ATS_SR_ISSUED_SCOPES'),
      rateLimit: {
        perSecond: number('smartRecruiters.rateLimit.perSecond', 'ATS_SR_RATE_LIMIT_PER_SECOND'),
        concurrent: number('smartRecruiters.rateLimit.concurrent', 'ATS_SR_RATE_LIMIT_CONCURRENT'),
      },
    },
    assessment: env.ATS_SR_PRODUCT === 'assessment' ? assessmentFromEnv(env, number) : undefined,
    sessionSecret: env.ATS_SESSION_SECRET ?? '',
    sessionTtlSeconds: number('sessionTtlSeconds', 'ATS_SESSION_TTL_SECONDS'),
    cookieName: env.ATS_COOKIE_NAME,
    encryptionKey: env.ATS_ENCRYPTION_KEY ?? '',
    encryptionKeyVersion: number('encryptionKeyVersion', 'ATS_ENCRYPTION_KEY_VERSION'),
    databaseUrl: env.ATS_DATABASE_URL,
    signInThrottle: {
      maxFailures: number('signInThrottle.maxFailures', 'ATS_SIGN_IN_MAX_FAILURES'),
      windowSeconds: number('signInThrottle.windowSeconds', 'ATS_SIGN_IN_WINDOW_SECONDS'),
    },
    companyClaims: {
      maxPerUser: number('companyClaims.maxPerUser', 'ATS_COMPANY_CLAIMS_MAX_PER_USER'),
      maxPerTenant: number('companyClaims.maxPerTenant', 'ATS_COMPANY_CLAIMS_MAX_PER_TENANT'),
      windowSeconds: number('companyClaims.windowSeconds', 'ATS_COMPANY_CLAIMS_WINDOW_SECONDS'),
    },
    partnerApi: {
      enabled: onOff('partnerApi.enabled', env.ATS_PARTNER_API),
      rateLimit: {
        max: number('partnerApi.rateLimit.max', 'ATS_PARTNER_API_RATE_LIMIT'),
        windowSeconds: number('partnerApi.rateLimit.windowSeconds', 'ATS_PARTNER_API_RATE_LIMIT_WINDOW_SECONDS'),
      },
    },
    trustProxy: proxyHopsFromEnv(env.ATS_TRUST_PROXY),
    logLevel: env.ATS_LOG_LEVEL,
    // Languages without code: the default locale and a folder of <tag>.json catalogues.
    i18n: { defaultLocale: env.ATS_DEFAULT_LOCALE, directory: env.ATS_LOCALES_DIR },
    authenticate,
  };
}

/** The Assessment product without code: a catalogue file, an inline-order URL template, fields as JSON. */
function assessmentFromEnv(env: Env, number: (option: string, name: string) => number | undefined): AssessmentOptions {
  const list = (raw: string | undefined) => raw?.split(',').map((item) => item.trim()).filter(Boolean);
  let fields: AssessmentOptions['fields'];
  if (env.ATS_ASSESSMENT_FIELDS) {
    try {
      fields = JSON.parse(env.ATS_ASSESSMENT_FIELDS) as AssessmentOptions['fields'];
    } catch {
      throw new ConfigError('assessment.fields', 'must be a JSON array of {id, name, description}');
    }
  }
  const publicUrl = env.ATS_PUBLIC_URL ?? '';
  const hookTimeoutMs = number('assessment.hookTimeoutMs', 'ATS_ASSESSMENT_HOOK_TIMEOUT_MS');
  return {
    consentDisplayMode: env.ATS_ASSESSMENT_CONSENT_DISPLAY_MODE as ConsentDisplayMode | undefined,
    supportedAssessmentTypes: list(env.ATS_ASSESSMENT_TYPES) as AssessmentType[] | undefined,
    fields,
    ...(env.ATS_ASSESSMENT_PACKAGES_FILE ? { packages: packagesFromFile(env.ATS_ASSESSMENT_PACKAGES_FILE) } : {}),
    ...inlineOrderUrlFromEnv(env, URL.canParse(publicUrl) && isLoopback(new URL(publicUrl)), hookTimeoutMs),
    hookTimeoutMs,
    catalogueFallbackSeconds: number('assessment.catalogueFallbackSeconds', 'ATS_ASSESSMENT_CATALOGUE_FALLBACK_SECONDS'),
    maxAttachmentBytes: number('assessment.maxAttachmentBytes', 'ATS_ASSESSMENT_MAX_ATTACHMENT_BYTES'),
  };
}

/** `on` / `off` (unset: the option's default). */
function onOff(option: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(option, `must be on or off, got "${raw}"`);
}

/** A hop count: `true` would trust every hop, so the client could write its own address. */
function proxyHopsFromEnv(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '' || raw === 'false') return undefined;
  const hops = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(hops)) {
    throw new ConfigError('trustProxy', `must be the number of proxies you run in front of the kit (for example 1), got "${raw}"`);
  }
  return hops;
}

/** `candidates_read` or `candidates_read=Read candidate profiles`. */
function parseScope(item: string): string | { id: string; description: string } {
  const separator = item.indexOf('=');
  if (separator < 0) return item;
  return { id: item.slice(0, separator).trim(), description: item.slice(separator + 1).trim() };
}

/** The inline-order URL from a template, or from the partner's own endpoint (inline-url-endpoint.ts); not both. */
function inlineOrderUrlFromEnv(env: Env, loopbackKit: boolean, hookTimeoutMs: number | undefined): Pick<AssessmentOptions, 'inlineOrderUrl'> {
  const template = env.ATS_ASSESSMENT_INLINE_URL_TEMPLATE;
  const endpoint = env.ATS_ASSESSMENT_INLINE_URL_ENDPOINT;
  if (template && endpoint) throw new ConfigError('assessment.inlineOrderUrl.endpoint', 'cannot be set together with ATS_ASSESSMENT_INLINE_URL_TEMPLATE: choose one');
  if (template) return { inlineOrderUrl: inlineUrlFromTemplate(template, loopbackKit) };
  if (!endpoint) return {};
  if (!URL.canParse(endpoint)) throw new ConfigError('assessment.inlineOrderUrl.endpoint', 'must be an absolute URL');
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopbackKit || isLoopback(url)))) {
    throw new ConfigError('assessment.inlineOrderUrl.endpoint', 'must be an https:// URL (the order carries the candidate)');
  }
  if (url.username || url.password) throw new ConfigError('assessment.inlineOrderUrl.endpoint', 'must not carry credentials: the secret signs each request');
  const secret = env.ATS_ASSESSMENT_INLINE_URL_SECRET ?? '';
  if (secret.length < 32) throw new ConfigError('assessment.inlineOrderUrl.secret', 'must be at least 32 characters when ATS_ASSESSMENT_INLINE_URL_ENDPOINT is set');
  return { inlineOrderUrl: inlineUrlFromEndpoint({ url, secret, timeoutMs: hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS }) };
}
