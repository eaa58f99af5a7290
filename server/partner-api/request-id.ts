/**
 * `X-Request-Id` on every partner API answer: the caller's own id when it sent a sane one (so its
 * logs and ours line up), otherwise one we generate. Also in every problem body and our log line.
 */
import type { Context, Next } from 'koa';
import { randomId } from '../crypto/secrets.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Short, printable, no separators that could split a log line or a header. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

export async function requestId(ctx: Context, next: Next): Promise<void> {
  const offered = ctx.get(REQUEST_ID_HEADER);
  const id = ACCEPTED.test(offered) ? offered : `req_${randomId(12)}`;
  ctx.state.requestId = id;
  ctx.set(REQUEST_ID_HEADER, id);
  await next();
}
