/**
 * Provider connections over HTTP (RFC 6749 §4.1): the widget's bootstrap, the start, one callback
 * per provider, the flow status the widget polls, and disconnect. Protocol steps live in
 * connections/; this file only reads the request and writes the response.
 *
 * Start is a state-changing request like disconnect: a same-origin, CSRF-checked POST that answers
 * the authorization URL as JSON (reference/security.md T3). A cross-site page can neither navigate
 * to it (GET is 405) nor read its answer, so it cannot start a flow in the victim's name.
 */
import type { Context } from 'koa';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import * as v from 'valibot';
import {
  ConnectStartRequest,
  FLOW_ID_PATTERN,
  type ConnectBootstrap,
  type ConnectionView,
  type ConnectStartResponse,
  type FlowStatus,
} from '../../widget/protocol/http.js';
import type { AuthenticatedUser } from '../config.js';
import { validateRedirect } from '../consent/entry-params.js';
import type { ConnectionFlows } from '../connections/connection-flows.js';
import type { ConnectionsApi, ConnectionSummary } from '../connections/connections-api.js';
import { randomId } from '../crypto/secrets.js';
import { AtsServerError, invalidInput } from '../errors.js';
import type { HtmlErrorPolicy } from '../http/error-handler.js';
import { readJson } from '../http/read-body.js';
import { checkCsrf, checkSameOrigin } from '../http/request-guards.js';
import type { KitServices } from '../services.js';
import { renderConnectResultPage } from '../views/connect-result-page.js';

export interface ConnectRouteDeps {
  flows: ConnectionFlows;
  connections: ConnectionsApi;
}

export function connectRoutes(services: KitServices, deps: ConnectRouteDeps) {
  const { config, sessions } = services;
  const allowedOrigins = config.connections.allowedOrigins;
  const pageErrors = (ctx: Context) => (ctx.state.htmlErrors = { frameAncestors: [] } satisfies HtmlErrorPolicy);

  async function signedInUser(ctx: Context): Promise<AuthenticatedUser> {
    const user = (await sessions.read(ctx))?.user;
    if (!user) throw new AtsServerError(401, AtsErrorCode.SignInRequired, 'Sign in first, then connect again.');
    return user;
  }

  async function bootstrap(ctx: Context): Promise<void> {
    const previous = await sessions.read(ctx);
    const session = sessions.create(sessions.keepSignIn(previous));
    const seal = await sessions.write(ctx, session);
    const body: ConnectBootstrap = {
      user: session.user ? { displayName: session.user.displayName, email: session.user.email } : null,
      csrfToken: session.csrf,
      session: seal,
      providers: deps.connections.providers(),
      connections: session.user ? (await deps.connections.list(session.user)).map(view) : [],
    };
    ctx.body = body;
  }

  async function start(ctx: Context): Promise<void> {
    checkSameOrigin(ctx, config.publicOrigin);
    const session = await sessions.read(ctx);
    if (!session?.user) throw new AtsServerError(401, AtsErrorCode.SignInRequired, 'Sign in first, then connect again.');
    checkCsrf(ctx, session.csrf);
    const parsed = v.safeParse(ConnectStartRequest, await readJson(ctx));
    if (!parsed.success) throw invalidInput('The connection request is incomplete. Reload the page and try again.');
    const request = parsed.output;
    const returnTo = validReturnTo(request.returnTo, allowedOrigins);
    if (request.returnTo !== undefined && !returnTo) throw invalidInput('The page to return to is not allowed.');
    if (request.mode === 'page' && !returnTo) throw invalidInput('The page to return to is missing.');
    const authorizationUrl = await deps.flows.start(ctx.params.provider!, session.user, {
      flowId: request.flowId,
      mode: request.mode,
      returnTo,
      connectionId: request.connectionId ?? null,
      serviceProvider: request.serviceProvider ?? null,
    });
    // Built from configuration only, never from the request (T36); the widget navigates to it.
    const body: ConnectStartResponse = { authorizationUrl: authorizationUrl.href };
    ctx.body = body;
  }

  async function callback(ctx: Context): Promise<void> {
    pageErrors(ctx);
    const user = (await sessions.read(ctx))?.user ?? null;
    const query = new URLSearchParams(ctx.querystring);
    const result = await deps.flows.complete(ctx.params.provider!, query, user);
    const provider = deps.flows.provider(result.flow.provider);
    if (result.flow.mode === 'page' && result.flow.return_to) {
      // 303 to a clean URL: the code leaves the address bar and history (T29).
      const target = new URL(result.flow.return_to);
      target.searchParams.set('ats_connect', result.outcome);
      target.searchParams.set('ats_provider', provider.id);
      ctx.status = 303;
      ctx.redirect(target.href);
      return;
    }
    const nonce = randomId();
    ctx.set('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`);
    ctx.type = 'html';
    const text = services.localization.page(services.localization.negotiate(ctx.get('accept-language')));
    // The flow's failure detail is English: other locales say the outcome in their own words.
    const english = text.lang === 'en' || text.lang.startsWith('en-');
    ctx.body = renderConnectResultPage({
      text,
      nonce,
      flowId: result.flow.flow_id,
      payload: { status: result.outcome, provider: provider.id },
      targetOrigins: allowedOrigins,
      title: text.plain(`connect.${result.outcome}.title`),
      message: result.message && english ? result.message : text.plain(`connect.${result.outcome}`, { provider: provider.displayName }),
    });
  }

  async function flowStatus(ctx: Context): Promise<void> {
    const user = await signedInUser(ctx);
    const flow = FLOW_ID_PATTERN.test(ctx.params.flowId!) ? await services.store.flows.findByFlowId(ctx.params.flowId!) : undefined;
    if (!flow || flow.user_id !== user.id || flow.tenant_id !== user.tenantId) {
      throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such connection attempt.');
    }
    const body: FlowStatus = {
      status: flow.outcome ?? 'pending',
      provider: flow.provider,
      connectionId: flow.result_connection_id,
      message: flow.outcome_detail,
    };
    ctx.body = body;
  }

  async function disconnect(ctx: Context): Promise<void> {
    checkSameOrigin(ctx, config.publicOrigin);
    const session = await sessions.read(ctx);
    if (!session?.user) throw new AtsServerError(401, AtsErrorCode.SignInRequired, 'Sign in first.');
    checkCsrf(ctx, session.csrf);
    const connection = await deps.connections.get(ctx.params.id!);
    if (!connection || connection.userId !== session.user.id || connection.tenantId !== session.user.tenantId) {
      throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such connection.');
    }
    await deps.connections.disconnect(connection.id);
    ctx.body = view((await deps.connections.get(connection.id))!);
  }

  return { bootstrap, start, callback, flowStatus, disconnect };
}

function view(connection: ConnectionSummary): ConnectionView {
  return {
    id: connection.id,
    provider: connection.provider,
    providerName: connection.providerName,
    status: connection.status,
    updatedAt: connection.updatedAt.toISOString(),
  };
}

/** `returnTo` for the full-page mode: an absolute URL on an allowed origin, by the same rules as `redirect` (T1). */
function validReturnTo(raw: string | undefined, allowedOrigins: readonly string[]): string | null {
  return raw === undefined ? null : validateRedirect(raw, allowedOrigins);
}
