/**
 * Request and response shapes of the kit's browser-facing JSON API. The server types its handlers
 * with these; the widget's ConsentClient types its fetches with them.
 */
import * as v from 'valibot';
import type { ErrorCode } from './error-codes.js';

/** Header carrying the sealed session when the browser refuses the cookie (kept in memory only). */
export const SESSION_HEADER = 'x-ats-session';
/** Header carrying the synchronizer CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-ats-csrf';

/**
 * SmartRecruiters company identifiers: letters, digits, `_` and `-`, at most 64 characters.
 * Strict on purpose (reference/security.md T2): the value ends up in URLs and in our store.
 */
export const COMPANY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export type ConsentMode = 'popup' | 'redirect' | 'embedded';
export type IntegrationStatus = 'none' | 'pending' | 'active' | 'failed' | 'disabled';

export interface ScopeDescription {
  /** Scope identifier as SmartRecruiters names it, e.g. `candidates_read`. */
  id: string;
  /** What it means, in plain language, shown to the admin. */
  description: string;
}

export interface SignedInUser {
  displayName: string;
  email: string;
}

export interface ConsentBootstrap {
  txnId: string;
  companyId: string;
  mode: ConsentMode;
  partnerName: string;
  scopes: ScopeDescription[];
  /** Exact origins the result may be posted to (the allow-listed SmartRecruiters origins). */
  parentOrigins: string[];
  user: SignedInUser | null;
  integration: IntegrationStatus;
  csrfToken: string;
  /** The sealed session, for the cookie-less fallback. Never put it in a URL or a message. */
  session: string;
}

export const SignInRequest = v.strictObject({
  username: v.pipe(v.string(), v.minLength(1), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});
export type SignInRequest = v.InferOutput<typeof SignInRequest>;

export interface SignInResponse {
  user: SignedInUser;
  csrfToken: string;
  session: string;
}

export interface ConsentDecisionResponse {
  status: 'approved' | 'denied';
  companyId: string;
  /** REDIRECT mode only: where the browser goes next (the server-validated `redirect`). */
  redirectTo?: string;
}

/** Body of every error response (RFC 6749 §5.2 shape, with our codes alongside). */
export interface ErrorBody {
  error: ErrorCode;
  error_description: string;
  /** True when retrying the same request may succeed (upstream failures, timeouts). */
  retryable?: boolean;
}

/** A provider the kit can connect (authorization code). */
export interface ProviderView {
  id: string;
  displayName: string;
}

/** A user's connection as the widget shows it: never a token. */
export interface ConnectionView {
  id: string;
  provider: string;
  providerName: string;
  status: 'connected' | 'needs_reconnect' | 'disconnected';
  updatedAt: string;
}

export interface ConnectBootstrap {
  user: SignedInUser | null;
  csrfToken: string;
  session: string;
  providers: ProviderView[];
  connections: ConnectionView[];
}

/** How a connection attempt ended, as the widget polls it (works even when COOP cut window.opener). */
export interface FlowStatus {
  status: 'pending' | 'connected' | 'denied' | 'failed';
  provider: string;
  connectionId: string | null;
  message: string | null;
}

/** Flow ids are chosen by the widget: random, URL-safe. */
export const FLOW_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Body of `POST <prefix>/connect/<provider>/start` (same-origin, CSRF-checked like every other
 * state-changing request). `returnTo` is required in `page` mode; `connectionId` reconnects one of
 * the user's connections; `serviceProvider` must be one the provider's configuration allows.
 */
export const ConnectStartRequest = v.strictObject({
  flowId: v.pipe(v.string(), v.regex(FLOW_ID_PATTERN)),
  mode: v.picklist(['popup', 'page']),
  returnTo: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
  connectionId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  serviceProvider: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});
export type ConnectStartRequest = v.InferOutput<typeof ConnectStartRequest>;

/** Where the widget sends the popup (or the page) next: the provider's authorization URL. */
export interface ConnectStartResponse {
  authorizationUrl: string;
}
