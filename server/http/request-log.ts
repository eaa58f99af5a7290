/**
 * One log line per request: method, path (never the query string: it may carry values a partner
 * considers private), status and duration. Headers and bodies are never logged (T6).
 */
import type { Context, Next } from 'koa';
import type { Logger } from '../log.js';

export function requestLog(logger: Logger) {
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    // Checked per request, so a level changed at run time takes effect; below `info` nothing is measured or built.
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          // The partner API's X-Request-Id, so a partner's report can be matched to this line.
          ...(typeof ctx.state.requestId === 'string' ? { requestId: ctx.state.requestId } : {}),
        },
        'request',
      );
    }
  };
}
