/**
 * Typed fetches to the kit's JSON API. It keeps the sealed session and the CSRF token in memory
 * only (never storage, never a URL) and sends both as headers, so flows complete even when the
 * browser refuses the session cookie in a third-party iframe (reference/security.md T10).
 */
import { AtsErrorCode, type ErrorCode } from '../protocol/error-codes.js';
import { CSRF_HEADER, SESSION_HEADER, type ErrorBody, type SignInResponse } from '../protocol/http.js';
import { AtsWidgetError, networkError } from '../errors.js';

export class KitClient {
  #session: string | undefined;
  #csrf: string | undefined;

  constructor(readonly endpoint: string) {}

  async signIn(username: string, password: string): Promise<SignInResponse> {
    const result = await this.send<SignInResponse>('POST', '/sign-in', { username, password });
    this.remember(result.session, result.csrfToken);
    return result;
  }

  async signOut(): Promise<void> {
    const result = await this.send<{ session: string; csrfToken: string }>('POST', '/sign-out', {});
    this.remember(result.session, result.csrfToken);
  }

  protected remember(session: string, csrf: string): void {
    this.#session = session;
    this.#csrf = csrf;
  }

  protected async send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#session) headers[SESSION_HEADER] = this.#session;
    if (this.#csrf && method === 'POST') headers[CSRF_HEADER] = this.#csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.endpoint + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw networkError();
    }
    const payload: unknown = await response.json().catch(() => undefined);
    if (response.ok && payload !== undefined) return payload as T;
    const error = payload as Partial<ErrorBody> | undefined;
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    throw new AtsWidgetError(
      (error?.error ?? AtsErrorCode.Network) as ErrorCode,
      typeof error?.error_description === 'string' ? error.error_description : 'Something went wrong. Retry in a moment.',
      error?.retryable === true || response.status >= 500,
      retryAfter > 0 ? retryAfter : undefined,
    );
  }
}
