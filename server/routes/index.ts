/**
 * The route table: every HTTP surface of the kit, in one place, and the middleware stack around it.
 */
import Router from '@koa/router';
import compose from 'koa-compose';
import type { Context, Middleware, Next } from 'koa';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';
import { errorHandler } from '../http/error-handler.js';
import { exactRoutes, type ExactRoute } from '../http/exact-routes.js';
import type { FastRoute } from '../http/fast-lane.js';
import { requestLog } from '../http/request-log.js';
import { baseSecurityHeaders } from '../http/security-headers.js';
import type { KitPaths, KitServices } from '../services.js';
import { consentActionRoutes } from './consent-actions.js';
import { consentPageRoutes } from './consent-page.js';
import { assessmentRoutes } from './assessment.js';
import { connectRoutes } from './connect.js';
import { smartRecruitersRoutes } from './smartrecruiters.js';
import { catalogueRoute } from '../i18n/catalogue-route.js';
import type { healthRoutes } from './health.js';

/** Surfaces built beside the route table: the partner API (its own router, problem errors) and the health probes. */
export interface ExtraSurfaces {
  partnerApi: Middleware;
  health: ReturnType<typeof healthRoutes>;
}

export interface KitRoutes {
  middleware: Middleware;
  requireSmartRecruitersBearer: Middleware;
  /** SmartRecruiters' hottest calls for the standalone server's fast lane (http/fast-lane.ts), also served by `middleware`. */
  fastRoutes: ReadonlyMap<string, FastRoute>;
}

export function kitMiddleware(services: KitServices, paths: KitPaths, extra: ExtraSurfaces): KitRoutes {
  const router = new Router();
  const page = consentPageRoutes(services, paths);
  const actions = consentActionRoutes(services);
  const sr = smartRecruitersRoutes(services, services);
  const connect = connectRoutes(services, services);

  router.get('consent-page', paths.consentPage, page.showConsentPage);
  router.get('consent-bootstrap', paths.bootstrap, page.bootstrap);
  router.post('consent-sign-in', paths.signIn, actions.signIn);
  router.post('consent-sign-out', paths.signOut, actions.signOut);
  router.post('consent-approve', paths.approve, actions.approve);
  router.post('consent-deny', paths.deny, actions.deny);
  router.post('oauth-token', paths.token, sr.token);
  router.post('smartrecruiters-callback', paths.callback, sr.callback);
  router.get('smartrecruiters-integration', paths.integrationCheck, sr.requireBearer, sr.integrationCheck);
  router.get('connect-bootstrap', paths.connectBootstrap, connect.bootstrap);
  router.post('connect-sign-in', `${paths.connect}/sign-in`, actions.signIn);
  router.post('connect-sign-out', `${paths.connect}/sign-out`, actions.signOut);
  router.post('connect-start', paths.connectStart, connect.start);
  router.get('connect-callback', paths.connectCallback, connect.callback);
  router.get('connect-flow', paths.connectFlow, connect.flowStatus);
  router.post('connect-disconnect', paths.disconnect, connect.disconnect);
  // SmartRecruiters' calls, also found before the router by their exact path (exact-routes.ts).
  const srCalls: ExactRoute[] = [
    ['POST', paths.token, sr.token],
    ['POST', paths.callback, sr.callback],
    ['GET', paths.integrationCheck, sr.requireBearer, sr.integrationCheck],
  ];
  const { assessment } = services;
  if (assessment && services.config.assessment) {
    const routes = assessmentRoutes({ ...assessment, bearer: services.bearer, lifecycle: services.lifecycle, assessment: services.config.assessment });
    srCalls.push(['GET', paths.assessmentPackages, routes.packages], ['POST', paths.assessmentOrders, routes.order], ['POST', paths.assessmentInlineOrders, routes.inlineOrder]);
    router.get('assessment-packages', paths.assessmentPackages, routes.packages);
    router.get('assessment-package', paths.assessmentPackage, routes.singlePackage);
    router.post('assessment-order', paths.assessmentOrders, routes.order);
    router.post('assessment-inline-order', paths.assessmentInlineOrders, routes.inlineOrder);
    router.delete('assessment-disable', paths.assessmentDisable, routes.disable);
  }
  router.get('healthz', paths.healthz, extra.health.healthz);
  router.get('readyz', paths.readyz, extra.health.readyz);
  router.get('widget-script', paths.widgetScript, function serveWidget(ctx: Context) {
    // A public static file: any page may load it with one module script tag, and module scripts
    // are fetched in CORS mode (from partner pages and from sandboxed, opaque-origin frames alike).
    ctx.set({ 'cache-control': 'no-cache', 'cross-origin-resource-policy': 'cross-origin', 'access-control-allow-origin': '*' });
    ctx.type = 'application/javascript';
    ctx.body = services.widgetScript;
  });
  router.get('widget-locale', paths.locales, catalogueRoute(services.localization));

  const stack = compose([
    requestLog(services.logger),
    errorHandler(services.logger, services.localization),
    baseSecurityHeaders,
    // Answers everything under <prefix>/partner/v1 itself, in RFC 9457 problems; unless turned off
    // (partnerApi.enabled), when those paths are unknown paths like any other.
    ...(services.config.partnerApi.enabled ? [extra.partnerApi] : []),
    answerUnrouted,
    exactRoutes(srCalls),
    router.routes(),
    router.allowedMethods(),
  ]) as Middleware;
  const prefix = services.config.prefix;
  return {
    middleware: function atsConsentKit(ctx, next) {
      // Requests outside the kit's prefix pass straight through to the partner's own middleware.
      if (prefix !== '' && ctx.path !== prefix && !ctx.path.startsWith(prefix + '/')) return next();
      return stack(ctx, next);
    },
    requireSmartRecruitersBearer: compose([errorHandler(services.logger, services.localization), sr.requireBearer]) as Middleware,
    fastRoutes: new Map<string, FastRoute>([
      [`POST ${paths.token}`, (req) => sr.tokenAnswer(req, false)],
      [`GET ${paths.integrationCheck}`, (req) => sr.bearerIntegration(req.headers.authorization, false)],
    ]),
  };
}

/**
 * The prefix belongs to the kit: unknown paths and wrong methods under it are answered in the
 * kit's error shape (the router has already set `Allow` for a 405).
 */
async function answerUnrouted(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.status === 405) {
    throw new AtsServerError(405, AtsErrorCode.MethodNotAllowed, 'This method is not allowed here.', {
      headers: { allow: ctx.response.get('allow') },
    });
  }
  if (ctx.status === 404 && ctx.body == null) throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is nothing at this address.');
}
