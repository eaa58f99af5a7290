/**
 * Calls to SmartRecruiters under a company's customer-level token (seed 003 §4–§5: "exchange your
 * customer-level credential for an access token"): the results PATCH, attachments and reads of the
 * candidate, the job and the hiring team.
 *
 * Every call goes through the company's rate gate (10/s, 8 at once: providers.md §1.8), has a
 * timeout, never follows a redirect, and reads at most the capped body. A 401 means the cached
 * token died early: it is renewed once and the call made once more (T32).
 *
 * @see https://developers.smartrecruiters.com/docs/rate-limiting
 */
import type { IntegrationLifecycle } from '../integrations/integration-lifecycle.js';
import { OutboundError, readJsonBody, sendJson } from '../oauth/outbound.js';
import type { JsonObject } from './merge-patch.js';
import { RateGate, SR_LIMITS, type RateGateLimits } from './rate-gate.js';

/** A read refused with 429 is asked again up to this many times in all, backing off (1, 2, 4, 8 s) or as SR's `Retry-After` says. */
const READ_ATTEMPTS = 5;

export interface CustomerApiDeps {
  lifecycle: IntegrationLifecycle;
  apiBaseUrl: URL;
  timeoutMs: number;
  limits?: RateGateLimits;
  now?: () => number;
  /** Each 429 SmartRecruiters answers (the metrics). */
  onRateLimited?: () => void;
}

export interface SrAnswer {
  response: Response;
  body: unknown;
}

export class SmartRecruitersCustomerApi {
  readonly #gates = new Map<string, RateGate>();

  constructor(private readonly deps: CustomerApiDeps) {}

  /** The gate of a company's SR credential (one per company: each has its own customer-level credentials). */
  gate(companyId: string): RateGate {
    let gate = this.#gates.get(companyId);
    if (!gate) {
      gate = new RateGate(this.deps.limits ?? SR_LIMITS, this.deps.now);
      this.#gates.set(companyId, gate);
    }
    return gate;
  }

  /** One request through the gate with the company's token; renewed once on 401. */
  async call<T extends { response: Response }>(companyId: string, perform: (token: string) => Promise<T>): Promise<T> {
    const attempt = () =>
      this.gate(companyId).run(async () => {
        const token = await this.deps.lifecycle.smartRecruitersAccessToken(companyId);
        const result = await perform(token);
        this.#afterAnswer(companyId, result.response);
        if (result.response.status === 401) this.deps.lifecycle.srTokenRejected(companyId, token);
        return result;
      });
    const first = await attempt();
    return first.response.status === 401 ? attempt() : first;
  }

  /** Seed 003 §5.1: PATCH the order's `resultCallbackURL` with a JSON Merge Patch (RFC 7396). */
  patchResults(companyId: string, resultCallbackUrl: string, patch: JsonObject): Promise<SrAnswer> {
    return this.call(companyId, (token) =>
      sendJson({ step: 'results', url: new URL(resultCallbackUrl), method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: patch, timeoutMs: this.deps.timeoutMs }),
    );
  }

  /**
   * Seed 003 §5.2: `POST …/orders/{orderId}/results/attachment`, multipart with one `file` part (the
   * part's name is [UNKNOWN] in SR's published spec; `file` is the usual one). 201 `{url}`.
   */
  addAttachment(companyId: string, attachmentUrl: string, file: { filename: string; contentType: string; data: Uint8Array }): Promise<SrAnswer> {
    return this.call(companyId, async (token) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.filename);
      let response: Response;
      try {
        response = await fetch(attachmentUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          body: form,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.deps.timeoutMs * 3),
        });
      } catch (error) {
        throw OutboundError.fromFetchFailure('attachment', error);
      }
      return { response, body: await readJsonBody('attachment', response) };
    });
  }

  /** Seed 003 §4: a read of SR's API (`/candidates/{id}`, `/jobs/{id}`, …) relative to the API base. */
  async read(companyId: string, path: string, init: { headers?: Record<string, string> } = {}): Promise<SrAnswer> {
    const url = this.#apiUrl(path);
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.call(companyId, (token) =>
        sendJson({ step: 'read', url, method: 'GET', headers: { ...init.headers, authorization: `Bearer ${token}` }, timeoutMs: this.deps.timeoutMs }),
      );
      if (answer.response.status !== 429 || attempt === READ_ATTEMPTS) return answer;
      // The gate already paused for SR's Retry-After (or a second); wait it out and ask again.
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs(answer.response) ?? Math.min(1_000 * 2 ** (attempt - 1), 8_000)));
    }
  }

  #apiUrl(path: string): URL {
    if (!path.startsWith('/') || path.startsWith('//') || /[\s\\]/.test(path)) throw new TypeError('the path must be absolute within the SmartRecruiters API, e.g. /candidates/{id}');
    const url = new URL(this.deps.apiBaseUrl.href.replace(/\/$/, '') + path);
    if (url.origin !== this.deps.apiBaseUrl.origin) throw new TypeError('the path must stay on the SmartRecruiters API');
    return url;
  }

  #afterAnswer(companyId: string, response: Response): void {
    const gate = this.gate(companyId);
    gate.observe(response.headers);
    if (response.status === 429) {
      gate.pause(retryAfterMs(response) ?? 1_000);
      this.deps.onRateLimited?.();
    }
  }
}

/** `Retry-After` in seconds (capped at a minute), when SR sent one. */
export function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : undefined;
}
