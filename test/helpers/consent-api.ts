/**
 * Drives the kit's consent API over real HTTP the way the widget does (session and CSRF token
 * kept in memory and sent as headers, Origin = the kit's origin), for integration tests.
 */
import { CSRF_HEADER, SESSION_HEADER, type ConsentBootstrap } from '../../widget/protocol/http.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export class ConsentApi {
  session: string | undefined;
  csrf: string | undefined;

  constructor(
    readonly kitUrl: string,
    readonly consentPath = '/ats/consent',
    /** The Origin the browser would send: the kit's public origin (differs from kitUrl behind a load balancer). */
    readonly origin = kitUrl,
  ) {}

  async bootstrap(companyId: string, redirect?: string): Promise<ApiResponse<ConsentBootstrap>> {
    const query = new URLSearchParams({ companyId });
    if (redirect) query.set('redirect', redirect);
    const response = await this.request<ConsentBootstrap>('GET', `/bootstrap?${query}`);
    if (response.status === 200) this.remember(response.body);
    return response;
  }

  async signIn(username = 'admin@acme.test', password = DEMO_PASSWORDS[username]!): Promise<ApiResponse> {
    const response = await this.request('POST', '/sign-in', { username, password });
    if (response.status === 200) this.remember(response.body as { session: string; csrfToken: string });
    return response;
  }

  /** bootstrap + sign-in in one go. */
  async start(companyId: string, username = 'admin@acme.test', redirect?: string): Promise<this> {
    const boot = await this.bootstrap(companyId, redirect);
    if (boot.status !== 200) throw new Error(`bootstrap failed: ${boot.status} ${JSON.stringify(boot.body)}`);
    const signIn = await this.signIn(username);
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${JSON.stringify(signIn.body)}`);
    return this;
  }

  approve(): Promise<ApiResponse> {
    return this.request('POST', '/approve', {});
  }

  /**
   * Approve as the widget does: while another attempt holds the company's exchange (409
   * `ATS_EXCHANGE_IN_PROGRESS`), wait the answer's `Retry-After` and ask again. Returns the last
   * answer and every in-progress answer before it.
   */
  async approveUntilSettled(giveUpAfterMs = 60_000): Promise<{ response: ApiResponse; waited: ApiResponse[] }> {
    const waited: ApiResponse[] = [];
    const giveUpAt = Date.now() + giveUpAfterMs;
    for (;;) {
      const response = await this.approve();
      if (response.status !== 409 || response.body.error !== 'ATS_EXCHANGE_IN_PROGRESS' || Date.now() > giveUpAt) return { response, waited };
      waited.push(response);
      const seconds = Number(response.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000));
    }
  }

  deny(): Promise<ApiResponse> {
    return this.request('POST', '/deny', {});
  }

  remember(body: { session: string; csrfToken: string }): void {
    this.session = body.session;
    this.csrf = body.csrfToken;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { origin: this.origin, accept: 'application/json' };
    if (this.session) headers[SESSION_HEADER] = this.session;
    if (this.csrf) headers[CSRF_HEADER] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.kitUrl + this.consentPath + path, {
      method,
      headers: { ...headers, ...extraHeaders },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HTML error pages and empty bodies stay text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}
