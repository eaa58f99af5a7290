/**
 * The candidate's key to an inline order's take page. The order id alone is no secret (SR's users
 * see it, and the kit puts it in logs, events and webhooks), so the URL the demo answers SR with
 * carries an HMAC of it under a secret only the partner holds; the take page and Finish check it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TakeKeys {
  /** The take page's path for an order, key included. */
  path(orderId: string): string;
  matches(orderId: string, key: string): boolean;
}

export function takeKeys(secret: string): TakeKeys {
  const keyOf = (orderId: string) => createHmac('sha256', secret).update(`take:${orderId}`).digest('base64url');
  return {
    path: (orderId) => `/assessment/take/${orderId}/${keyOf(orderId)}`,
    matches: (orderId, key) => {
      const expected = Buffer.from(keyOf(orderId));
      const presented = Buffer.from(key);
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}
