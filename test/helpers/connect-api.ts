/**
 * Drives a provider connection over real HTTP without a browser: the widget's bootstrap and sign-in,
 * the start, the fake provider's approve form, and the callback.
 */
import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, SESSION_HEADER, type ConnectBootstrap } from '../../widget/protocol/http.js';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { PROVIDER_USERS } from '../../demo/provider-fakes.js';
import type { ProviderId } from './provider-page.js';

export class ConnectApi {
  session: string | undefined;
  csrf: string | undefined;

  constructor(readonly kitUrl: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { origin: this.kitUrl, ...(this.session ? { [SESSION_HEADER]: this.session } : {}), ...(this.csrf ? { [CSRF_HEADER]: this.csrf } : {}), ...extra };
  }

  async signIn(username = 'admin@acme.test'): Promise<this> {
    const boot = (await (await fetch(`${this.kitUrl}/ats/connect/bootstrap`)).json()) as ConnectBootstrap;
    this.session = boot.session;
    this.csrf = boot.csrfToken;
    const response = await fetch(`${this.kitUrl}/ats/connect/sign-in`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ username, password: DEMO_PASSWORDS[username] }),
    });
    const body = (await response.json()) as { session: string; csrfToken: string };
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
    this.session = body.session;
    this.csrf = body.csrfToken;
    return this;
  }

  /**
   * POST …/start as the widget does (same origin, CSRF header, JSON body); returns the provider
   * authorization URL it answers. `body` overrides or adds fields (`mode`, `returnTo`,
   * `connectionId`, `serviceProvider`); `headers` overrides the request headers.
   */
  async start(
    provider: string,
    body: Record<string, unknown> = {},
    headers: Record<string, string> = this.headers(),
  ): Promise<{ status: number; authorizationUrl: URL | null; flowId: string; body: Record<string, unknown>; headers: Headers }> {
    const flowId = randomBytes(18).toString('base64url');
    const response = await fetch(`${this.kitUrl}/ats/connect/${provider}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ flowId, mode: 'popup', ...body }),
      redirect: 'manual',
    });
    const answer = (await response.json()) as Record<string, unknown>;
    const url = response.status === 200 && typeof answer.authorizationUrl === 'string' ? new URL(answer.authorizationUrl) : null;
    return { status: response.status, authorizationUrl: url, flowId, body: answer, headers: response.headers };
  }

  /** Plays the user at the fake provider: approve (or deny); returns the callback URL it redirects to. */
  async decide(authorizationUrl: URL, provider: ProviderId, decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
    const form = new URLSearchParams(authorizationUrl.searchParams);
    form.set('username', PROVIDER_USERS[provider].username);
    form.set('password', PROVIDER_USERS[provider].password);
    form.set('decision', decision);
    const response = await fetch(`${authorizationUrl.origin}${authorizationUrl.pathname}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    return new URL(response.headers.get('location')!);
  }

  async callback(url: URL | string, headers: Record<string, string> = this.headers()) {
    const response = await fetch(url, { headers, redirect: 'manual' });
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  async flowStatus(flowId: string) {
    const response = await fetch(`${this.kitUrl}/ats/connect/flows/${flowId}`, { headers: this.headers() });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The whole flow; returns the new connection's id. */
  async connect(provider: ProviderId, body: Record<string, unknown> = {}): Promise<string> {
    const started = await this.start(provider, body);
    if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
    const callbackUrl = await this.decide(started.authorizationUrl!, provider);
    const result = await this.callback(callbackUrl);
    if (result.status !== 200) throw new Error(`callback failed: ${result.status} ${result.html.slice(0, 200)}`);
    const status = await this.flowStatus(started.flowId);
    if (status.body.status !== 'connected') throw new Error(`flow ended ${JSON.stringify(status.body)}`);
    return String(status.body.connectionId);
  }
}
