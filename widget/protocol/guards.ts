/**
 * Guards for everything that arrives from outside: postMessage events and HTTP bodies.
 * `parseAtsMessage` is the only way anything reads `MessageEvent.data` (reference/security.md T14).
 */
import * as v from 'valibot';
import {
  ATS_NAMESPACE,
  ATS_PROTOCOL_VERSION,
  MAX_MESSAGE_BYTES,
  type AtsMessage,
} from './messages.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const companyId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

const consentResult = v.strictObject({
  ns: v.literal(ATS_NAMESPACE),
  v: v.literal(ATS_PROTOCOL_VERSION),
  type: v.literal('ats:consent-result'),
  id,
  payload: v.strictObject({
    status: v.picklist(['approved', 'denied']),
    companyId,
    error: v.optional(v.literal('access_denied')),
  }),
});

const connectResult = v.strictObject({
  ns: v.literal(ATS_NAMESPACE),
  v: v.literal(ATS_PROTOCOL_VERSION),
  type: v.literal('ats:connect-result'),
  id,
  payload: v.strictObject({
    status: v.picklist(['connected', 'denied', 'failed']),
    provider: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/)),
  }),
});

const atsMessage = v.variant('type', [consentResult, connectResult]);

/** True when `data` is a well-formed message of this protocol version. */
export function isAtsMessage(data: unknown): data is AtsMessage {
  return v.is(atsMessage, data);
}

/** The parts of a MessageEvent the guard looks at (a plain object in tests, a real event in pages). */
export interface MessageLike {
  origin: string;
  source: unknown;
  data: unknown;
}

/**
 * Returns the message when, and only when, it comes from an exact allow-listed origin (never the
 * opaque `"null"`), from the expected window, is small, and matches the schema. Never throws.
 */
export function parseAtsMessage(
  event: MessageLike,
  allowedOrigins: readonly string[],
  expectedSource: unknown,
): AtsMessage | undefined {
  if (event.origin === 'null' || !allowedOrigins.includes(event.origin)) return undefined;
  if (event.source !== expectedSource) return undefined;
  if (!fitsSize(event.data)) return undefined;
  return isAtsMessage(event.data) ? event.data : undefined;
}

function fitsSize(data: unknown): boolean {
  try {
    const text = JSON.stringify(data);
    return typeof text === 'string' && text.length <= MAX_MESSAGE_BYTES;
  } catch {
    return false; // cyclic or otherwise unserializable: not ours
  }
}
