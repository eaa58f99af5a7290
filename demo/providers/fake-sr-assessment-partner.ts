/**
 * The fake SmartRecruiters calling the partner (the kit) at the URLs the partner registered with
 * `PUT /partner/configuration` (seed 003 §2–§3, reference/providers.md §1.5). Every call is
 * recorded (method, URL, headers, body, status, parsed answer) so tests and the QA page can see
 * exactly what SR sent and what came back. SR gives the partner 15 seconds to answer.
 */
import { checkPartnerToken, packageProblem, type PartnerConfiguration } from './fake-sr-assessment-schemas.js';

export type PartnerCallKind = 'token' | 'packages' | 'package' | 'order' | 'inline-order' | 'disable';

export interface PartnerCall {
  kind: PartnerCallKind;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** JSON bodies as sent; the token form with `client_secret` redacted. */
  requestBody?: unknown;
  status: number | null;
  /** Parsed JSON when the answer was JSON, else its text (first 2000 characters). */
  responseBody: unknown;
  error?: string;
  at: string;
  durationMs: number;
}

/** What one QA action (or its programmatic twin) did. `ok` only when every call answered as SR expects. */
export interface Outcome {
  ok: boolean;
  companyId: string;
  problems: string[];
  calls: PartnerCall[];
}

export type AssessmentPackage = { id: string; name: string; description: string; type: string; assessments: unknown[] } & Record<string, unknown>;

export interface PartnerCredentials {
  partnerClientId: string;
  partnerClientSecret: string;
}

export class PartnerClient {
  constructor(
    readonly timeoutMs: () => number,
    readonly onCall: (call: PartnerCall) => void,
  ) {}

  /** `POST oauthTokenUrl`, client_credentials with the partner's customer-level credentials in the form body. */
  async token(outcome: Outcome, config: PartnerConfiguration, credentials: PartnerCredentials): Promise<string | undefined> {
    const form = { grant_type: 'client_credentials', client_id: credentials.partnerClientId, client_secret: credentials.partnerClientSecret };
    const answer = await this.#send(outcome, 'token', 'POST', config.oauthTokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      recordedBody: { ...form, client_secret: '[redacted]' },
    });
    if (!answer) return undefined;
    const checked = checkPartnerToken(answer.status, answer.contentType, answer.text);
    outcome.problems.push(...checked.problems);
    return checked.token;
  }

  /** `GET assessmentPackageListUrl?<location>&<fields>` with the `requester` header. 204 → no packages. */
  async packages(outcome: Outcome, config: PartnerConfiguration, token: string, query: Array<[string, string]>, requesterEmail: string) {
    const url = new URL(config.assessmentPackageListUrl);
    for (const [name, value] of query) url.searchParams.append(name, value);
    const answer = await this.#send(outcome, 'packages', 'GET', url.href, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', requester: JSON.stringify({ email: requesterEmail }) },
    });
    if (!answer) return undefined;
    if (answer.status === 204) return [];
    if (answer.status !== 200) return void outcome.problems.push(`package list answered ${answer.status} (expected 200 or 204)`);
    const list = answer.json;
    if (!Array.isArray(list)) return void outcome.problems.push('package list is not a JSON array');
    const valid: AssessmentPackage[] = [];
    list.forEach((item, index) => {
      const problem = packageProblem(item, `packages[${index}]`);
      if (problem) outcome.problems.push(problem);
      else valid.push(item as AssessmentPackage);
    });
    return valid;
  }

  /** `GET singleAssessmentPackageUrl/{id}` (SR appends the id as a path segment). */
  async package(outcome: Outcome, config: PartnerConfiguration, token: string, packageId: string) {
    const answer = await this.#send(outcome, 'package', 'GET', appendSegment(config.singleAssessmentPackageUrl, packageId), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!answer) return undefined;
    if (answer.status !== 200) return void outcome.problems.push(`single package answered ${answer.status} (expected 200)`);
    const problem = packageProblem(answer.json);
    if (problem) return void outcome.problems.push(problem);
    const found = answer.json as AssessmentPackage;
    if (found.id !== packageId) outcome.problems.push(`single package answered id ${JSON.stringify(found.id)} for ${JSON.stringify(packageId)}`);
    return found;
  }

  /** `POST packageOrderUrl` (`AssessmentPackageOrderRequest`) → 202, or `POST inlineAssessmentPackageOrderUrl` → 200 `{url}`. */
  async order(outcome: Outcome, kind: 'order' | 'inline-order', url: string, token: string, body: Record<string, unknown>) {
    const answer = await this.#send(outcome, kind, 'POST', url, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      recordedBody: body,
    });
    if (!answer) return undefined;
    if (kind === 'order') {
      if (answer.status !== 202) outcome.problems.push(`package order answered ${answer.status} (expected 202)`);
      return answer.status === 202 ? {} : undefined;
    }
    if (answer.status !== 200) return void outcome.problems.push(`inline order answered ${answer.status} (expected 200)`);
    const candidateUrl = (answer.json as { url?: unknown } | undefined)?.url;
    if (typeof candidateUrl !== 'string' || !/^https?:\/\//i.test(candidateUrl) || !URL.canParse(candidateUrl)) {
      return void outcome.problems.push('inline order answer has no absolute http(s) "url"');
    }
    return { url: candidateUrl };
  }

  /** `DELETE integrationDisableUrl/{companyId}` → 204. */
  async disable(outcome: Outcome, config: PartnerConfiguration & { integrationDisableUrl: string }, token: string): Promise<boolean> {
    const answer = await this.#send(outcome, 'disable', 'DELETE', appendSegment(config.integrationDisableUrl, outcome.companyId), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (answer && answer.status !== 204) outcome.problems.push(`integration disable answered ${answer.status} (expected 204)`);
    return answer?.status === 204;
  }

  async #send(
    outcome: Outcome,
    kind: PartnerCallKind,
    method: string,
    url: string,
    init: { headers: Record<string, string>; body?: string; recordedBody?: unknown },
  ): Promise<{ status: number; contentType: string; text: string; json: unknown } | undefined> {
    const started = Date.now();
    const call: PartnerCall = {
      kind,
      method,
      url,
      requestHeaders: init.headers,
      ...(init.recordedBody !== undefined ? { requestBody: init.recordedBody } : {}),
      status: null,
      responseBody: null,
      at: new Date(started).toISOString(),
      durationMs: 0,
    };
    outcome.calls.push(call);
    this.onCall(call);
    try {
      const response = await fetch(url, {
        method,
        headers: init.headers,
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs()),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      call.status = response.status;
      call.responseBody = json ?? text.slice(0, 2000);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      call.error = timedOut ? `no answer within ${this.timeoutMs()} ms` : `network error: ${(error as Error).cause ?? error}`;
      outcome.problems.push(`${kind}: ${call.error}`);
      return undefined;
    } finally {
      call.durationMs = Date.now() - started;
    }
  }
}

/** `base + '/' + encodeURIComponent(segment)`, keeping the base's query and not doubling a trailing slash. */
export function appendSegment(base: string, segment: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(segment)}`;
  return url.href;
}
