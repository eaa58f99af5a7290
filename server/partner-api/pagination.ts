/**
 * Cursor pagination (issue 14 item 3): `limit` 1–100 (default 50), an opaque `next_cursor` in the
 * answer, null on the last page. The cursor is base64url JSON `{v:1,after:<sort key>}`: opaque to
 * the client (it must not build one), stable under inserts (keyset, not offset), and checked on the
 * way in (anything else → 400 invalid-cursor).
 */
import * as v from 'valibot';
import { ProblemError } from './problem.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export const limitSchema = v.optional(
  v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LIMIT), v.description(`Items per page, 1-${MAX_LIMIT}.`)),
  DEFAULT_LIMIT,
);
export const cursorSchema = v.optional(v.pipe(v.string(), v.maxLength(512), v.description('The `next_cursor` of the previous page.')));

export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the problem below
  }
  throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued: pass `next_cursor` back unchanged.', { errors: [{ in: 'query', field: 'cursor', detail: 'not a cursor this API issued' }] });
}
