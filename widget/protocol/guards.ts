/**
 * Guards for the postMessage protocol. `parseAtsMessage` is the only way anything reads
 * `MessageEvent.data` (reference/security.md T14). Hand-written and dependency-free, so the widget
 * bundle stays small: strict about keys (no unknown ones), types and sizes.
 */
import {
  ATS_NAMESPACE,
  ATS_PROTOCOL_VERSION,
  MAX_MESSAGE_BYTES,
  type AtsMessage,
} from './messages.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasOnlyKeys = (value: Json, required: string[], optional: string[] = []) =>
  required.every((key) => key in value) && Object.keys(value).every((key) => required.includes(key) || optional.includes(key));
const isText = (value: unknown, max: number) => typeof value === 'string' && value.length >= 1 && value.length <= max;

const PAYLOADS: Record<AtsMessage['type'], (payload: Json) => boolean> = {
  'ats:consent-result': (payload) =>
    hasOnlyKeys(payload, ['status', 'companyId'], ['error']) &&
    (payload.status === 'approved' || payload.status === 'denied') &&
    isText(payload.companyId, 64) &&
    (payload.error === undefined || payload.error === 'access_denied'),
  'ats:connect-result': (payload) =>
    hasOnlyKeys(payload, ['status', 'provider']) &&
    (payload.status === 'connected' || payload.status === 'denied' || payload.status === 'failed') &&
    typeof payload.provider === 'string' &&
    /^[a-z0-9][a-z0-9-]{0,39}$/.test(payload.provider),
};

/** True when `data` is a well-formed message of this protocol version. */
export function isAtsMessage(data: unknown): data is AtsMessage {
  if (!isObject(data) || !hasOnlyKeys(data, ['ns', 'v', 'type', 'id', 'payload'])) return false;
  if (data.ns !== ATS_NAMESPACE || data.v !== ATS_PROTOCOL_VERSION || !isText(data.id, 128)) return false;
  const check = typeof data.type === 'string' ? PAYLOADS[data.type as AtsMessage['type']] : undefined;
  return check !== undefined && Object.hasOwn(PAYLOADS, data.type as string) && isObject(data.payload) && check(data.payload);
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
