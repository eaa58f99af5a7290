/**
 * One log line per request: method, path (never the query string: it may carry values a partner
 * considers private), status and duration. Headers and bodies are never logged (T6).
 */
import type { Context, Next } from 'koa';
import type { Logger } from '../log.js';

export function requestLog(logger: Logger) {
  return async function logEachRequest(ctx: Context, next: Next): Promise<void> {
    // Checked per request, so a level changed at run time takes effect; below `info` nothing is measured or built.
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      // The partner API's X-Request-Id, so a partner's report can be matched to this line.
      logRequest(logger, ctx.method, ctx.path, ctx.status, started, typeof ctx.state.requestId === 'string' ? ctx.state.requestId : undefined);
    }
  };
}

/** The line itself, shared with the fast lane (fast-lane.ts). `started` is a `performance.now()`. */
export function logRequest(logger: Logger, method: string, path: string, status: number, started: number, requestId?: string): void {
  logger.info({ method, path, status, ms: Math.round((performance.now() - started) * 10) / 10, ...(requestId ? { requestId } : {}) }, 'request');
}
