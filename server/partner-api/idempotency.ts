/**
 * `Idempotency-Key` on the partner API's changing operations (issue 14 item 3), with the semantics
 * of draft-ietf-httpapi-idempotency-key-header (-06):
 *
 * - the key is optional; without one, a request runs as usual;
 * - the first request under a key runs and, when it succeeds (2xx), its answer is stored: status,
 *   body and the headers the operation set (Location, ETag, …). A retry of the same request (same
 *   method, path, query, the headers the operation reads such as If-Match, and body: the
 *   fingerprint, §2.2) gets that answer again, marked
 *   `Idempotent-Replayed: true`, and changes nothing;
 * - the same key with another request → 422 (§2.7, "idempotency key reused");
 * - a retry while the first request is still running → 409 (§2.7, "request outstanding");
 * - a first request that fails (4xx, 5xx, an error) stores nothing and frees the key: a failed
 *   request changed nothing (router.ts), so a retry under the same key simply runs again. (The draft
 *   leaves which answers to keep to the server; keeping a transient 503 would replay it forever.)
 *
 * Keys are scoped to the API key that sent them: a key is looked up with the caller's API key id,
 * so one API key's stored answer is never served to another (T: issue 14 item 7). They live in the
 * database (migration 011), so a retry reaching another instance is answered the same way, and
 * expire after `ttlMs` (24 h, §2.3 "expiry"); a purge deletes expired rows. A request whose instance
 * died mid-way keeps its key for `lockMs`; after that the same request may take it over.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Cipher } from '../crypto/cipher.js';
import type { IdempotencyRow, IdempotencyStore } from '../store/store.js';
import type { OperationResult, PartnerOperation } from './operation.js';
import { ProblemError } from './problem.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** 24 hours: long enough for a partner's retry queue to come back after an outage. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longer than any operation runs (SR reads and writes time out well inside it). */
const LOCK_MS = 60_000;
const MAX_KEY_LENGTH = 255;

export interface IdempotencySettings {
  store: IdempotencyStore;
  cipher: Cipher;
  now: () => number;
  ttlMs?: number;
  lockMs?: number;
  /** The answer could not be stored after the change was made (logged; the caller still gets the answer). */
  onStoreError?: (error: unknown) => void;
}

export interface IdempotentRequest {
  apiKeyId: string;
  /** The Idempotency-Key header as sent ('' when none). */
  header: string;
  method: string;
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** The request headers the operation declares (If-Match, …): part of what the request asks. */
  headers: Record<string, unknown>;
  /** What identifies the body: the parsed JSON, or a file's type, name and bytes. */
  body: unknown;
}

/**
 * The operations a key applies to: every keyed one that changes something (POST, PUT, PATCH,
 * DELETE). Not the connection proxy: the provider's answer is not the kit's to keep (it may be
 * large, binary, or the provider's own error), so the proxy passes the caller's Idempotency-Key on
 * to the provider, whose own idempotency handling it is, and uses it only to allow one retry of a
 * write after a transport failure (proxy/upstream-call.ts).
 */
export function changesState(operation: PartnerOperation): boolean {
  return operation.method !== 'get' && operation.scopes !== null && !operation.passthrough;
}

interface StoredAnswer {
  headers: Record<string, string>;
  body: unknown;
}

export class Idempotency {
  constructor(private readonly settings: IdempotencySettings) {}

  /** Runs `run` once per key and request; see the header comment for what a retry gets. */
  async around(request: IdempotentRequest, run: () => Promise<OperationResult>): Promise<OperationResult> {
    if (request.header === '') return run();
    const key = parseIdempotencyKey(request.header);
    const { store, cipher, now } = this.settings;
    const fingerprint = fingerprintOf(request);
    const owner = randomUUID();
    const at = now();
    const take = await store.take(
      { apiKeyId: request.apiKeyId, key, fingerprint, owner, lockedUntil: at + (this.settings.lockMs ?? LOCK_MS), expiresAt: at + (this.settings.ttlMs ?? IDEMPOTENCY_TTL_MS) },
      at,
    );
    if (!take.taken) return this.#answerExisting(take.row, fingerprint, request.apiKeyId, key);
    let result: OperationResult;
    try {
      result = await run();
    } catch (error) {
      // The request's own error is the answer, whether or not the key could be freed (if not, its
      // lock lapses within a minute).
      await store.release(request.apiKeyId, key, owner).catch((storeError: unknown) => this.settings.onStoreError?.(storeError));
      throw error;
    }
    try {
      if (result.status >= 200 && result.status < 300 && isJson(result.body)) {
        const answer: StoredAnswer = { headers: result.headers ?? {}, body: result.body };
        await store.complete(request.apiKeyId, key, owner, result.status, cipher.encrypt(JSON.stringify(answer), binding(request.apiKeyId, key)));
      } else {
        await store.release(request.apiKeyId, key, owner);
      }
    } catch (error) {
      // The change is made: answering 500 would invite a retry that repeats it. The key stays in
      // flight, so a retry within the lock is refused (409); only after it may the request run again.
      this.settings.onStoreError?.(error);
    }
    return result;
  }

  #answerExisting(row: IdempotencyRow, fingerprint: string, apiKeyId: string, key: string): OperationResult {
    if (row.fingerprint !== fingerprint) {
      throw new ProblemError('idempotency-key-reused', 'This Idempotency-Key was already used with another request (method, path, query, headers or body). Use a new key for a new request.', {
        errors: [{ in: 'header', field: IDEMPOTENCY_KEY_HEADER, detail: 'already used with another request' }],
      });
    }
    if (row.state !== 'done' || row.response === null || row.response_status === null) {
      throw new ProblemError('idempotency-key-in-use', 'The first request with this Idempotency-Key is still being processed. Retry later.', {
        headers: { 'retry-after': '1' },
        errors: [{ in: 'header', field: IDEMPOTENCY_KEY_HEADER, detail: 'request outstanding' }],
      });
    }
    const answer = JSON.parse(this.settings.cipher.decrypt(row.response, binding(apiKeyId, key))) as StoredAnswer;
    return { status: row.response_status, headers: { ...answer.headers, [REPLAYED_HEADER]: 'true' }, body: answer.body };
  }
}

/**
 * The header's value: an RFC 8941 sf-string (`"…"`, what the draft specifies), or, since many
 * clients send one unquoted, a bare value of the same characters. 1–255 printable ASCII characters.
 */
export function parseIdempotencyKey(header: string): string {
  const quoted = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : /^[\x21-\x7e]+$/.test(header) && !header.startsWith('"') ? header : null;
  if (key === null || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ProblemError('invalid-request', `The Idempotency-Key header must be a string of 1 to ${MAX_KEY_LENGTH} printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324".`, {
      errors: [{ in: 'header', field: IDEMPOTENCY_KEY_HEADER, detail: 'expected an sf-string of 1-255 printable characters' }],
    });
  }
  return key;
}

/** SHA-256 over the method, path, query, the declared headers and the body (JSON with its keys sorted, so key order does not count; file bytes as they are). */
export function fingerprintOf(request: Omit<IdempotentRequest, 'apiKeyId' | 'header'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([request.method.toUpperCase(), request.path, request.query]));
  hash.update('\n');
  updateWithValue(hash, request.headers);
  hash.update('\n');
  updateWithValue(hash, request.body);
  return hash.digest('base64url');
}

function updateWithValue(hash: ReturnType<typeof createHash>, value: unknown): void {
  if (value instanceof Uint8Array) {
    hash.update(`bytes:${value.byteLength}:`);
    hash.update(value);
  } else if (Array.isArray(value)) {
    hash.update('[');
    for (const item of value) {
      updateWithValue(hash, item);
      hash.update(',');
    }
    hash.update(']');
  } else if (value !== null && typeof value === 'object') {
    hash.update('{');
    for (const name of Object.keys(value).sort()) {
      hash.update(JSON.stringify(name) + ':');
      updateWithValue(hash, (value as Record<string, unknown>)[name]);
      hash.update(',');
    }
    hash.update('}');
  } else {
    hash.update(value === undefined ? 'undefined' : JSON.stringify(value));
  }
}

/** Only JSON answers are kept (a passthrough's bytes are not: the proxy is never replayed). */
function isJson(body: unknown): boolean {
  return !(body instanceof Uint8Array) && typeof (body as { pipe?: unknown })?.pipe !== 'function';
}

const binding = (apiKeyId: string, key: string) => `idempotency:${apiKeyId}:${key}`;
