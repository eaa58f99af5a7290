/**
 * Outbound HTTP to providers: every call has a timeout, never follows redirects (T37), caps the
 * response size, and fails with an `OutboundError` whose `kind` says what went wrong, so callers
 * decide what the user sees in one place.
 *
 * Two ways out, one policy: `sendJson` for JSON APIs, and `tokenRequestOptions` for oauth4webapi's
 * token requests (SmartRecruiters' client credentials, providers' code exchange, refresh and client
 * credentials), whose `customFetch` is `cappedFetch`. A body past `MAX_RESPONSE_BYTES` is refused
 * from its Content-Length, or aborted while streaming when it has none (chunked), so at most that
 * much is ever held in memory.
 */
import * as oauth from 'oauth4webapi';

export type OutboundFailure =
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'rejected'
  | 'bad_response';

export const MAX_RESPONSE_BYTES = 256 * 1024;

export class OutboundError extends Error {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** Provider error codes from the body (SmartRecruiters `errors[].code`), never its secrets. */
  readonly upstreamCodes: string[];

  constructor(
    readonly step: string,
    readonly kind: OutboundFailure,
    options: { status?: number; retryAfterSeconds?: number; upstreamCodes?: string[]; cause?: unknown } = {},
  ) {
    super(`${step}: ${kind}${options.status ? ` (HTTP ${options.status})` : ''}`, { cause: options.cause });
    this.name = 'OutboundError';
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamCodes = options.upstreamCodes ?? [];
  }

  static fromFetchFailure(step: string, error: unknown): OutboundError {
    const name = (error as { name?: string } | undefined)?.name;
    return new OutboundError(step, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', {
      cause: error,
    });
  }

  static fromResponse(step: string, response: Response, cause?: unknown, upstreamCodes?: string[]): OutboundError {
    const retryAfter = Number(response.headers.get('retry-after'));
    return OutboundError.fromStatus(step, response.status, {
      cause,
      upstreamCodes,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    });
  }

  /** The one table from an HTTP status to what went wrong. */
  static fromStatus(step: string, status: number, extra: { cause?: unknown; upstreamCodes?: string[]; retryAfterSeconds?: number } = {}): OutboundError {
    const options = { ...extra, status };
    if (status >= 200 && status < 300) return new OutboundError(step, 'bad_response', options);
    if (status === 401) return new OutboundError(step, 'unauthorized', options);
    if (status === 403) return new OutboundError(step, 'forbidden', options);
    if (status === 409) return new OutboundError(step, 'conflict', options);
    if (status === 429) return new OutboundError(step, 'rate_limited', options);
    if (status >= 500) return new OutboundError(step, 'unavailable', options);
    if (status >= 300 && status < 400) return new OutboundError(step, 'bad_response', options);
    return new OutboundError(step, 'rejected', options);
  }
}

export interface JsonRequest {
  step: string;
  url: URL;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** Sends a JSON request and returns the status with the parsed JSON body (undefined when empty). */
export async function sendJson(request: JsonRequest): Promise<{ response: Response; body: unknown }> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw OutboundError.fromFetchFailure(request.step, error);
  }
  return { response, body: await readJsonBody(request.step, response) };
}

/** The response body as JSON (undefined when empty), read under the size cap; unreadable → `OutboundError`. */
export async function readJsonBody(step: string, response: Response): Promise<unknown> {
  let text: string;
  try {
    text = Buffer.from(await readCapped(step, response)).toString('utf8');
  } catch (error) {
    throw error instanceof OutboundError ? error : OutboundError.fromFetchFailure(step, error);
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw OutboundError.fromResponse(step, response, error);
  }
}

/**
 * The options every oauth4webapi token request is made with: the timeout (which covers reading
 * the body too), no redirects, the capped reader. `http:` only for loopback endpoints (fakes, local
 * sandboxes); configuration refuses others.
 */
export function tokenRequestOptions(tokenEndpoint: URL | string, timeoutMs: number) {
  return {
    signal: AbortSignal.timeout(timeoutMs),
    [oauth.customFetch]: cappedFetch,
    [oauth.allowInsecureRequests]: new URL(tokenEndpoint).protocol === 'http:',
  };
}

/** Statuses whose Response may not have a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * oauth4webapi's `customFetch`: `fetch` that never follows a redirect, whose body is read here
 * under the size cap and handed on as an in-memory Response. Failures: `OutboundError` (step
 * `token`, kind `bad_response`) for an oversized body; fetch's own errors (TimeoutError, TypeError)
 * otherwise, which token-errors.ts maps.
 */
export async function cappedFetch(url: string, options: oauth.CustomFetchOptions<string, unknown>): Promise<Response> {
  const response = await fetch(url, { ...(options as RequestInit), redirect: 'manual' });
  const body = await readCapped('token', response);
  const headers = new Headers(response.headers);
  // The body below is decoded and complete: these described the bytes on the wire.
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.delete('transfer-encoding');
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The whole body, or an `OutboundError` (`bad_response`) as soon as it is known to exceed
 * `maxBytes` (default `MAX_RESPONSE_BYTES`): from Content-Length before reading, or while
 * streaming. Either way the transfer is cancelled, which closes the connection. That error is the
 * only `OutboundError` it throws; a failed or aborted transfer throws fetch's own error.
 */
export async function readCapped(step: string, response: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array(0);
  const tooLarge = (size: string) =>
    new OutboundError(step, 'bad_response', { status: response.status, cause: new Error(`response body of ${size} exceeds the ${maxBytes}-byte limit`) });
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(`${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving this loop early (the throw) cancels the stream, and with it the transfer.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(`more than ${size} bytes`);
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
