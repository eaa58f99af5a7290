/**
 * The endpoints SmartRecruiters calls on us (seed 001 §1 `oauthTokenUrl` and `callbackUrl`;
 * reference/providers.md §1.3, §1.5):
 *
 * - POST token: RFC 6749 §4.4 client credentials for the customer-level credentials we issued.
 * - POST callback: `{"eventType":"INTEGRATION_DISABLED"}` under a bearer token from that endpoint;
 *   authenticated before the body is read (T24), idempotent (T25), unknown events acknowledged.
 * - GET integration: a bearer-protected connection check (which integration this token is for).
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Middleware, Next } from 'koa';
import typeis from 'type-is';
import * as v from 'valibot';
import { invalidInput } from '../errors.js';
import { readJson, readRequestText } from '../http/read-body.js';
import type { BearerAuthenticator } from '../oauth/bearer.js';
import { invalidRequest } from '../oauth/oauth-errors.js';
import type { TokenEndpoint, TokenResponse } from '../oauth/token-endpoint.js';
import type { TokenIntegration } from '../store/store.js';
import type { IntegrationLifecycle } from '../integrations/integration-lifecycle.js';
import type { KitServices } from '../services.js';

const TOKEN_BODY_LIMIT = 4 * 1024;
const CALLBACK_BODY_LIMIT = 4 * 1024;
const CallbackBody = v.object({ eventType: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) });

export interface SmartRecruitersRouteDeps {
  tokenEndpoint: TokenEndpoint;
  bearer: BearerAuthenticator;
  lifecycle: IntegrationLifecycle;
}

/** `ctx.state.atsIntegration` on a bearer-protected route, and the integration check's answer. */
export interface BearerIntegration {
  companyId: string;
  tenantId: string;
  state: TokenIntegration['state'];
}

export function smartRecruitersRoutes(services: KitServices, deps: SmartRecruitersRouteDeps) {
  const { store, logger, now } = services;

  /**
   * The token endpoint on the bare request, so the Koa route and the standalone server's fast lane
   * (http/fast-lane.ts) run the same code. `isForm` is Koa's `ctx.is('urlencoded')`, the same library.
   */
  async function tokenAnswer(req: IncomingMessage, hasQuery: boolean): Promise<TokenResponse> {
    let body: string;
    try {
      body = await readRequestText(req, TOKEN_BODY_LIMIT);
    } catch {
      throw invalidRequest('The request body is too large or unreadable.');
    }
    return deps.tokenEndpoint.issue({ hasQuery, isForm: typeis(req, ['urlencoded']) === 'urlencoded', authorization: req.headers.authorization || undefined, body });
  }

  async function token(ctx: Context): Promise<void> {
    ctx.body = await tokenAnswer(ctx.req, ctx.querystring !== '');
  }

  /** Which integration a bearer token is for (RFC 6750); shared with the fast lane like `tokenAnswer`. */
  async function bearerIntegration(authorization: string | undefined, tokenInQuery: boolean): Promise<BearerIntegration> {
    const { integration } = await deps.bearer.authenticate(authorization || undefined, tokenInQuery);
    return { companyId: integration.company_id, tenantId: integration.tenant_id, state: integration.state };
  }

  /** Koa middleware for any route SmartRecruiters calls with our bearer token. */
  const requireBearer: Middleware = async function requireSmartRecruitersBearer(ctx: Context, next: Next) {
    ctx.state.atsIntegration = await bearerIntegration(ctx.get('authorization'), 'access_token' in ctx.query);
    await next();
  };

  async function callback(ctx: Context): Promise<void> {
    const { integration } = await deps.bearer.authenticate(ctx.get('authorization') || undefined, 'access_token' in ctx.query, true);
    const parsed = v.safeParse(CallbackBody, await readJson(ctx, CALLBACK_BODY_LIMIT));
    if (!parsed.success) throw invalidInput('The body must be a JSON object with an eventType.');
    const { eventType } = parsed.output;
    if (eventType === 'INTEGRATION_DISABLED') {
      await deps.lifecycle.disable(integration, 'smartrecruiters');
    } else {
      logger.warn({ companyId: integration.company_id, eventType: eventType.replace(/[^\w.-]/g, '?') }, 'unknown SmartRecruiters callback event');
      await store.audit.append({ event: 'callback', outcome: 'info', companyId: integration.company_id, detail: { unknownEventType: true } }, now());
    }
    ctx.status = 204;
  }

  function integrationCheck(ctx: Context): void {
    ctx.body = ctx.state.atsIntegration;
  }

  return { token, callback, requireBearer, integrationCheck, tokenAnswer, bearerIntegration };
}

