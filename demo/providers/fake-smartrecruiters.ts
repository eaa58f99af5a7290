/**
 * A fake SmartRecruiters for the demo and the tests, following reference/providers.md §1:
 *
 * - `POST /identity/oauth/token` (§1.2): client_credentials with the credentials in the form body;
 *   `{access_token (UUID), token_type: "bearer", expires_in}`; RFC 6749 §5.2 errors (SR's own
 *   token-error body is [UNKNOWN]; SR requires that shape from partners, so we assume it).
 * - `POST /apps-integrations/partner-api/integrations` (§1.3): master bearer token, body
 *   `{appId, companyId, clientId, clientSecret}`, 200 `{clientId, clientSecret, integrationId}`;
 *   errors in SR's `{"errors":[{"code","message"}]}` shape (§1.7). Duplicate handling is [UNKNOWN]:
 *   by analogy with the assessment API (§1.4.2) another set of credentials for an integrated company
 *   is 409; the *identical* request again is answered like the first (an idempotent replay), which
 *   is what lets a partner recover from a timeout after SR committed (T33).
 * - Switchable faults for the integrations call: 401, 403, 409, 429, 500, a delay past the
 *   partner's timeout, a malformed body, a dropped connection. The last three commit first (the
 *   hard case: SR stored the integration but the partner never heard back).
 * - The QA page playing "Apps & Integrations" (see fake-smartrecruiters-page.ts).
 * - SR's side of the disable notification (seed 001 §1 `oauthTokenUrl` + `callbackUrl`): it gets a
 *   bearer token from the partner's token endpoint with the customer-level credentials the partner
 *   sent (client_secret_post, SR's documented form), checks that response as strictly as a strict
 *   client would, then POSTs `{"eventType":"INTEGRATION_DISABLED"}` to the callback.
 * - The same integrations POST with the same partner clientId and a new secret updates the secret
 *   (how a partner rotates; SR documents no other way, so this is an assumption: [UNKNOWN]).
 */
import { randomUUID, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderQaPage } from './fake-smartrecruiters-page.js';
import { FakeSmartRecruitersAssessment } from './fake-sr-assessment.js';
import { delay, readBody, sendHtml, sendJson } from './http-helpers.js';

export const FAULT_KINDS = ['status-401', 'status-403', 'status-409', 'status-429', 'status-500', 'delay', 'malformed', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FakeSmartRecruitersOptions {
  appId: string;
  masterClientId: string;
  masterClientSecret: string;
  /** Lifetime of issued tokens in seconds (SR's is [UNKNOWN]; the auth-code help page says 30 min). */
  tokenLifetimeSeconds?: number;
  /** How long the `delay` fault waits before answering. */
  faultDelayMs?: number;
  /** The Assessment side (seed 003), served by the same fake: see fake-sr-assessment.ts. */
  assessment?: FakeSmartRecruitersAssessment;
}

export interface FakeIntegration {
  integrationId: string;
  companyId: string;
  appId: string;
  /** The customer-level credentials the partner sent (for SR to call the partner's token endpoint). */
  partnerClientId: string | null;
  partnerClientSecret: string | null;
  /** SR's customer-level credentials for the partner. */
  srClientId: string;
  srClientSecret: string;
  createdAt: string;
}

export interface PageLinks {
  /** The partner's consent URL as registered with SR (`consentUrl`). */
  consentUrl: string;
  /** Where REDIRECT mode sends the admin back. */
  returnUrl: string;
  /** The partner's `oauthTokenUrl` and `callbackUrl` as registered with SR. */
  oauthTokenUrl?: string;
  callbackUrl?: string;
}

/** What happened when SR notified the partner of a disable. */
export interface DisableOutcome {
  companyId: string;
  tokenStatus: number | null;
  callbackStatus: number | null;
  /** Every way the partner's token response fell short of RFC 6749 §5.1 (empty when it is fine). */
  problems: string[];
}

const SR_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'INVALID_REQUEST', message: 'Invalid request body' },
  401: { code: 'UNAUTHORIZED', message: 'Unauthorized request' },
  403: { code: 'PERMISSION_DENIED', message: 'Request missed required scopes or company did not give consent for integration' },
  404: { code: 'APPLICATION_NOT_FOUND', message: 'Partner configuration does not exist' },
  409: { code: 'CONFLICT', message: 'Partner already integrated for company' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' },
  500: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
};

export class FakeSmartRecruiters {
  readonly integrations = new Map<string, FakeIntegration>();
  readonly counts = { tokenRequests: 0, integrationRequests: 0 };
  readonly disableOutcomes: DisableOutcome[] = [];
  /** Every token it has issued, with expiry (ms). */
  readonly #tokens = new Map<string, number>();
  #faults: Array<{ kind: FaultKind; remaining: number }> = [];
  links: PageLinks | undefined;
  /**
   * Assessment side: `/assessment-api/…`, the customer API reads (`/candidates/…`, `/jobs/…`, for its
   * customer-level tokens), `/assessment…`, `/__fake/assessment/…` and its credentials at the token endpoint.
   */
  assessment: FakeSmartRecruitersAssessment | undefined;

  constructor(readonly options: FakeSmartRecruitersOptions) {
    this.assessment = options.assessment;
  }

  /** Queues a fault for the next `times` integration requests. */
  injectFault(kind: FaultKind, times = 1): void {
    this.#faults.push({ kind, remaining: times });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Revokes every token (as a credential rotation at SR would), so the next use gets 401. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${req.method} ${url.pathname}`;
    // --- Assessment side (fake-sr-assessment.ts), the customer API reads included ---
    if (this.assessment && FakeSmartRecruitersAssessment.owns(url.pathname)) return this.assessment.handle(req, res);
    try {
      switch (route) {
        case 'POST /identity/oauth/token':
          return await this.#token(req, res);
        case 'POST /apps-integrations/partner-api/integrations':
          return await this.#createIntegration(req, res);
        case 'GET /':
        case 'GET /app/integrations':
          return sendHtml(res, 200, renderQaPage(this.links, url.searchParams));
        case 'GET /__fake/state':
          return sendJson(res, 200, this.#publicState());
        case 'POST /__fake/faults':
          return await this.#setFault(req, res);
        case 'POST /__fake/disable':
          return await this.#disableFromQaPage(req, res);
        default:
          return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'Unknown endpoint' }] });
      }
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ code: 'INTERNAL_ERROR', message: String(error) }] });
    }
  };

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.tokenRequests += 1;
    const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'form body expected' }, noStore);
    }
    const form = new URLSearchParams((await readBody(req)) ?? '');
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(res, 400, { error: 'unsupported_grant_type' }, noStore);
    }
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    const isMaster = clientId === this.options.masterClientId && clientSecret === this.options.masterClientSecret;
    // Customer-level credentials SR issued for an integration (seed 001 §4) work here too.
    const isCustomer = [...this.integrations.values()].some((row) => row.srClientId === clientId && row.srClientSecret === clientSecret);
    // --- Assessment side: its master credentials (scope partner_configuration_manage) and the customer-level ones it issued.
    const assessmentGrant = this.assessment?.grantFor(clientId, clientSecret);
    if (!isMaster && !isCustomer && !assessmentGrant) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' }, noStore);
    }
    const lifetime = (isMaster || isCustomer ? this.options.tokenLifetimeSeconds : assessmentGrant?.lifetimeSeconds) ?? 1800;
    const token = randomUUID();
    if (isMaster || isCustomer) this.#tokens.set(token, Date.now() + lifetime * 1000);
    assessmentGrant?.register(token, Date.now() + lifetime * 1000);
    const scope = assessmentGrant ? { scope: assessmentGrant.scope } : {};
    sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: lifetime, ...scope }, noStore);
  }

  async #createIntegration(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.integrationRequests += 1;
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = token ? this.#tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt < Date.now()) return srError(res, 401);
    const fault = this.#takeFault();
    if (fault?.startsWith('status-')) {
      const status = Number(fault.slice('status-'.length));
      return srError(res, status, status === 429 ? { 'retry-after': '2' } : {});
    }
    const body = parseJson((await readBody(req)) ?? '');
    if (!isIntegrationBody(body)) return srError(res, 400);
    if (body.appId !== this.options.appId) return srError(res, 404);
    const existing = this.integrations.get(body.companyId);
    let integration: FakeIntegration;
    if (existing) {
      // The same partner clientId again: an idempotent replay, or a new secret for it (rotation).
      if (existing.partnerClientId !== (body.clientId ?? null)) return srError(res, 409);
      existing.partnerClientSecret = body.clientSecret ?? null;
      integration = existing;
    } else {
      const clash = body.clientId && [...this.integrations.values()].some((other) => other.partnerClientId === body.clientId);
      if (clash) return srError(res, 400, {}, { code: 'DUPLICATE_CLIENT_ID', message: 'clientId must be unique among your integrations' });
      integration = {
        integrationId: randomUUID(),
        companyId: body.companyId,
        appId: body.appId,
        partnerClientId: body.clientId ?? null,
        partnerClientSecret: body.clientSecret ?? null,
        srClientId: `sr-${randomBytes(8).toString('hex')}`,
        srClientSecret: randomBytes(24).toString('base64url'),
        createdAt: new Date().toISOString(),
      };
      this.integrations.set(body.companyId, integration);
    }
    // From here on SR has committed; the faults below lose the answer, not the integration.
    const answer = { clientId: integration.srClientId, clientSecret: integration.srClientSecret, integrationId: integration.integrationId };
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === 'delay') await delay(this.options.faultDelayMs ?? 15_000);
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"clientId": "' + integration.srClientId + '", "clientSecret": ');
      return;
    }
    if (!res.destroyed) sendJson(res, 200, answer);
  }

  #takeFault(): FaultKind | undefined {
    const next = this.#faults[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.#faults.shift();
    return next.kind;
  }

  async #setFault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseJson((await readBody(req)) ?? '') as { kind?: string; times?: number } | undefined;
    if (body?.kind === 'none') {
      this.clearFaults();
      return sendJson(res, 200, { faults: [] });
    }
    if (!body || !FAULT_KINDS.includes(body.kind as FaultKind)) return srError(res, 400);
    this.injectFault(body.kind as FaultKind, Math.max(1, Math.min(100, Number(body.times) || 1)));
    sendJson(res, 200, { faults: this.#faults });
  }

  /**
   * SR's side of a disable (seed 001 §1): token from the partner's `oauthTokenUrl` with the
   * customer-level credentials the partner sent, then `INTEGRATION_DISABLED` to its `callbackUrl`.
   * The integration is gone from SR's list whatever the partner answers.
   */
  async disable(companyId: string): Promise<DisableOutcome> {
    const integration = this.integrations.get(companyId);
    const outcome: DisableOutcome = { companyId, tokenStatus: null, callbackStatus: null, problems: [] };
    this.disableOutcomes.push(outcome);
    if (!integration) {
      outcome.problems.push('no such integration');
      return outcome;
    }
    this.integrations.delete(companyId);
    const { oauthTokenUrl, callbackUrl } = this.links ?? {};
    // "Notifications to callbackUrl will not be send if oauthTokenUrl has not been defined."
    if (!oauthTokenUrl || !callbackUrl || !integration.partnerClientId || !integration.partnerClientSecret) {
      outcome.problems.push('no oauthTokenUrl/callbackUrl or no partner credentials: nothing sent');
      return outcome;
    }
    const tokenResponse = await fetch(oauthTokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: integration.partnerClientId, client_secret: integration.partnerClientSecret }),
      redirect: 'manual',
    });
    outcome.tokenStatus = tokenResponse.status;
    const token = checkTokenResponse(tokenResponse, await tokenResponse.text(), outcome.problems);
    if (!token) return outcome;
    const callback = await fetch(callbackUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'INTEGRATION_DISABLED' }),
      redirect: 'manual',
    });
    outcome.callbackStatus = callback.status;
    if (callback.status < 200 || callback.status >= 300) outcome.problems.push(`callback answered ${callback.status}`);
    return outcome;
  }

  async #disableFromQaPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseJson((await readBody(req)) ?? '') as { companyId?: unknown } | undefined;
    if (typeof body?.companyId !== 'string') return srError(res, 400);
    sendJson(res, 200, await this.disable(body.companyId));
  }

  /** What the QA page lists: no secrets. */
  #publicState() {
    return {
      counts: this.counts,
      faults: this.#faults,
      disableOutcomes: this.disableOutcomes,
      integrations: [...this.integrations.values()].map(({ integrationId, companyId, partnerClientId, createdAt }) => ({
        integrationId,
        companyId,
        partnerClientId,
        createdAt,
      })),
    };
  }
}

function srError(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  error = SR_ERRORS[status] ?? { code: 'ERROR', message: 'Error' },
): void {
  sendJson(res, status, { errors: [error] }, headers);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface IntegrationBody {
  appId: string;
  companyId: string;
  clientId?: string;
  clientSecret?: string;
}

function isIntegrationBody(body: unknown): body is IntegrationBody {
  if (typeof body !== 'object' || body === null) return false;
  const { appId, companyId, clientId, clientSecret } = body as Record<string, unknown>;
  const optionalString = (value: unknown) => value === undefined || (typeof value === 'string' && value !== '');
  return (
    typeof appId === 'string' &&
    typeof companyId === 'string' &&
    companyId !== '' &&
    optionalString(clientId) &&
    optionalString(clientSecret) &&
    (clientId === undefined) === (clientSecret === undefined)
  );
}

/**
 * Reads the partner's token response the way a strict RFC 6749 §5.1 client does: 200, JSON,
 * `access_token` a non-empty string, `token_type` "bearer" (any case), `expires_in` a positive
 * integer, no `refresh_token` (§4.4.3), `Cache-Control: no-store` and `Pragma: no-cache`.
 * Returns the token when everything holds; otherwise records each problem.
 */
function checkTokenResponse(response: Response, text: string, problems: string[]): string | undefined {
  if (response.status !== 200) problems.push(`token endpoint answered ${response.status}`);
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) problems.push('token response is not application/json');
  if (!(response.headers.get('cache-control') ?? '').includes('no-store')) problems.push('token response lacks Cache-Control: no-store');
  if (response.headers.get('pragma') !== 'no-cache') problems.push('token response lacks Pragma: no-cache');
  const body = parseJson(text) as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) {
    problems.push('token response body is not a JSON object');
    return undefined;
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') problems.push('access_token is not a non-empty string');
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') problems.push('token_type is not "bearer"');
  if (typeof body.expires_in !== 'number' || !Number.isInteger(body.expires_in) || body.expires_in <= 0) problems.push('expires_in is not a positive integer');
  if ('refresh_token' in body) problems.push('a client_credentials response must not carry refresh_token');
  if (body.scope !== undefined && typeof body.scope !== 'string') problems.push('scope is not a string');
  return problems.length === 0 ? (body.access_token as string) : undefined;
}
