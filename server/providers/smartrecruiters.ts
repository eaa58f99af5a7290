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
import { OutboundError, sendJson } from '../oauth/outbound.js';
import { TokenCache } from '../oauth/token-cache.js';

export interface SmartRecruitersClientOptions {
  apiBaseUrl: URL;
  appId: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
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

const SrErrorBody = v.object({ errors: v.array(v.object({ code: v.string() })) });

export class SmartRecruitersClient {
  readonly masterToken: TokenCache;
  readonly #options: SmartRecruitersClientOptions;

  constructor(options: SmartRecruitersClientOptions) {
    this.#options = options;
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
   * Seed 001 §3. A 401 means the cached master token died early (revoked, clock skew): it is
   * renewed once and the call replayed once (T32); a second 401 is reported, never looped.
   * `idempotencyKey` goes out as `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header),
   * and every retry of one integration sends the identical body (T33).
   */
  async createIntegration(request: IntegrationRequest, idempotencyKey: string): Promise<IntegrationResponse> {
    try {
      return await this.#postIntegration(request, idempotencyKey);
    } catch (error) {
      if (!(error instanceof RejectedToken)) throw error;
      this.masterToken.invalidate(error.token);
      try {
        return await this.#postIntegration(request, idempotencyKey);
      } catch (second) {
        throw second instanceof RejectedToken ? second.failure : second;
      }
    }
  }

  async #postIntegration(request: IntegrationRequest, idempotencyKey: string): Promise<IntegrationResponse> {
    const token = await this.masterToken.get();
    const { response, body } = await sendJson({
      step: 'integrations',
      url: this.#url('/apps-integrations/partner-api/integrations'),
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': idempotencyKey },
      body: { appId: this.#options.appId, ...request },
      timeoutMs: this.#options.timeoutMs,
    });
    if (response.status === 200) {
      const parsed = v.safeParse(IntegrationResponse, body);
      if (parsed.success) return parsed.output;
      throw OutboundError.fromResponse('integrations', response);
    }
    const codes = v.is(SrErrorBody, body) ? body.errors.map((error) => error.code).slice(0, 5) : [];
    const failure = OutboundError.fromResponse('integrations', response, undefined, codes);
    if (failure.kind === 'unauthorized') throw new RejectedToken(token, failure);
    throw failure;
  }

  #url(path: string): URL {
    const base = this.#options.apiBaseUrl.href.replace(/\/$/, '');
    return new URL(base + path);
  }
}

class RejectedToken extends Error {
  constructor(
    readonly token: string,
    readonly failure: OutboundError,
  ) {
    super('master token rejected');
  }
}
