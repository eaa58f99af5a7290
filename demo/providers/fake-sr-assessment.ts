/**
 * A fake SmartRecruiters, Assessment side (seed 003, reference/providers.md §1.4–§1.8), for the
 * demo and the tests. `FakeSmartRecruiters` delegates to it for `/assessment-api/…`, the customer
 * API reads `/candidates/{id}`, `/jobs/{jobId}` and `/jobs/{jobId}/hiring-team`, the QA page at
 * `/assessment` and the `/__fake/assessment/…` control routes, and asks it at its shared token
 * endpoint whether a client id/secret pair is the assessment master credential (scope
 * `partner_configuration_manage`) or a customer-level credential it issued (see {@link grantFor}).
 *
 * - SR-hosted endpoints: fake-sr-assessment-api.ts; the reads: fake-sr-assessment-reads.ts (same
 *   admission, rate limits and faults as the rest of the API). Rate limits: rate-limiter.ts.
 * - SR calling the partner (token, package list, single package, order, inline order, disable):
 *   fake-sr-assessment-actions.ts over fake-sr-assessment-partner.ts. The QA page:
 *   fake-sr-assessment-page.ts (+ -page-script.ts). Types: fake-sr-assessment-types.ts.
 *
 * Choices where SR says nothing: every QA action fetches a fresh partner token (no caching); consent
 * is recorded when the admin clicks Enable and withdrawn with the integration on Disable; Disable
 * drops SR's integration whatever the partner answers; orders exist (and accept results) from the
 * moment SR sends them, whatever the partner answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AssessmentActions } from './fake-sr-assessment-actions.js';
import {
  API_BASE,
  EXCHANGE_FAULTS,
  FAULT_RETRY_AFTER_SECONDS,
  READ_FAULTS,
  RESULT_FAULTS,
  handleAssessmentApi,
  srError,
  type ExchangeFault,
  type FaultTarget,
  type ReadFault,
  type ResultFault,
} from './fake-sr-assessment-api.js';
import { renderAssessmentPage, renderCandidateDonePage, ASSESSMENT_PAGE_CSP, ASSESSMENT_PAGE_SCRIPT } from './fake-sr-assessment-page.js';
import { PartnerClient, type PartnerCall, type PartnerCallKind } from './fake-sr-assessment-partner.js';
import { handleRead, isReadPath } from './fake-sr-assessment-reads.js';
import type { PartnerConfiguration } from './fake-sr-assessment-schemas.js';
import {
  CUSTOMER_SCOPE,
  MASTER_SCOPE,
  type ApplyOutcome,
  type AssessmentDisableOutcome,
  type AssessmentGrant,
  type AssessmentIntegration,
  type AssessmentOrder,
  type FakeSmartRecruitersAssessmentOptions,
  type OrderOutcome,
  type PackagesOutcome,
  type ReadCall,
  type TokenInfo,
} from './fake-sr-assessment-types.js';
import { readBody, sendJson } from './http-helpers.js';
import { RateLimiter, SR_RATE_LIMITS } from './rate-limiter.js';

export { EXCHANGE_FAULTS, FAULT_RETRY_AFTER_SECONDS, READ_FAULTS, RESULT_FAULTS, type ExchangeFault, type ReadFault, type ResultFault, type FaultTarget };
export * from './fake-sr-assessment-types.js';

const FAULTS: Record<FaultTarget, readonly string[]> = { exchange: EXCHANGE_FAULTS, results: RESULT_FAULTS, reads: READ_FAULTS };

export class FakeSmartRecruitersAssessment {
  configuration: PartnerConfiguration | null = null;
  readonly integrations = new Map<string, AssessmentIntegration>();
  /** companyId → when its admin consented (clicked Enable). */
  readonly consents = new Map<string, string>();
  readonly orders = new Map<string, AssessmentOrder>();
  readonly uploads = new Map<string, { data: Buffer; contentType: string }>();
  readonly partnerCalls: PartnerCall[] = [];
  /** Every customer API read (the last 200), refused ones included, in the order answered. */
  readonly readCalls: ReadCall[] = [];
  readonly counts = {
    tokenRequests: 0,
    configurationGets: 0,
    configurationPuts: 0,
    exchangeRequests: 0,
    resultPatches: 0,
    attachmentUploads: 0,
    /** Customer API reads that passed admission (token and rate limit), whatever they answered. */
    reads: { candidate: 0, job: 0, hiringTeam: 0 },
    /** Requests SR's rate limiter refused (429); injected `status-429*` faults are not counted. */
    rateLimited: 0,
    partnerCalls: { token: 0, packages: 0, package: 0, order: 0, 'inline-order': 0, disable: 0 } satisfies Record<PartnerCallKind, number>,
  };
  readonly rateLimiter: RateLimiter;
  readonly #tokens = new Map<string, TokenInfo>();
  readonly #faults: Record<FaultTarget, Array<{ kind: string; remaining: number }>> = { exchange: [], results: [], reads: [] };
  readonly #actions: AssessmentActions;

  constructor(readonly options: FakeSmartRecruitersAssessmentOptions) {
    this.rateLimiter = new RateLimiter({ ...SR_RATE_LIMITS, ...options.rateLimits });
    const partner = new PartnerClient(
      () => this.options.partnerTimeoutMs ?? 15_000,
      (call) => {
        this.counts.partnerCalls[call.kind] += 1;
        this.partnerCalls.push(call);
      },
    );
    this.#actions = new AssessmentActions(this, partner);
  }

  // ---- The QA page's actions, for tests (fake-sr-assessment-actions.ts) ----

  /** "Order assessment", first click: a partner token, then the package list for the candidate's job. */
  listPackages(companyId: string, candidateId: string): Promise<PackagesOutcome> {
    return this.#actions.listPackages(companyId, candidateId);
  }

  /** "Order assessment" through to the order (the first non-inline package unless `packageId` is given). */
  orderAssessment(companyId: string, candidateId: string, packageId?: string): Promise<OrderOutcome> {
    return this.#actions.orderAssessment(companyId, candidateId, packageId);
  }

  /** "Apply as candidate": the inline order (the first INLINE_ASSESSMENT package unless `packageId` is given) → `{url}`. */
  applyAsCandidate(companyId: string, candidateId: string, packageId?: string): Promise<ApplyOutcome> {
    return this.#actions.applyAsCandidate(companyId, candidateId, packageId);
  }

  /** "Disable": notify the partner (token + DELETE) if it configured integrationDisableUrl; drop integration and consent. */
  disable(companyId: string): Promise<AssessmentDisableOutcome> {
    return this.#actions.disable(companyId);
  }

  /**
   * The shared token endpoint's hook: the grant for these credentials when they are the assessment
   * master credentials or SR customer-level credentials issued by {@link integrations}; else undefined.
   */
  grantFor(clientId: string | null, clientSecret: string | null): AssessmentGrant | undefined {
    const lifetimeSeconds = this.options.tokenLifetimeSeconds ?? 1800;
    const grant = (kind: 'master' | 'customer', scope: string, info: (expiresAt: number) => TokenInfo): AssessmentGrant => ({
      kind,
      scope,
      lifetimeSeconds,
      register: (token, expiresAt) => {
        this.counts.tokenRequests += 1;
        this.#tokens.set(token, info(expiresAt));
      },
    });
    if (clientId === this.options.masterClientId && clientSecret === this.options.masterClientSecret) {
      return grant('master', MASTER_SCOPE, (expiresAt) => ({ kind: 'master', clientId, expiresAt }));
    }
    const row = [...this.integrations.values()].find((entry) => entry.srClientId === clientId && entry.srClientSecret === clientSecret);
    if (!row) return undefined;
    return grant('customer', CUSTOMER_SCOPE, (expiresAt) => ({ kind: 'customer', clientId: row.srClientId, companyId: row.companyId, expiresAt }));
  }

  /** A live token's grant; customer tokens die with their company's integration. */
  tokenInfo(token: string): TokenInfo | undefined {
    const info = this.#tokens.get(token);
    if (!info || info.expiresAt < Date.now()) return undefined;
    if (info.kind === 'customer' && this.integrations.get(info.companyId)?.srClientId !== info.clientId) return undefined;
    return info;
  }

  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** The admin clicked Enable: the company consents to the integration with the partner. */
  recordConsent(companyId: string): void {
    this.consents.set(companyId, new Date().toISOString());
  }

  /** Queues a fault for the next `times` exchange requests, result PATCH / attachment requests, or customer API reads. */
  injectFault(target: 'exchange', kind: ExchangeFault, times?: number): void;
  injectFault(target: 'results', kind: ResultFault, times?: number): void;
  injectFault(target: 'reads', kind: ReadFault, times?: number): void;
  injectFault(target: FaultTarget, kind: string, times = 1): void {
    if (!FAULTS[target].includes(kind)) throw new Error(`unknown ${target} fault ${kind}`);
    this.#faults[target].push({ kind, remaining: times });
  }

  clearFaults(target?: FaultTarget): void {
    for (const key of target ? [target] : (['exchange', 'results', 'reads'] as const)) this.#faults[key] = [];
  }

  takeFault(target: FaultTarget): string | undefined {
    const next = this.#faults[target][0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.#faults[target].shift();
    return next.kind;
  }

  /** Whether a path belongs to the assessment side (the customer API reads included). */
  static owns(pathname: string): boolean {
    return (
      pathname.startsWith('/assessment-api/') ||
      pathname === '/assessment' ||
      pathname.startsWith('/assessment/') ||
      pathname.startsWith('/__fake/assessment/') ||
      isReadPath(pathname)
    );
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    try {
      if (path.startsWith(`${API_BASE}/`)) return await handleAssessmentApi(this, req, res, path.slice(API_BASE.length));
      if (isReadPath(path)) return await handleRead(this, req, res, url);
      if (path.startsWith('/__fake/assessment/')) return await this.#control(req, res, path.slice('/__fake/assessment/'.length));
      if (req.method !== 'GET') return srError(res, 405);
      if (path === '/assessment') return this.#html(res, renderAssessmentPage(this.configuration, url.searchParams, this.options.apiOrigin()));
      if (path === '/assessment/qa.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        return void res.end(ASSESSMENT_PAGE_SCRIPT);
      }
      if (path === '/assessment/candidate-done') {
        return this.#html(res, renderCandidateDonePage(this.orders.get((url.searchParams.get('order') ?? '').toLowerCase()) ?? null));
      }
      const upload = /^\/assessment\/attachments\/([0-9a-f-]{36})$/.exec(path);
      const file = upload ? this.uploads.get(upload[1]!) : undefined;
      if (file) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff' });
        return void res.end(file.data);
      }
      return srError(res, 404, 'NOT_FOUND', 'Unknown endpoint');
    } catch (error) {
      if (!res.headersSent) srError(res, 500, 'INTERNAL_ERROR', String(error));
    }
  };

  #html(res: ServerResponse, html: string): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': ASSESSMENT_PAGE_CSP });
    res.end(html);
  }

  /** The QA page's control routes: JSON in (POST needs `application/json`, so no cross-site form can call them), JSON out. */
  async #control(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (req.method === 'GET' && route === 'state') return sendJson(res, 200, this.publicState());
    if (req.method !== 'POST') return srError(res, 405);
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return srError(res, 415);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req)) ?? '') as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      return srError(res, 400);
    }
    const text = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined);
    const companyId = text('companyId');
    if (route === 'faults') return this.#setFault(res, body);
    if (!companyId) return srError(res, 400, 'INVALID_REQUEST', 'companyId is required');
    switch (route) {
      case 'consent':
        this.recordConsent(companyId);
        return sendJson(res, 200, { companyId, consentedAt: this.consents.get(companyId) });
      case 'packages':
        return sendJson(res, 200, await this.listPackages(companyId, text('candidateId') ?? ''));
      case 'order':
        return sendJson(res, 200, await this.orderAssessment(companyId, text('candidateId') ?? '', text('packageId')));
      case 'apply':
        return sendJson(res, 200, await this.applyAsCandidate(companyId, text('candidateId') ?? '', text('packageId')));
      case 'disable':
        return sendJson(res, 200, await this.disable(companyId));
      default:
        return srError(res, 404, 'NOT_FOUND', 'Unknown control route');
    }
  }

  #setFault(res: ServerResponse, body: Record<string, unknown>): void {
    const target = body.target === 'exchange' || body.target === 'results' || body.target === 'reads' ? body.target : undefined;
    if (!target) return srError(res, 400, 'INVALID_REQUEST', 'target must be exchange, results or reads');
    if (body.kind === 'none') this.clearFaults(target);
    else {
      const allowed: readonly unknown[] = FAULTS[target];
      if (!allowed.includes(body.kind)) return srError(res, 400, 'INVALID_REQUEST', 'unknown fault');
      this.#faults[target].push({ kind: body.kind as string, remaining: Math.max(1, Math.min(100, Number(body.times) || 1)) });
    }
    sendJson(res, 200, { faults: this.#faults });
  }

  // ---- SR calling the partner -------------------------------------------------------------
  /** What the QA page polls: no secrets (no client secrets, bearer tokens redacted). */
  publicState() {
    return {
      configuration: this.configuration,
      consents: Object.fromEntries(this.consents),
      integrations: [...this.integrations.values()].map(({ companyId, partnerClientId, srClientId, createdAt }) => ({ companyId, partnerClientId, srClientId, createdAt })),
      orders: [...this.orders.values()],
      counts: this.counts,
      readCalls: this.readCalls.slice(-30),
      faults: this.#faults,
      partnerCalls: this.partnerCalls.slice(-30).map((call) => ({
        ...call,
        requestHeaders: { ...call.requestHeaders, ...(call.requestHeaders.authorization ? { authorization: 'Bearer [redacted]' } : {}) },
        responseBody: call.kind === 'token' && typeof call.responseBody === 'object' && call.responseBody !== null ? { ...call.responseBody, access_token: '[redacted]' } : call.responseBody,
      })),
    };
  }
}
