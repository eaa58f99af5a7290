/**
 * `createApp(kit)`: a Koa application serving only the kit; a partner usually mounts
 * `kit.middleware` in its own app instead. Never listens. `createKitServer(kit)`: the standalone
 * server (`ats-consent serve`, the demo), that app behind the kit's fast lane for SmartRecruiters'
 * hottest calls (http/fast-lane.ts). Does not listen either.
 */
import { createServer, type Server } from 'node:http';
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

export function createKitServer(kit: ConsentKit, extra: Koa.Middleware[] = []): Server {
  return createServer(kit.requestListener(createApp(kit, extra).callback()));
}
