/**
 * Routes found by an exact method and path before the router looks: the endpoints SmartRecruiters
 * calls on every request (token, callback, the bearer-protected reads and orders).
 *
 * @koa/router tests each route's pattern and composes the matched middleware anew on every request;
 * for a fixed path one Map lookup finds the same handler. A request not matched exactly (a trailing
 * slash, other letter case, HEAD, a path with parameters) goes on to the router, where the same
 * routes are registered too, so every request is answered as before.
 */
import compose from 'koa-compose';
import type { Context, Middleware, Next } from 'koa';

export type ExactRoute = [method: 'GET' | 'POST' | 'DELETE', path: string, ...stack: Middleware[]];

export function exactRoutes(routes: readonly ExactRoute[]): Middleware {
  const table = new Map<string, Middleware>();
  for (const [method, path, ...stack] of routes) table.set(`${method} ${path}`, stack.length === 1 ? stack[0]! : (compose(stack) as Middleware));
  return function routeExactly(ctx: Context, next: Next) {
    const handler = table.get(`${ctx.method} ${ctx.path}`);
    // The router sets `params` for every route it serves; these paths have none.
    if (!handler) return next();
    ctx.params = {};
    return handler(ctx, next);
  };
}
