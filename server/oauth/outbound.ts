/**
 * Outbound HTTP to providers: every call has a timeout, never follows redirects (T37), caps the
 * response size, and fails with an `OutboundError` whose `kind` says what went wrong, so callers
 * decide what the user sees in one place.
 */
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

const MAX_RESPONSE_BYTES = 256 * 1024;

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
  let text: string;
  try {
    text = await readCapped(response);
  } catch (error) {
    throw error instanceof OutboundError ? error : OutboundError.fromFetchFailure(request.step, error);
  }
  if (text === '') return { response, body: undefined };
  try {
    return { response, body: JSON.parse(text) };
  } catch (error) {
    throw OutboundError.fromResponse(request.step, response, error);
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) throw new OutboundError('response', 'bad_response', { status: response.status });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
