/**
 * The kit's one typed options object, its defaults, and the checks that make bad configuration fail
 * at start with a message naming the option (and the environment variable that feeds it).
 */
import { resolve } from 'node:path';
import type { ScopeDescription, SignedInUser } from '../widget/protocol/http.js';
import { resolveAssessment, resolveProduct, type AssessmentOptions, type ResolvedAssessment, type SmartRecruitersProduct } from './assessment/assessment-options.js';
import { ConfigError } from './config-error.js';
import type { ConfiguredProvider, ProviderOptions } from './providers/oauth-providers.js';
import { resolveProviders } from './providers/resolve-providers.js';
import { scopes as englishScopes } from '../widget/i18n/locales/en.js';
import { resolveI18n, type I18nOptions } from './i18n/options.js';
import type { ResolvedI18n } from './i18n/localization.js';

export { ConfigError, ENV_NAMES } from './config-error.js';

/** What the partner's `authenticate` hook returns for a valid sign-in. */
export interface AuthenticatedUser extends SignedInUser {
  /** Stable user id in the partner's product. */
  id: string;
  /** The partner-side account (tenant) a SmartRecruiters company gets bound to. */
  tenantId: string;
}

export interface SignInAttempt {
  /** As typed, after `normalizeUsername` (default NFKC, trimmed, lower-case). */
  username: string;
  password: string;
  /** The client's address: the socket's, or with `trustProxy` hops the X-Forwarded-For entry your outermost proxy appended (IPv6 as its /64). */
  ip: string;
}

export type Authenticate = (attempt: SignInAttempt) => Promise<AuthenticatedUser | null>;

/**
 * Whether `user` may connect SmartRecruiters company `companyId` to their tenant. The kit cannot
 * know who administers a company at SmartRecruiters (company ids are public); the partner's own
 * records can. Called before anything is stored or sent for an approval.
 */
export type AuthorizeCompany = (request: { user: AuthenticatedUser; companyId: string }) => boolean | Promise<boolean>;

export interface ConsentKitOptions {
  /** Absolute origin (and optional path) the kit is reached at, e.g. `https://partner.example`. Every URL the kit builds starts here, never from the Host header. */
  publicUrl: string;
  /** Where the kit's routes are mounted. Default `/ats`. */
  prefix?: string;
  /** Path of the consent page under the prefix (the `consentUrl` registered at SmartRecruiters). Default `/consent`. */
  consentPath?: string;
  /** Path of our OAuth token endpoint under the prefix (the `oauthTokenUrl` registered at SmartRecruiters). Default `/oauth/token`. */
  tokenPath?: string;
  /** Path of the INTEGRATION_DISABLED callback under the prefix (the `callbackUrl`). Default `/smartrecruiters/callback`. */
  callbackPath?: string;
  /** Lifetime of the access tokens our token endpoint issues, in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Failed client authentications per client id within the window before 429. Default 10 per 60 s. */
  clientAuthThrottle?: { maxFailures?: number; windowSeconds?: number };
  /** How long a replaced secret keeps working after a rotation, in seconds. Default 86400. */
  rotationGraceSeconds?: number;
  /** Outbound webhook for integration events, signed with HMAC-SHA-256. */
  webhook?: { url: string; secret: string };
  /** Product name shown to the admin on the review step. */
  partnerName: string;
  smartRecruiters: SmartRecruitersOptions;
  /** The SmartRecruiters Assessment product (seed 003): used when `smartRecruiters.product` is `assessment`. */
  assessment?: AssessmentOptions;
  /** OAuth2 authorization-code providers: built-ins by name (`te-recruit`, `careerplug`, `total-expert`) or any other with its endpoints. */
  providers?: Record<string, ProviderOptions>;
  /**
   * Provider connections: origins allowed to receive the popup's result and be a `returnTo` (default: publicUrl's origin); flow
   * lifetime; connection starts allowed per user within the window (default 20 per 600 s, per process).
   */
  connections?: { allowedOrigins?: string[]; flowTtlSeconds?: number; startsPerUser?: number; startWindowSeconds?: number };
  /** Seals the session cookie (iron-session); at least 32 characters. */
  sessionSecret: string;
  /** Session lifetime in seconds. Default 900 (15 minutes). */
  sessionTtlSeconds?: number;
  /** Session cookie name. Default `__Host-ats-session`. */
  cookieName?: string;
  /** 32-byte key, base64 or base64url, for AES-256-GCM of stored credentials. */
  encryptionKey: string;
  /** Version number stored with every ciphertext made with `encryptionKey`. Default 1. */
  encryptionKeyVersion?: number;
  /** Older keys by version, kept only to decrypt what they encrypted. */
  previousEncryptionKeys?: Record<number, string>;
  /** `sqlite:<path>` (default `sqlite:./data/ats-consent.sqlite`), a plain file path, or `postgres://…` (several instances share it). */
  databaseUrl?: string;
  /** Checks a sign-in; return null for a wrong username or password. */
  authenticate: Authenticate;
  /** Failed sign-ins allowed per username and client within the window before 429 (×4 per client). Default 5 per 300 s. */
  signInThrottle?: { maxFailures?: number; windowSeconds?: number };
  /** The account name a typed username stands for: the sign-in throttle counts per account, and `authenticate` receives it. Default NFKC, trimmed, lower-case. */
  normalizeUsername?: (username: string) => string;
  /** Decides whether a user may connect a SmartRecruiters company to their tenant (see `AuthorizeCompany`). Default: anyone signed in may claim an unbound company. */
  authorizeCompany?: AuthorizeCompany;
  /** Approvals of companies not bound to the caller's tenant (new claims, contention) per user and per tenant within the window before 429. Default 10 per user, 30 per tenant, per 3600 s. */
  companyClaims?: { maxPerUser?: number; maxPerTenant?: number; windowSeconds?: number };
  /**
   * The partner API (`<prefix>/partner/v1`). `rateLimit`: requests one API key may make per window,
   * per process, answered past it with 429 and `Retry-After`, announced in `RateLimit-Policy` and
   * `RateLimit` headers. Default `max` 0: no limit (the callers are your own backends).
   */
  /** `enabled: false` leaves `<prefix>/partner/v1` unmounted (404), for a kit no backend calls over HTTP. */
  partnerApi?: { enabled?: boolean; rateLimit?: { max?: number; windowSeconds?: number } };
  /** How many proxies of yours stand in front of the kit: the client address is the X-Forwarded-For entry the outermost of them appended. Default 0 (X-Forwarded-For ignored). */
  trustProxy?: number;
  /** pino level. Default `info`. */
  logLevel?: string;
  /** When true the kit accepts http:// loopback origins and prints demo warnings. Never in production. */
  demo?: boolean;
  /** Languages: the consent page's default locale, and your own texts per locale (catalogue objects or a folder of `<tag>.json` files). */
  i18n?: I18nOptions;
}

export interface SmartRecruitersOptions {
  /** Which SmartRecruiters product this app is: `general` (General Partner, seed 001, default) or `assessment` (seed 003). */
  product?: SmartRecruitersProduct;
  /** SmartRecruiters API base URL; a sandbox or a fake can stand in. Default `https://api.smartrecruiters.com`. */
  apiBaseUrl?: string;
  /** Application ID given by SmartRecruiters' Partner & API team (General Partner product; unused by Assessment). */
  appId?: string;
  /** Master (partner-level) client id. */
  clientId: string;
  /** Master (partner-level) client secret. */
  clientSecret: string;
  /** Exact origins allowed to frame the consent page and to receive the admin back. Default `https://www.smartrecruiters.com`. */
  allowedOrigins?: string[];
  /** Scopes shown on the review step: ids known to the kit, or `{id, description}`. */
  scopes?: Array<string | ScopeDescription>;
  /** Timeout of every outbound call in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Scopes SmartRecruiters may request at our token endpoint. Default none (requests without `scope` always work). */
  issuedScopes?: string[];
  /** SR's limits per credential the kit keeps to (providers.md §1.8). Default 10 per second, 8 at once. */
  rateLimit?: { perSecond?: number; concurrent?: number };
}

/**
 * Plain-language text for the SmartRecruiters scopes the seeds and SR's OpenAPI name: the English
 * catalogue's, so every shipped locale translates the same list (widget/i18n/locales/).
 */
export const KNOWN_SR_SCOPES: Readonly<Record<string, string>> = englishScopes;

const DEFAULT_SCOPES = ['candidates_read', 'jobs_read'];
/** What an assessment app does on both sides (seed 003 §1.3: SR reads the packages and orders; the partner reads candidates and jobs and sends results). */
const ASSESSMENT_DEFAULT_SCOPES = ['packages_view', 'orders_manage', 'candidates_read', 'jobs_read', 'assessment_result_manage'];

export interface ResolvedConfig {
  publicUrl: URL;
  publicOrigin: string;
  prefix: string;
  consentPath: string;
  tokenPath: string;
  callbackPath: string;
  tokenLifetimeSeconds: number;
  clientAuthThrottle: { maxFailures: number; windowSeconds: number };
  rotationGraceSeconds: number;
  webhook: { url: URL; secret: string } | null;
  providers: Map<string, ConfiguredProvider>;
  connections: { allowedOrigins: string[]; flowTtlSeconds: number; startsPerUser: number; startWindowSeconds: number };
  partnerName: string;
  assessment: ResolvedAssessment | null;
  sr: {
    product: SmartRecruitersProduct;
    apiBaseUrl: URL;
    appId: string;
    clientId: string;
    clientSecret: string;
    allowedOrigins: string[];
    scopes: ScopeDescription[];
    timeoutMs: number;
    issuedScopes: string[];
    rateLimit: { perSecond: number; concurrent: number };
  };
  sessionSecret: string;
  sessionTtlSeconds: number;
  cookieName: string;
  encryptionKeys: Map<number, Buffer>;
  encryptionKeyVersion: number;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  authenticate: Authenticate;
  signInThrottle: { maxFailures: number; windowSeconds: number };
  normalizeUsername: (username: string) => string;
  authorizeCompany: AuthorizeCompany;
  companyClaims: { maxPerUser: number; maxPerTenant: number; windowSeconds: number };
  partnerApi: { enabled: boolean; rateLimit: { max: number; windowSeconds: number } };
  trustProxy: number;
  logLevel: string;
  demo: boolean;
  i18n: ResolvedI18n;
}

export function resolveConfig(options: ConsentKitOptions): ResolvedConfig {
  const demo = options.demo === true;
  const publicUrl = parseUrl('publicUrl', options.publicUrl);
  requireSecureOrigin('publicUrl', publicUrl, demo);
  const sr = options.smartRecruiters ?? ({} as SmartRecruitersOptions);
  const product = resolveProduct(sr.product);
  const apiBaseUrl = parseUrl('smartRecruiters.apiBaseUrl', sr.apiBaseUrl ?? 'https://api.smartrecruiters.com');
  requireSecureOrigin('smartRecruiters.apiBaseUrl', apiBaseUrl, demo);
  const allowedOrigins = (sr.allowedOrigins ?? ['https://www.smartrecruiters.com']).map((origin) =>
    parseOrigin(origin, demo, 'smartRecruiters.allowedOrigins'),
  );
  if (allowedOrigins.length === 0) throw new ConfigError('smartRecruiters.allowedOrigins', 'needs at least one origin');
  if (typeof options.authenticate !== 'function') throw new ConfigError('authenticate', 'must be a function');
  const sessionSecret = requiredString('sessionSecret', options.sessionSecret);
  if (sessionSecret.length < 32) throw new ConfigError('sessionSecret', 'must be at least 32 characters');
  const encryptionKeyVersion = positiveInt('encryptionKeyVersion', options.encryptionKeyVersion ?? 1);
  const encryptionKeys = new Map<number, Buffer>();
  for (const [version, key] of Object.entries(options.previousEncryptionKeys ?? {})) {
    encryptionKeys.set(positiveInt('previousEncryptionKeys', Number(version)), decodeKey('previousEncryptionKeys', key));
  }
  encryptionKeys.set(encryptionKeyVersion, decodeKey('encryptionKey', requiredString('encryptionKey', options.encryptionKey)));

  return {
    publicUrl,
    publicOrigin: publicUrl.origin,
    prefix: pathOption('prefix', options.prefix ?? '/ats'),
    consentPath: pathOption('consentPath', options.consentPath ?? '/consent'),
    tokenPath: pathOption('tokenPath', options.tokenPath ?? '/oauth/token'),
    callbackPath: pathOption('callbackPath', options.callbackPath ?? '/smartrecruiters/callback'),
    tokenLifetimeSeconds: positiveInt('tokenLifetimeSeconds', options.tokenLifetimeSeconds ?? 3600),
    clientAuthThrottle: {
      maxFailures: positiveInt('clientAuthThrottle.maxFailures', options.clientAuthThrottle?.maxFailures ?? 10),
      windowSeconds: positiveInt('clientAuthThrottle.windowSeconds', options.clientAuthThrottle?.windowSeconds ?? 60),
    },
    rotationGraceSeconds: positiveInt('rotationGraceSeconds', options.rotationGraceSeconds ?? 86_400),
    webhook: resolveWebhook(options.webhook, demo),
    providers: resolveProviders(options.providers, (option, value) => {
      const url = parseUrl(option, value);
      requireSecureOrigin(option, url, demo);
      return url;
    }),
    connections: {
      allowedOrigins: [publicUrl.origin, ...(options.connections?.allowedOrigins ?? []).map((origin) => parseOrigin(origin, demo, 'connections.allowedOrigins'))],
      flowTtlSeconds: positiveInt('connections.flowTtlSeconds', options.connections?.flowTtlSeconds ?? 600),
      startsPerUser: positiveInt('connections.startsPerUser', options.connections?.startsPerUser ?? 20),
      startWindowSeconds: positiveInt('connections.startWindowSeconds', options.connections?.startWindowSeconds ?? 600),
    },
    partnerName: requiredString('partnerName', options.partnerName),
    assessment: resolveAssessment(options.assessment, product),
    sr: {
      product,
      apiBaseUrl,
      // The Assessment exchange names no app (seed 003 §1.3): the master credentials identify it.
      appId: product === 'general' ? requiredString('smartRecruiters.appId', sr.appId) : (sr.appId ?? ''),
      clientId: requiredString('smartRecruiters.clientId', sr.clientId),
      clientSecret: requiredString('smartRecruiters.clientSecret', sr.clientSecret),
      allowedOrigins,
      scopes: resolveScopes(sr.scopes ?? (product === 'assessment' ? ASSESSMENT_DEFAULT_SCOPES : DEFAULT_SCOPES)),
      timeoutMs: positiveInt('smartRecruiters.timeoutMs', sr.timeoutMs ?? 10_000),
      issuedScopes: resolveIssuedScopes(sr.issuedScopes ?? []),
      rateLimit: {
        perSecond: positiveInt('smartRecruiters.rateLimit.perSecond', sr.rateLimit?.perSecond ?? 10),
        concurrent: positiveInt('smartRecruiters.rateLimit.concurrent', sr.rateLimit?.concurrent ?? 8),
      },
    },
    sessionSecret,
    sessionTtlSeconds: positiveInt('sessionTtlSeconds', options.sessionTtlSeconds ?? 900),
    cookieName: cookieName(options.cookieName ?? '__Host-ats-session'),
    encryptionKeys,
    encryptionKeyVersion,
    database: resolveDatabase(options.databaseUrl ?? 'sqlite:./data/ats-consent.sqlite'),
    authenticate: options.authenticate,
    signInThrottle: {
      maxFailures: positiveInt('signInThrottle.maxFailures', options.signInThrottle?.maxFailures ?? 5),
      windowSeconds: positiveInt('signInThrottle.windowSeconds', options.signInThrottle?.windowSeconds ?? 300),
    },
    normalizeUsername: optionalFunction('normalizeUsername', options.normalizeUsername) ?? defaultNormalizeUsername,
    authorizeCompany: optionalFunction('authorizeCompany', options.authorizeCompany) ?? (() => true),
    companyClaims: {
      maxPerUser: positiveInt('companyClaims.maxPerUser', options.companyClaims?.maxPerUser ?? 10),
      maxPerTenant: positiveInt('companyClaims.maxPerTenant', options.companyClaims?.maxPerTenant ?? 30),
      windowSeconds: positiveInt('companyClaims.windowSeconds', options.companyClaims?.windowSeconds ?? 3600),
    },
    partnerApi: {
      enabled: options.partnerApi?.enabled ?? true,
      rateLimit: {
        max: nonNegativeInt('partnerApi.rateLimit.max', options.partnerApi?.rateLimit?.max ?? 0),
        windowSeconds: positiveInt('partnerApi.rateLimit.windowSeconds', options.partnerApi?.rateLimit?.windowSeconds ?? 60),
      },
    },
    trustProxy: proxyHops(options.trustProxy),
    logLevel: options.logLevel ?? 'info',
    demo,
    i18n: resolveI18n(options.i18n),
  };
}

/** Usernames as typed differ in case, width and stray spaces; the account they name does not. */
export const defaultNormalizeUsername = (username: string): string => username.normalize('NFKC').trim().toLowerCase();

function optionalFunction<T>(option: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ConfigError(option, 'must be a function');
  return value;
}

/** `true` would trust every hop, so the client could write its own address (issue 13 finding 4). */
function proxyHops(value: unknown): number {
  if (value === undefined || value === false || value === 0) return 0;
  if (value === true) {
    throw new ConfigError('trustProxy', 'must be the number of proxies you run in front of the kit (for example 1), not true');
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError('trustProxy', 'must be the number of proxies you run in front of the kit (0 or more)');
  }
  return value;
}

function requiredString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(option, 'is required');
  return value;
}

function nonNegativeInt(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(option, 'must be 0 or a positive integer');
  return value;
}

function positiveInt(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(option, 'must be a positive integer');
  return value;
}

function parseUrl(option: string, value: unknown): URL {
  try {
    return new URL(requiredString(option, value));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(option, `is not an absolute URL: ${String(value)}`);
  }
}

/** localhost, 127.0.0.1 or [::1]: where http:// is allowed outside the demo. */
export const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

function requireSecureOrigin(option: string, url: URL, demo: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && (demo || isLoopback(url))) return;
  throw new ConfigError(option, 'must use https:// (http:// only on loopback)');
}

function parseOrigin(value: string, demo: boolean, option: string): string {
  const url = parseUrl(option, value);
  requireSecureOrigin(option, url, demo);
  if (url.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError(option, `must list bare origins (scheme://host[:port]), got ${value}`);
  }
  return url.origin;
}

function pathOption(option: string, value: string): string {
  if (!/^\/[A-Za-z0-9/_-]*$/.test(value) || value.includes('//')) {
    throw new ConfigError(option, `must be a path such as /ats, got ${value}`);
  }
  return value.length > 1 ? value.replace(/\/$/, '') : '';
}

function cookieName(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new ConfigError('cookieName', 'may only contain letters, digits, _ and -');
  return value;
}

function decodeKey(option: string, value: string): Buffer {
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new ConfigError(option, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  return key;
}

function resolveScopes(scopes: Array<string | ScopeDescription>): ScopeDescription[] {
  return scopes.map((scope) => {
    if (typeof scope !== 'string') {
      if (!scope.id || !scope.description) throw new ConfigError('smartRecruiters.scopes', 'entries need id and description');
      return scope;
    }
    const description = KNOWN_SR_SCOPES[scope];
    if (!description) {
      throw new ConfigError('smartRecruiters.scopes', `has no plain-language description for "${scope}"; give {id, description}`);
    }
    return { id: scope, description };
  });
}

function resolveDatabase(url: string): ResolvedConfig['database'] {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('databaseUrl', 'is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path === '') throw new ConfigError('databaseUrl', 'needs a file path after sqlite:');
  return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
}

function resolveWebhook(webhook: ConsentKitOptions['webhook'], demo: boolean): ResolvedConfig['webhook'] {
  if (!webhook || (!webhook.url && !webhook.secret)) return null;
  const url = parseUrl('webhook.url', webhook.url);
  requireSecureOrigin('webhook.url', url, demo);
  const secret = requiredString('webhook.secret', webhook.secret);
  if (secret.length < 32) throw new ConfigError('webhook.secret', 'must be at least 32 characters');
  return { url, secret };
}

function resolveIssuedScopes(scopes: string[]): string[] {
  for (const scope of scopes) {
    // RFC 6749 §3.3 scope-token
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) throw new ConfigError('smartRecruiters.issuedScopes', `has an invalid scope "${scope}"`);
  }
  return scopes;
}
