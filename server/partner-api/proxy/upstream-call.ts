/**
 * One proxied call to a provider, through `kit.connections.fetch` (the fresh token, the provider's
 * API headers, redirects never followed, one token refresh and one replay when the provider
 * answers 401), with what a proxy adds:
 *
 * - **One deadline** for the whole call, replays included (answer: 504 `provider-timeout`).
 * - **Retries only where a repeat cannot do harm** (RFC 9110 §9.2.1–9.2.2; reference/security.md
 *   T34): GET and HEAD are safe; any other method is sent once unless the caller gave an
 *   `Idempotency-Key`, by which it says the provider may see the request twice. One retry at most
 *   (a synchronous caller is waiting, NangoHQ/nango#552), after a transport failure or a 502/503/504
 *   without a `Retry-After` longer than a second, with full-jitter backoff. Never after a timeout:
 *   the deadline is spent. The 401 replay is not such a retry: a provider that refuses the token
 *   (RFC 6750 §3.1 `invalid_token`) has not acted on the request, so it is replayed whatever the
 *   method.
 * - **Redirects are not passed on**: a 3xx other than 304 becomes 502 `provider-redirect` (the
 *   Location is a provider URL the caller could only follow with the token it never has, and a
 *   client library following it would send its API key there). 304 answers a conditional request
 *   and passes through.
 * - **A response size cap**: a larger answer is refused from its Content-Length or aborted while
 *   streaming (502 `provider-response-too-large`), so at most the cap is held in memory.
 *
 * Every failure here is the kit's own: a problem, never marked as the provider's answer.
 */
import { AtsErrorCode } from '../../../widget/protocol/error-codes.js';
import type { ConnectionsApi } from '../../connections/connections-api.js';
import { AtsServerError } from '../../errors.js';
import { OutboundError, readCapped } from '../../oauth/outbound.js';
import { ProblemError, problemFromKitError } from '../problem.js';

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const MAX_ATTEMPTS = 2;
const BACKOFF_CAP_MS = 250;

export interface UpstreamRequest {
  connectionId: string;
  /** For messages: the provider's display name. */
  providerName: string;
  method: string;
  /** Checked by proxy-path.ts: relative to the API base, query included. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Safe method, or an Idempotency-Key: may be sent twice. */
  repeatable: boolean;
}

export interface UpstreamAnswer {
  status: number;
  headers: Headers;
  /** Null when the provider sent no content (HEAD, 204, 304). */
  body: Buffer | null;
  attempts: number;
}

export interface UpstreamSettings {
  connections: ConnectionsApi;
  timeoutMs: number;
  maxResponseBytes: number;
}

export async function callUpstream(request: UpstreamRequest, settings: UpstreamSettings): Promise<UpstreamAnswer> {
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const timedOut = () => new ProblemError('provider-timeout', `${request.providerName} did not answer within ${settings.timeoutMs} ms.`);
  for (let attempt = 1; ; attempt += 1) {
    const mayRetry = request.repeatable && attempt < MAX_ATTEMPTS;
    let response: Response;
    try {
      response = await settings.connections.fetch(request.connectionId, request.path, {
        method: request.method,
        headers: request.headers,
        ...(request.body.length > 0 ? { body: new Uint8Array(request.body) } : {}),
        signal: deadline,
      });
    } catch (error) {
      if (error instanceof AtsServerError) throw fromTokenFailure(error, request.providerName);
      if (deadline.aborted) throw timedOut();
      if (mayRetry) {
        await backoff();
        continue;
      }
      throw new ProblemError('provider-unavailable', `${request.providerName} could not be reached${attempt > 1 ? ` (${attempt} attempts)` : ''}.`);
    }
    const retryAfter = retryAfterSeconds(response);
    if (mayRetry && RETRYABLE_STATUSES.has(response.status) && retryAfter <= 1) {
      await response.body?.cancel().catch(() => undefined);
      await backoff(retryAfter * 1000);
      if (deadline.aborted) throw timedOut();
      continue;
    }
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => undefined);
      throw new ProblemError('provider-redirect', `${request.providerName} answered ${response.status} (a redirect). The kit follows no redirect and passes none on: check the path.`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readCapped('proxy', response, settings.maxResponseBytes);
    } catch (error) {
      if (error instanceof OutboundError) {
        throw new ProblemError('provider-response-too-large', `${request.providerName}'s answer is larger than ${settings.maxResponseBytes} bytes; ask for less (a smaller page).`);
      }
      if (deadline.aborted) throw timedOut();
      throw new ProblemError('provider-unavailable', `The transfer from ${request.providerName} failed.`);
    }
    return { status: response.status, headers: response.headers, body: bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null, attempts: attempt };
  }
}

/** `Retry-After` in seconds (0 when absent or a date: a date in the past or near future means "now"). */
function retryAfterSeconds(response: Response): number {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Full jitter (T34): a random wait up to the cap, so callers that failed together do not retry together; never shorter than the provider's `Retry-After`. */
const backoff = (atLeastMs = 0) => new Promise((resolve) => setTimeout(resolve, Math.max(atLeastMs, Math.random() * BACKOFF_CAP_MS)));

/**
 * What getting the token can fail with: the connection is gone or needs its user (404, 409 as
 * for any operation), or the provider's token endpoint failed while refreshing.
 */
function fromTokenFailure(error: AtsServerError, providerName: string): ProblemError {
  if (error.status === 504 || error.code === AtsErrorCode.UpstreamTimeout) {
    return new ProblemError('provider-timeout', `${providerName} did not answer the token refresh in time.`);
  }
  if (error.status >= 500) return new ProblemError('provider-unavailable', `Refreshing the connection's token at ${providerName} failed (${error.code}). Retry later.`);
  return problemFromKitError(error);
}
