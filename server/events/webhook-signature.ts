/**
 * Signature of the outbound webhook: HMAC-SHA-256 over `<timestamp>.<body>` with the shared
 * secret, hex, sent as `X-Ats-Signature: v1=<hex>` with `X-Ats-Timestamp: <unix seconds>` (the
 * Standard Webhooks idea: the timestamp is signed, so a captured delivery cannot be replayed
 * later). Partners verify with `verifyWebhookSignature`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ats-signature';
export const TIMESTAMP_HEADER = 'x-ats-timestamp';
export const EVENT_ID_HEADER = 'x-ats-event-id';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * True when `signature` is ours for this exact body and the timestamp is within `toleranceSeconds`
 * of now (default 5 minutes).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isSafeInteger(timestamp) || !headers.signature) return false;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const presented = Buffer.from(headers.signature);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
