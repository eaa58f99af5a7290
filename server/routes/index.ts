/**
 * The route table: every HTTP surface of the kit, in one place.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';
import type { KitPaths, KitServices } from '../services.js';
import { consentActionRoutes } from './consent-actions.js';
import { consentPageRoutes } from './consent-page.js';

export function buildRouter(services: KitServices, paths: KitPaths): Router {
  const router = new Router();
  const page = consentPageRoutes(services, paths);
  const actions = consentActionRoutes(services);

  router.get('consent-page', paths.consentPage, page.showConsentPage);
  router.get('consent-bootstrap', paths.bootstrap, page.bootstrap);
  router.post('consent-sign-in', paths.signIn, actions.signIn);
  router.post('consent-sign-out', paths.signOut, actions.signOut);
  router.post('consent-approve', paths.approve, actions.approve);
  router.post('consent-deny', paths.deny, actions.deny);
  router.get('widget-script', paths.widgetScript, function serveWidget(ctx: Context) {
    // A public static file: any page may load it with one module script tag, and module scripts
    // are fetched in CORS mode (from partner pages and from sandboxed, opaque-origin frames alike).
    ctx.set({ 'cache-control': 'no-cache', 'cross-origin-resource-policy': 'cross-origin', 'access-control-allow-origin': '*' });
    ctx.type = 'application/javascript';
    ctx.body = services.widgetScript;
  });
  return router;
}

/** 405 with `Allow` for a known path and the wrong method, in our error shape. */
export const methodNotAllowed = (allow: string) =>
  new AtsServerError(405, AtsErrorCode.MethodNotAllowed, 'This method is not allowed here.', { headers: { allow } });
