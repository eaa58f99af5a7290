/**
 * Signature of the outbound webhook (the Standard Webhooks scheme, reference/security.md T24):
 * HMAC-SHA-256 with the shared secret over `<event id>.<timestamp>.<body>`, hex, sent as
 * `X-Ats-Signature: v2=<hex>` with `X-Ats-Event-Id` and `X-Ats-Timestamp: <unix seconds>`.
 *
 * - The timestamp is signed, so a captured delivery cannot be replayed after the tolerance.
 * - The event id is signed, so a capture replayed within the tolerance under another id fails;
 *   replayed under its own id, the receiver's deduplication by `X-Ats-Event-Id` drops it.
 *
 * Version 1 signed only `<timestamp>.<body>`, which let a replay carry a fresh id past
 * deduplication. It is no longer sent, and `verifyWebhookSignature` never accepts it. Partners
 * verify with `verifyWebhookSignature`, passing the id header.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ats-signature';
export const TIMESTAMP_HEADER = 'x-ats-timestamp';
export const EVENT_ID_HEADER = 'x-ats-event-id';

const VERSION = 'v2';
/** Printable ASCII without `.` (the separator), so an id cannot shift the signed fields. */
const EVENT_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;
/** Unix seconds, digits only: the signed text is exactly the header's text. */
const TIMESTAMP = /^[0-9]{1,15}$/;

/** `v2=<hex HMAC-SHA-256 of "<id>.<timestamp>.<body>">`, the `X-Ats-Signature` value. */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return `${VERSION}=` + createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex');
}

type HeaderValue = string | readonly string[] | undefined;

/**
 * True when `signature` carries a v2 signature of ours for this exact event id, timestamp and body,
 * and the timestamp is within `toleranceSeconds` of now (default 5 minutes). Pass the three headers
 * as received (`req.headers['x-ats-event-id']` etc.) and the raw body. `signature` may hold several
 * space-separated `version=hex` entries; entries of other versions (v1) are ignored.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { id: HeaderValue; timestamp: HeaderValue; signature: HeaderValue },
  body: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const { id, timestamp, signature } = headers;
  if (typeof id !== 'string' || !EVENT_ID.test(id)) return false;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return false;
  if (typeof signature !== 'string' || signature.length > 4096) return false;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body));
  let valid = false;
  for (const entry of signature.split(' ')) {
    if (!entry.startsWith(`${VERSION}=`)) continue;
    const presented = Buffer.from(entry);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) valid = true;
  }
  return valid;
}
