/**
 * `createApp(kit)`: a Koa application serving only the kit. The demo, the standalone server and the
 * tests use it; a partner usually mounts `kit.middleware` in its own app instead. Never listens.
 */
import Koa from 'koa';
import type { ConsentKit } from './kit.js';

export function createApp(kit: ConsentKit, extra: Koa.Middleware[] = []): Koa {
  const app = new Koa();
  // X-Forwarded-* are honoured only when configured: behind proxies the partner controls (T36), and
  // then only the entries those proxies appended (the kit itself reads the client address the same way).
  app.proxy = kit.config.trustProxy > 0;
  app.maxIpsCount = kit.config.trustProxy;
  app.silent = true; // the kit's error handler logs; Koa's default would print stacks to stderr
  app.use(kit.middleware);
  for (const middleware of extra) app.use(middleware);
  return app;
}
