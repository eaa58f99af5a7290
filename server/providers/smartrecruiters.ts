/**
 * SmartRecruiters General Partner Integration, partner side of the credential exchange (seed 001).
 *
 * §2: master credentials → bearer token at `/identity/oauth/token` (client_credentials, form body).
 * §3: `POST /apps-integrations/partner-api/integrations` with `{appId, companyId, clientId,
 *     clientSecret}` under that bearer token; 200 → SR's customer-level credentials.
 * Errors come in SR's `{"errors":[{"code","message"}]}` shape (reference/providers.md §1.7).
 */
import * as v from 'valibot';
import { requestClientCredentialsToken } from '../oauth/client-credentials.js';
import { OutboundError, sendJson, type JsonRequest } from '../oauth/outbound.js';
import { TokenCache } from '../oauth/token-cache.js';
import { gateLimits, RateGate } from '../assessment/rate-gate.js';

export interface SmartRecruitersClientOptions {
  apiBaseUrl: URL;
  appId: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** SR's per-credential limits the master calls keep to (default 10/s, 8 at once). */
  rateLimit?: { perSecond: number; concurrent: number };
  now?: () => number;
}

export interface IntegrationRequest {
  companyId: string;
  /** Customer-level credentials we generated, for SR to call our token endpoint with. */
  clientId: string;
  clientSecret: string;
}

/** SR's customer-level credentials for this company, plus its integration id. */
export const IntegrationResponse = v.object({
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  clientSecret: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)),
  integrationId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
});
export type IntegrationResponse = v.InferOutput<typeof IntegrationResponse>;

/** What either product's exchange yields: SR's customer-level credentials, and SR's integration id when it gives one. */
export interface ExchangedCredentials {
  clientId: string;
  clientSecret: string;
  integrationId: string | null;
}

/** One product's credential exchange (General Partner: seed 001 §3; Assessment: seed 003 §1.3). */
export type CredentialExchange = (request: IntegrationRequest, idempotencyKey: string) => Promise<ExchangedCredentials>;

const SrErrorBody = v.object({ errors: v.array(v.object({ code: v.string() })) });

export class SmartRecruitersClient {
  readonly masterToken: TokenCache;
  readonly #options: SmartRecruitersClientOptions;
  readonly #gate: RateGate;

  constructor(options: SmartRecruitersClientOptions) {
    this.#options = options;
    this.#gate = new RateGate(gateLimits(options.rateLimit ?? { perSecond: 10, concurrent: 8 }), options.now);
    this.masterToken = this.tokenCacheFor({ clientId: options.clientId, clientSecret: options.clientSecret });
  }

  /**
   * A client-credentials token cache for a set of SR credentials: the master ones (seed 001 §2) or
   * a company's customer-level ones (§4: "exchange credentials you received for the access token").
   */
  tokenCacheFor(credentials: { clientId: string; clientSecret: string }): TokenCache {
    return new TokenCache({
      now: this.#options.now,
      fetchToken: () =>
        requestClientCredentialsToken({
          tokenEndpoint: this.#url('/identity/oauth/token'),
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          timeoutMs: this.#options.timeoutMs,
        }),
    });
  }

  /**
   * Seed 001 §3. `idempotencyKey` goes out as `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header),
   * and every retry of one integration sends the identical body (T33).
   */
  async createIntegration(request: IntegrationRequest, idempotencyKey: string): Promise<IntegrationResponse> {
    const { response, body } = await this.masterCall({
      step: 'integrations',
      path: '/apps-integrations/partner-api/integrations',
      method: 'POST',
      headers: { 'idempotency-key': idempotencyKey },
      body: { appId: this.#options.appId, ...request },
    });
    if (response.status === 200) {
      const parsed = v.safeParse(IntegrationResponse, body);
      if (parsed.success) return parsed.output;
    }
    throw srFailure('integrations', response, body);
  }

  /**
   * A call under the master token (seed 001 §2, seed 003 §1.2). A 401 means the cached token died
   * early (revoked, clock skew): it is renewed once and the call replayed once (T32); a second 401
   * is answered as it is, never looped.
   */
  async masterCall(request: { step: string; path: string; method: JsonRequest['method']; headers?: Record<string, string>; body?: unknown }) {
    const send = async (token: string) =>
      sendJson({
        step: request.step,
        url: this.#url(request.path),
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        ...(request.body === undefined ? {} : { body: request.body }),
        timeoutMs: this.#options.timeoutMs,
      });
    // SR's limits hold for the master credential too (providers.md §1.8): many approvals at once wait their turn.
    const token = await this.masterToken.get();
    const first = await this.#gate.run(() => send(token));
    this.#gate.observe(first.response.headers);
    if (first.response.status !== 401) return first;
    this.masterToken.invalidate(token);
    const renewed = await this.masterToken.get();
    return this.#gate.run(() => send(renewed));
  }

  #url(path: string): URL {
    const base = this.#options.apiBaseUrl.href.replace(/\/$/, '');
    return new URL(base + path);
  }
}

/** SmartRecruiters' answer as an `OutboundError`, with the codes of its `{"errors":[{"code"}]}` body (providers.md §1.7). */
export function srFailure(step: string, response: Response, body: unknown): OutboundError {
  const codes = v.is(SrErrorBody, body) ? body.errors.map((error) => error.code).slice(0, 5) : [];
  return OutboundError.fromResponse(step, response, undefined, codes);
}
