/**
 * The endpoints SmartRecruiters calls on us (seed 001 §1 `oauthTokenUrl` and `callbackUrl`;
 * reference/providers.md §1.3, §1.5):
 *
 * - POST token: RFC 6749 §4.4 client credentials for the customer-level credentials we issued.
 * - POST callback: `{"eventType":"INTEGRATION_DISABLED"}` under a bearer token from that endpoint;
 *   authenticated before the body is read (T24), idempotent (T25), unknown events acknowledged.
 * - GET integration: a bearer-protected connection check (which integration this token is for).
 */
import type { Context, Middleware, Next } from 'koa';
import * as v from 'valibot';
import { invalidInput } from '../errors.js';
import { readJson, readText } from '../http/read-body.js';
import type { BearerAuthenticator } from '../oauth/bearer.js';
import { invalidRequest } from '../oauth/oauth-errors.js';
import type { TokenEndpoint } from '../oauth/token-endpoint.js';
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

export function smartRecruitersRoutes(services: KitServices, deps: SmartRecruitersRouteDeps) {
  const { store, logger, now } = services;

  async function token(ctx: Context): Promise<void> {
    let body: string;
    try {
      body = await readText(ctx, TOKEN_BODY_LIMIT);
    } catch {
      throw invalidRequest('The request body is too large or unreadable.');
    }
    ctx.body = await deps.tokenEndpoint.issue({
      hasQuery: ctx.querystring !== '',
      isForm: ctx.is('urlencoded') === 'urlencoded',
      authorization: ctx.get('authorization') || undefined,
      body,
    });
  }

  /** Koa middleware for any route SmartRecruiters calls with our bearer token. */
  const requireBearer: Middleware = async function requireSmartRecruitersBearer(ctx: Context, next: Next) {
    const { integration } = await deps.bearer.authenticate(ctx.get('authorization') || undefined, 'access_token' in ctx.query);
    ctx.state.atsIntegration = { companyId: integration.company_id, tenantId: integration.tenant_id, state: integration.state };
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

  return { token, callback, requireBearer, integrationCheck };
}

