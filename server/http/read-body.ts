/**
 * Request bodies, read with explicit limits before any parsing: too big → 413 without parsing,
 * wrong content type → 415, unparseable → 400 (reference/security.md T25, T36).
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError, invalidInput } from '../errors.js';

const DEFAULT_LIMIT = 16 * 1024;

/** The raw body as text; larger than `limit` → 413 without reading the rest. */
export function readText(ctx: Context, limit = DEFAULT_LIMIT): Promise<string> {
  return readRequestText(ctx.req, limit);
}

/** `readText` on the bare request (the fast lane, fast-lane.ts). */
export async function readRequestText(req: IncomingMessage, limit = DEFAULT_LIMIT): Promise<string> {
  try {
    return await getRawBody(req, { limit, encoding: 'utf8', length: req.headers['content-length'] || undefined });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new AtsServerError(413, AtsErrorCode.PayloadTooLarge, `The request body is larger than ${limit} bytes.`);
    }
    throw invalidInput('The request body could not be read.');
  }
}

function requireType(ctx: Context, type: 'json' | 'urlencoded'): void {
  if (!ctx.is(type)) {
    throw new AtsServerError(415, AtsErrorCode.UnsupportedMediaType, `Send the body as ${type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'}.`);
  }
}

export async function readJson(ctx: Context, limit = DEFAULT_LIMIT): Promise<unknown> {
  requireType(ctx, 'json');
  const text = await readText(ctx, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidInput('The request body is not valid JSON.');
  }
}

/** Form bodies, keeping repeated names visible so callers can reject them (RFC 6749 §3.2). */
export async function readForm(ctx: Context, limit = DEFAULT_LIMIT): Promise<URLSearchParams> {
  requireType(ctx, 'urlencoded');
  return new URLSearchParams(await readText(ctx, limit));
}

/** True when the request carries a form body (the no-JavaScript path). */
export function isFormPost(ctx: Context): boolean {
  return ctx.is('urlencoded') === 'urlencoded';
}

/** Reads one query parameter; a repeated parameter is an error, not an array (T36). */
export function singleQueryParam(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw invalidInput(`The "${name}" parameter must appear once.`);
  return value;
}
