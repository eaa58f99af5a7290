/**
 * The kit's one typed options object, its defaults, and the checks that make bad configuration fail
 * at start with a message naming the option (and the environment variable that feeds it).
 */
import { resolve } from 'node:path';
import type { ScopeDescription, SignedInUser } from '../widget/protocol/http.js';
import { ConfigError } from './config-error.js';
import type { ConfiguredProvider, ProviderOptions } from './providers/oauth-providers.js';
import { resolveProviders } from './providers/resolve-providers.js';

export { ConfigError, ENV_NAMES } from './config-error.js';

/** What the partner's `authenticate` hook returns for a valid sign-in. */
export interface AuthenticatedUser extends SignedInUser {
  /** Stable user id in the partner's product. */
  id: string;
  /** The partner-side account (tenant) a SmartRecruiters company gets bound to. */
  tenantId: string;
}

export interface SignInAttempt {
  username: string;
  password: string;
  /** Client IP as Koa sees it (honours X-Forwarded-For only when `trustProxy` is set). */
  ip: string;
}

export type Authenticate = (attempt: SignInAttempt) => Promise<AuthenticatedUser | null>;

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
  /** Failed sign-ins allowed per username and per IP within the window before 429. Default 5 per 300 s. */
  signInThrottle?: { maxFailures?: number; windowSeconds?: number };
  /** Trust X-Forwarded-* headers (only behind a proxy you control). Default false. */
  trustProxy?: boolean;
  /** pino level. Default `info`. */
  logLevel?: string;
  /** When true the kit accepts http:// loopback origins and prints demo warnings. Never in production. */
  demo?: boolean;
}

export interface SmartRecruitersOptions {
  /** SmartRecruiters API base URL; a sandbox or a fake can stand in. Default `https://api.smartrecruiters.com`. */
  apiBaseUrl?: string;
  /** Application ID given by SmartRecruiters' Partner & API team. */
  appId: string;
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
}

/** Plain-language text for the SmartRecruiters scopes the seeds and SR's OpenAPI name. */
export const KNOWN_SR_SCOPES: Readonly<Record<string, string>> = {
  candidates_read: 'Read candidate profiles, including contact details and applications',
  candidates_manage: 'Create and update candidate profiles',
  jobs_read: 'Read your jobs and their hiring teams',
  assessment_result_manage: 'Send assessment results and attachments to candidate profiles',
  packages_view: 'Let SmartRecruiters list our assessment packages',
  orders_manage: 'Let SmartRecruiters order assessments for candidates',
};

const DEFAULT_SCOPES = ['candidates_read', 'jobs_read'];

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
  sr: {
    apiBaseUrl: URL;
    appId: string;
    clientId: string;
    clientSecret: string;
    allowedOrigins: string[];
    scopes: ScopeDescription[];
    timeoutMs: number;
    issuedScopes: string[];
  };
  sessionSecret: string;
  sessionTtlSeconds: number;
  cookieName: string;
  encryptionKeys: Map<number, Buffer>;
  encryptionKeyVersion: number;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  authenticate: Authenticate;
  signInThrottle: { maxFailures: number; windowSeconds: number };
  trustProxy: boolean;
  logLevel: string;
  demo: boolean;
}

export function resolveConfig(options: ConsentKitOptions): ResolvedConfig {
  const demo = options.demo === true;
  const publicUrl = parseUrl('publicUrl', options.publicUrl);
  requireSecureOrigin('publicUrl', publicUrl, demo);
  const sr = options.smartRecruiters ?? ({} as SmartRecruitersOptions);
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
    sr: {
      apiBaseUrl,
      appId: requiredString('smartRecruiters.appId', sr.appId),
      clientId: requiredString('smartRecruiters.clientId', sr.clientId),
      clientSecret: requiredString('smartRecruiters.clientSecret', sr.clientSecret),
      allowedOrigins,
      scopes: resolveScopes(sr.scopes ?? DEFAULT_SCOPES),
      timeoutMs: positiveInt('smartRecruiters.timeoutMs', sr.timeoutMs ?? 10_000),
      issuedScopes: resolveIssuedScopes(sr.issuedScopes ?? []),
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
    trustProxy: options.trustProxy === true,
    logLevel: options.logLevel ?? 'info',
    demo,
  };
}

function requiredString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(option, 'is required');
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

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

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
