/**
 * The standalone server's fast lane (issue 9). SmartRecruiters calls our token endpoint and the
 * bearer-protected integration check far more often than anything else, and Koa's own work per
 * request (its context objects, the middleware stack, header delegation) was most of what those
 * routes cost beyond the database and the HMAC. A request whose method and URL are exactly one of
 * these routes is answered here on node:http by the same functions the Koa routes call
 * (routes/smartrecruiters.ts), with the same security headers, error bodies and log line
 * (security-headers.ts, error-handler.ts, request-log.ts). Anything else, including the same path
 * with a query string, a trailing slash or HEAD, goes to the Koa app unchanged, which serves these
 * routes too: the lane changes where a request is answered, never what it is answered.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { errorAnswer } from './error-handler.js';
import { logRequest } from './request-log.js';
import { setBaseSecurityHeaders } from './security-headers.js';

/** A route of the lane: the JSON body of a 200, or a thrown error (answered as the Koa stack would). */
export type FastRoute = (req: IncomingMessage) => Promise<unknown>;

export interface FastLaneSettings {
  /** Routes by `"<METHOD> <url>"`, the URL exactly as sent (path, no query string). */
  routes: ReadonlyMap<string, FastRoute>;
  logger: Logger;
  /** Koa's `app.proxy`: whether X-Forwarded-Proto may say the request came over https (HSTS). */
  proxyTrusted: boolean;
}

export function fastLane(settings: FastLaneSettings, fallback: RequestListener): RequestListener {
  return function answerFastOrFallBack(req, res) {
    const route = settings.routes.get(`${req.method} ${req.url}`);
    if (route === undefined) return fallback(req, res);
    answer(route, req, res, settings).catch((error: unknown) => {
      // Only a failure to write the answer itself lands here; the client sees the connection close.
      settings.logger.error({ err: error, path: req.url }, 'request failed');
      res.destroy();
    });
  };
}

async function answer(route: FastRoute, req: IncomingMessage, res: ServerResponse, { logger, proxyTrusted }: FastLaneSettings): Promise<void> {
  // As request-log.ts: below `info` nothing is measured.
  const started = logger.isLevelEnabled('info') ? performance.now() : undefined;
  const path = req.url!;
  setBaseSecurityHeaders(req, res, proxyTrusted);
  let status = 200;
  let body: unknown;
  try {
    body = await route(req);
  } catch (caught) {
    const error = errorAnswer(caught, logger, path);
    status = error.status;
    body = error.body;
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  }
  // What Koa sends for a JSON body.
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.end(json);
  if (started !== undefined) logRequest(logger, req.method!, path, status, started);
}
