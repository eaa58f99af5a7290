/**
 * The SR-hosted Assessment API v202010 of the fake (reference/providers.md §1.4, §1.7, §1.8):
 *
 * - `GET|PUT /partner/configuration` — master token (`partner_configuration_manage`).
 * - `POST /integration/company/{companyId}` — master token; 400/403 (no consent)/404 (no
 *   configuration)/409 (already integrated, even for an identical replay)/200 `{clientId, clientSecret}`.
 * - `PATCH /orders/{orderId}/results` — the owning company's customer token; RFC 7396 merge patch.
 * - `POST /orders/{orderId}/results/attachment` — multipart, a `file` part; 201 `{url}`.
 *
 * Every request: bearer token (401), then the per-credential rate limit (429), then the route.
 * Every response carries the four `X-RateLimit-*` headers. Errors: `{"errors":[{"code","message"}]}`.
 * The same admission ({@link admit}) guards the customer API reads (fake-sr-assessment-reads.ts).
 *
 * Every call to an order's results URLs is logged on the order (`resultCalls`: arrival time, HTTP
 * status, the `X-RateLimit-*` / `Retry-After` headers sent), faults and refusals included, so tests
 * and the QA page can see when the partner retried and what it was told.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSmartRecruitersAssessment, TokenInfo } from './fake-sr-assessment.js';
import { knownResultFields, mergePatch, packageResultProblem, parseConfiguration, parseMultipart } from './fake-sr-assessment-schemas.js';
import { delay, readRawBody, sendJson } from './http-helpers.js';

export const API_BASE = '/assessment-api/v202010';

/** Faults for the next exchange request (`delay`, `malformed`, `drop` commit first; a replay then gets 409). */
export const EXCHANGE_FAULTS = ['status-401', 'status-403', 'status-409', 'status-429', 'status-500', 'delay', 'malformed', 'drop'] as const;
/** Faults for the next result PATCH / attachment POST (`slow`, `malformed`, `drop` commit first). */
export const RESULT_FAULTS = ['slow', 'status-500', 'status-502', 'status-503', 'status-429', 'status-429-retry-after', 'malformed', 'drop'] as const;
/** Faults for the next customer API read (GET /candidates/{id}, /jobs/{jobId}, /jobs/{jobId}/hiring-team). */
export const READ_FAULTS = ['slow', 'status-500', 'status-503', 'status-429', 'status-429-retry-after', 'malformed', 'drop'] as const;
export type ExchangeFault = (typeof EXCHANGE_FAULTS)[number];
export type ResultFault = (typeof RESULT_FAULTS)[number];
export type ReadFault = (typeof READ_FAULTS)[number];
export type FaultTarget = 'exchange' | 'results' | 'reads';
/**
 * `status-429` answers like SR's own limiter (no `Retry-After`, SR documents none, and
 * `X-RateLimit-Remaining: 0`); `status-429-retry-after` adds `Retry-After` of this many seconds.
 */
export const FAULT_RETRY_AFTER_SECONDS = 2;

const MESSAGES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST', 'Invalid request body'],
  401: ['UNAUTHORIZED', 'Unauthorized request'],
  403: ['PERMISSION_DENIED', 'Request missed required scopes'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  409: ['CONFLICT', 'Partner already integrated for company'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported payload format'],
  429: ['TOO_MANY_REQUESTS', 'Rate limit exceeded'],
  500: ['INTERNAL_ERROR', 'Internal server error'],
  502: ['BAD_GATEWAY', 'Bad gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
};

export function srError(res: ServerResponse, status: number, code?: string, message?: string): void {
  const [defaultCode, defaultMessage] = MESSAGES[status] ?? ['ERROR', 'Error'];
  sendJson(res, status, { errors: [{ code: code ?? defaultCode, message: message ?? defaultMessage }] });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const PATCH_TYPE = /^application\/(merge-patch\+)?json\s*(;|$)/i;

/**
 * SR's admission of a request to its API: a live bearer token (else 401), then the credential's rate
 * limit (else 429); the four `X-RateLimit-*` headers are set either way. The token's grant, or
 * undefined once the refusal is sent.
 */
export function admit(fake: FakeSmartRecruitersAssessment, req: IncomingMessage, res: ServerResponse): TokenInfo | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const info = token ? fake.tokenInfo(token) : undefined;
  if (!info) {
    for (const [name, value] of Object.entries(fake.rateLimiter.idleHeaders())) res.setHeader(name, value);
    return void srError(res, 401);
  }
  const decision = fake.rateLimiter.acquire(info.clientId);
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
  if (!decision.allowed) {
    fake.counts.rateLimited += 1;
    return void srError(res, 429, 'TOO_MANY_REQUESTS', decision.exceeded === 'concurrency' ? 'Too many concurrent requests' : 'Rate limit exceeded');
  }
  res.once('finish', decision.release);
  res.once('close', decision.release);
  return info;
}

/** The `X-RateLimit-*` and `Retry-After` headers of a response, as sent. */
export function rateLimitHeaders(res: ServerResponse): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.getHeaders())
      .filter(([name]) => name.startsWith('x-ratelimit-') || name === 'retry-after')
      .map(([name, value]) => [name, String(value)]),
  );
}

const RESULT_CALLS_KEPT = 50;

/** Logs a call to an order's results URLs on the order once it is answered (or dropped). */
function logResultCall(fake: FakeSmartRecruitersAssessment, req: IncomingMessage, res: ServerResponse, orderId: string, kind: 'patch' | 'attachment'): void {
  const at = new Date().toISOString();
  res.once('close', () => {
    const order = UUID.test(orderId) ? fake.orders.get(orderId.toLowerCase()) : undefined;
    if (!order) return;
    order.resultCalls.push({ at, kind, method: req.method ?? 'GET', status: res.writableFinished ? res.statusCode : null, headers: rateLimitHeaders(res) });
    if (order.resultCalls.length > RESULT_CALLS_KEPT) order.resultCalls.splice(0, order.resultCalls.length - RESULT_CALLS_KEPT);
  });
}

export async function handleAssessmentApi(fake: FakeSmartRecruitersAssessment, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const resultsPath = /^\/orders\/([^/]+)\/results(\/attachment)?$/.exec(path);
  if (resultsPath) logResultCall(fake, req, res, safeDecode(resultsPath[1]!), resultsPath[2] ? 'attachment' : 'patch');
  const info = admit(fake, req, res);
  if (!info) return;
  const method = req.method ?? 'GET';
  let match: RegExpExecArray | null;
  if (path === '/partner/configuration') {
    if (method === 'GET') return getConfiguration(fake, info, res);
    if (method === 'PUT') return putConfiguration(fake, info, req, res);
    return srError(res, 405);
  }
  if ((match = /^\/integration\/company\/([^/]+)$/.exec(path))) {
    if (method !== 'POST') return srError(res, 405);
    return exchange(fake, info, safeDecode(match[1]!), req, res);
  }
  if ((match = resultsPath)) {
    if (method !== (match[2] ? 'POST' : 'PATCH')) return srError(res, 405);
    return match[2] ? addAttachment(fake, info, safeDecode(match[1]!), req, res) : patchResults(fake, info, safeDecode(match[1]!), req, res);
  }
  return srError(res, 404, 'NOT_FOUND', 'Unknown endpoint');
}

function getConfiguration(fake: FakeSmartRecruitersAssessment, info: TokenInfo, res: ServerResponse): void {
  fake.counts.configurationGets += 1;
  if (info.kind !== 'master') return srError(res, 403);
  if (!fake.configuration) return srError(res, 404, 'CONFIGURATION_NOT_FOUND', 'Configuration does not exist');
  sendJson(res, 200, fake.configuration);
}

async function putConfiguration(fake: FakeSmartRecruitersAssessment, info: TokenInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  fake.counts.configurationPuts += 1;
  if (info.kind !== 'master') return srError(res, 403);
  const body = await readJson(req, res, JSON_TYPE);
  if (body === NO_BODY) return;
  const parsed = parseConfiguration(body);
  if ('problem' in parsed) return srError(res, 400, 'INVALID_CONFIGURATION', `Invalid configuration provided: ${parsed.problem}`);
  fake.configuration = parsed.value;
  sendJson(res, 200, parsed.value);
}

async function exchange(fake: FakeSmartRecruitersAssessment, info: TokenInfo, companyId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  fake.counts.exchangeRequests += 1;
  if (info.kind !== 'master') return srError(res, 403);
  const fault = fake.takeFault('exchange');
  if (fault?.startsWith('status-')) return faultStatus(res, fault);
  const body = await readJson(req, res, JSON_TYPE);
  if (body === NO_BODY) return;
  const { clientId, clientSecret } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof clientId !== 'string' || clientId === '' || typeof clientSecret !== 'string' || clientSecret === '') {
    return srError(res, 400, 'INVALID_REQUEST', 'Invalid request body: clientId and clientSecret are required');
  }
  if (!fake.configuration) return srError(res, 404, 'CONFIGURATION_NOT_FOUND', 'Partner configuration does not exist');
  if (!fake.consents.has(companyId)) {
    return srError(res, 403, 'CONSENT_NOT_GIVEN', 'Request missed required scopes or company did not give consent for integration');
  }
  if (fake.integrations.has(companyId)) return srError(res, 409, 'CONFLICT', 'Partner already integrated for company');
  const integration = {
    companyId,
    partnerClientId: clientId,
    partnerClientSecret: clientSecret,
    srClientId: `sr-assess-${randomBytes(8).toString('hex')}`,
    srClientSecret: randomBytes(24).toString('base64url'),
    createdAt: new Date().toISOString(),
  };
  fake.integrations.set(companyId, integration);
  // Committed: the faults below lose the answer, not the integration (a replay then gets 409).
  const answer = { clientId: integration.srClientId, clientSecret: integration.srClientSecret };
  if (fault === 'drop') return void req.socket.destroy();
  if (fault === 'delay') await delay(fake.options.faultDelayMs ?? 15_000);
  if (fault === 'malformed') return malformed(res, `{"clientId": "${integration.srClientId}", "clientSecret": `);
  if (!res.destroyed) sendJson(res, 200, answer);
}

/** The order behind a results call, or an error sent: 404 unknown, 403 another company's (or a master) token. */
function orderFor(fake: FakeSmartRecruitersAssessment, info: TokenInfo, orderId: string, res: ServerResponse) {
  const order = UUID.test(orderId) ? fake.orders.get(orderId.toLowerCase()) : undefined;
  if (!order) return void srError(res, 404, 'ORDER_NOT_FOUND', 'Order with given id does not exist');
  if (info.kind !== 'customer' || info.companyId !== order.companyId) return void srError(res, 403, 'PERMISSION_DENIED', 'Order belongs to another company or the token lacks assessment_result_manage');
  return order;
}

async function patchResults(fake: FakeSmartRecruitersAssessment, info: TokenInfo, orderId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  fake.counts.resultPatches += 1;
  const fault = fake.takeFault('results');
  if (fault?.startsWith('status-')) return faultStatus(res, fault);
  if (!PATCH_TYPE.test(req.headers['content-type'] ?? '')) return srError(res, 415);
  const order = orderFor(fake, info, orderId, res);
  if (!order) return;
  const patch = await readJson(req, res, PATCH_TYPE);
  if (patch === NO_BODY) return;
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return srError(res, 400, 'INVALID_RESULT', 'Invalid result partial update provided: a JSON object is required');
  }
  const merged = mergePatch(order.result ?? {}, patch) as Record<string, unknown>;
  const problem = packageResultProblem(merged);
  if (problem) return srError(res, 400, 'INVALID_RESULT', `Invalid result partial update provided: ${problem}`);
  const result = knownResultFields(merged);
  const at = new Date().toISOString();
  order.result = result;
  order.updatedAt = at;
  order.patches.push({ at, patch, result });
  await answerAfterCommit(fake, fault, req, res, 200, result);
}

async function addAttachment(fake: FakeSmartRecruitersAssessment, info: TokenInfo, orderId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  fake.counts.attachmentUploads += 1;
  const fault = fake.takeFault('results');
  if (fault?.startsWith('status-')) return faultStatus(res, fault);
  const order = orderFor(fake, info, orderId, res);
  if (!order) return;
  if (order.kind === 'inline') {
    return srError(res, 403, 'INLINE_ORDER_ATTACHMENT_NOT_SUPPORTED', 'Adding attachment to inline assessment orders is not supported');
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return srError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'multipart/form-data expected');
  const raw = await readRawBody(req, 10 * 1024 * 1024);
  if (!raw) return srError(res, 413);
  const file = parseMultipart(raw, contentType)?.find((part) => part.name === 'file');
  if (!file) return srError(res, 400, 'INVALID_REQUEST', 'A multipart part named "file" is required');
  const id = randomUUID();
  const url = `${fake.options.apiOrigin()}/assessment/attachments/${id}`;
  fake.uploads.set(id, { data: file.data, contentType: file.contentType ?? 'application/octet-stream' });
  order.attachments.push({ url, filename: file.filename ?? null, contentType: file.contentType ?? null, size: file.data.length, at: new Date().toISOString() });
  order.updatedAt = new Date().toISOString();
  await answerAfterCommit(fake, fault, req, res, 201, { url });
}

export async function answerAfterCommit(fake: FakeSmartRecruitersAssessment, fault: string | undefined, req: IncomingMessage, res: ServerResponse, status: number, body: unknown) {
  if (fault === 'drop') return void req.socket.destroy();
  if (fault === 'slow') await delay(fake.options.faultDelayMs ?? 15_000);
  if (fault === 'malformed') return malformed(res, JSON.stringify(body).slice(0, 12));
  if (!res.destroyed) sendJson(res, status, body);
}

/** Answers a `status-NNN` fault: SR's error for NNN; a 429 as SR's limiter would, `-retry-after` adding the header. */
export function faultStatus(res: ServerResponse, fault: string): void {
  const [, code, retryAfter] = /^status-(\d{3})(-retry-after)?$/.exec(fault) ?? [];
  const status = Number(code ?? 500);
  if (status === 429) res.setHeader('x-ratelimit-remaining', '0');
  if (retryAfter) res.setHeader('retry-after', String(FAULT_RETRY_AFTER_SECONDS));
  srError(res, status);
}

function malformed(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(text);
}

const NO_BODY = Symbol('no body');

/** The JSON body, or NO_BODY after answering 415 (wrong content type), 413 or 400 (not JSON). */
async function readJson(req: IncomingMessage, res: ServerResponse, type: RegExp): Promise<unknown> {
  if (!type.test(req.headers['content-type'] ?? '')) {
    srError(res, 415);
    return NO_BODY;
  }
  const raw = await readRawBody(req, 256 * 1024);
  if (!raw) {
    srError(res, 413);
    return NO_BODY;
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    srError(res, 400, 'INVALID_REQUEST', 'Request body is not valid JSON');
    return NO_BODY;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
