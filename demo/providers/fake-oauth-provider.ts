/**
 * A fake OAuth 2.0 authorization server for the demo and the tests, in one of two flavours that
 * follow reference/providers.md:
 *
 * - `doorkeeper` (TE Recruit §2, CareerPlug §3): `invalid_client` is 401 and every other token
 *   error 400; responses carry `created_at` and `token_type: "Bearer"`; codes live 10 minutes and
 *   are single use; `redirect_uri` is required at the token endpoint and must match; refresh tokens
 *   rotate and the old one dies at once; one client-authentication mechanism per request; the
 *   authorize endpoint refuses an unregistered redirect URI on a page, never by redirecting.
 * - `oauth2-server-php` (Total Expert §4): every token error is 400; `state` is required at
 *   authorize; HTTP Basic of the raw `client_id:client_secret`; codes live 30 seconds; 40-hex tokens,
 *   `token_type: "bearer"`, no `created_at`; by the library's defaults a refresh returns no new
 *   refresh token and deletes the one used (configurable, as Total Expert's setting is unknown).
 *
 * Both: PKCE S256 when the client sends a challenge; a sign-in + approve page; switchable token
 * endpoint faults; a protected resource at `/api/me`, and a small API under `/api`
 * (fake-provider-api.ts) that the partner API's proxy calls.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeProviderApi } from './fake-provider-api.js';
import { delay, readBody, sendHtml, sendJson } from './http-helpers.js';

export type OAuthFlavour = 'doorkeeper' | 'oauth2-server-php';
export const TOKEN_FAULTS = ['status-500', 'status-429', 'invalid_grant', 'delay', 'malformed'] as const;
export type TokenFault = (typeof TOKEN_FAULTS)[number];

export interface FakeOAuthProviderOptions {
  id: string;
  displayName: string;
  flavour: OAuthFlavour;
  clientId: string;
  clientSecret: string;
  /** The one sign-in the provider's page accepts. */
  user: { username: string; password: string };
  accessTokenLifetimeSeconds: number;
  /** CareerPlug's partner grant: 48 h tokens, no refresh token. */
  clientCredentials?: boolean;
  clientCredentialsLifetimeSeconds?: number;
  /** oauth2-server-php `always_issue_new_refresh_token` (default false). */
  alwaysIssueNewRefreshToken?: boolean;
  /** oauth2-server-php `unset_refresh_token_after_use` (default true). */
  unsetRefreshTokenAfterUse?: boolean;
  /** CareerPlug's API: a present `Accept-Version` other than v1 gets 406. */
  apiVersion?: string;
  faultDelayMs?: number;
  /** Send `Cross-Origin-Opener-Policy: same-origin` on the sign-in page, as Microsoft's and others' do (T15). */
  coop?: boolean;
}

interface Code {
  clientId: string;
  redirectUri: string | null;
  challenge: string | null;
  scope: string;
  expiresAt: number;
  used: boolean;
}

const DK_DESCRIPTIONS: Record<string, string> = {
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  invalid_client: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  access_denied: 'The resource owner or authorization server denied the request.',
};

export class FakeOAuthProvider {
  readonly redirectUris = new Set<string>();
  readonly counts = { authorizePages: 0, tokenRequests: 0, byGrant: {} as Record<string, number> };
  readonly #codes = new Map<string, Code>();
  readonly #accessTokens = new Map<string, { expiresAt: number; scope: string }>();
  readonly #refreshTokens = new Map<string, { scope: string }>();
  #faults: TokenFault[] = [];
  /** The last authorization request's parameters (tests check PKCE and state). */
  lastAuthorization: URLSearchParams | undefined;
  /** The last token request's form (tests check redirect_uri, grant_type, verifier). */
  lastTokenRequest: { form: URLSearchParams; authorization: string | undefined } | undefined;
  /** Every access and refresh token ever issued (tests search answers and logs for them). */
  readonly issuedTokens: string[] = [];
  /** The protected API under `/api` (its requests, its faults). */
  readonly api: FakeProviderApi;

  constructor(readonly options: FakeOAuthProviderOptions) {
    this.api = new FakeProviderApi({
      flavour: options.flavour,
      faultDelayMs: options.faultDelayMs,
      validToken: (token) => (this.#accessTokens.get(token)?.expiresAt ?? 0) >= Date.now(),
    });
  }

  get paths() {
    return this.options.flavour === 'doorkeeper'
      ? { authorize: '/oauth/authorize', token: '/oauth/token' }
      : { authorize: '/authorize', token: '/v1/token' };
  }

  injectFault(fault: TokenFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.#faults.push(fault);
  }

  /** Every access token stops working (a resource now answers 401). */
  expireAccessTokens(): void {
    for (const token of this.#accessTokens.values()) token.expiresAt = 0;
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    try {
      if (req.method === 'GET' && url.pathname === this.paths.authorize) return this.#authorizePage(url.searchParams, res);
      if (req.method === 'POST' && url.pathname === `${this.paths.authorize}/decision`) return await this.#decision(req, res);
      if (url.pathname === this.paths.token) return await this.#token(req, res);
      if (req.method === 'GET' && url.pathname === '/api/me') return this.#me(req, res);
      if (url.pathname.startsWith('/api/')) return await this.api.handle(req, res, url);
      if (req.method === 'POST' && url.pathname === '/__fake/faults') {
        const body = JSON.parse((await readBody(req)) ?? '{}') as { fault?: TokenFault; times?: number };
        if (body.fault && TOKEN_FAULTS.includes(body.fault)) this.injectFault(body.fault, body.times ?? 1);
        return sendJson(res, 200, { faults: this.#faults });
      }
      sendJson(res, 404, { error: 'not_found' });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
    }
  };

  // --- authorization endpoint -------------------------------------------------------------

  #authorizePage(params: URLSearchParams, res: ServerResponse, problem?: string): void {
    this.counts.authorizePages += 1;
    this.lastAuthorization = params;
    const dk = this.options.flavour === 'doorkeeper';
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    if (!clientId) return sendHtml(res, 400, errorPage('invalid_request', 'Missing required parameter: client_id.'));
    if (clientId !== this.options.clientId) return sendHtml(res, dk ? 401 : 400, errorPage('invalid_client', 'The client id supplied is invalid'));
    if (dk ? !redirectUri || !this.redirectUris.has(redirectUri) : redirectUri !== null && !this.redirectUris.has(redirectUri)) {
      // Rendered, never redirected: the redirect URI itself is what is wrong.
      return sendHtml(res, 400, errorPage(dk ? 'invalid_redirect_uri' : 'redirect_uri_mismatch', "The requested redirect URI is malformed or doesn't match the client redirect URI."));
    }
    const target = redirectUri ?? [...this.redirectUris][0]!;
    if (params.get('response_type') !== 'code') return redirectError(res, target, params.get('state'), 'unsupported_response_type', 'The authorization server does not support this response type.');
    if (!dk && !params.get('state')) return redirectError(res, target, null, 'invalid_request', 'The state parameter is required');
    const method = params.get('code_challenge_method');
    if (params.get('code_challenge') && method !== 'S256' && method !== 'plain') return redirectError(res, target, params.get('state'), 'invalid_request', 'Invalid code_challenge_method.');
    const hidden = [...params].map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`).join('');
    if (this.options.coop) res.setHeader('cross-origin-opener-policy', 'same-origin');
    sendHtml(
      res,
      200,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(this.options.displayName)} (fake): sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}</style></head>
<body><h1>${esc(this.options.displayName)} (fake)</h1>
<p>An application asks to access your ${esc(this.options.displayName)} account${params.get('scope') ? ` (scopes: <code>${esc(params.get('scope')!)}</code>)` : ''}.</p>
${problem ? `<p role="alert">${esc(problem)}</p>` : ''}
<form method="post" action="${this.paths.authorize}/decision">${hidden}
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button name="decision" value="approve">Authorize</button> <button name="decision" value="deny">Deny</button>
</form></body></html>`,
    );
  }

  async #decision(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req)) ?? '');
    const state = form.get('state');
    const redirectUri = form.get('redirect_uri') ?? [...this.redirectUris][0]!;
    if (!this.redirectUris.has(redirectUri)) return sendHtml(res, 400, errorPage('invalid_redirect_uri', 'Unknown redirect URI.'));
    if (form.get('decision') !== 'approve') {
      const description = this.options.flavour === 'doorkeeper' ? DK_DESCRIPTIONS.access_denied! : 'The user denied access to your application';
      return redirectError(res, redirectUri, state, 'access_denied', description);
    }
    if (form.get('username') !== this.options.user.username || form.get('password') !== this.options.user.password) {
      const params = new URLSearchParams([...form].filter(([name]) => !['username', 'password', 'decision'].includes(name)));
      return this.#authorizePage(params, res, 'Wrong username or password.');
    }
    const code = this.options.flavour === 'doorkeeper' ? randomBytes(32).toString('base64url') : randomBytes(20).toString('hex');
    const challenge = form.get('code_challenge');
    this.#codes.set(code, {
      clientId: form.get('client_id')!,
      redirectUri: form.get('redirect_uri'),
      challenge: challenge && (form.get('code_challenge_method') === 'plain' ? `plain:${challenge}` : challenge),
      scope: form.get('scope') ?? '',
      expiresAt: Date.now() + (this.options.flavour === 'doorkeeper' ? 600_000 : 30_000),
      used: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.href }).end();
  }

  // --- token endpoint -----------------------------------------------------------------------

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.tokenRequests += 1;
    const dk = this.options.flavour === 'doorkeeper';
    if (req.method !== 'POST') return this.#tokenError(res, 'invalid_request', 'The request method must be POST when requesting an access token', 405);
    const raw = (await readBody(req)) ?? '';
    const type = req.headers['content-type'] ?? '';
    const form = type.startsWith('application/json') ? new URLSearchParams(JSON.parse(raw || '{}') as Record<string, string>) : new URLSearchParams(raw);
    this.lastTokenRequest = { form, authorization: req.headers.authorization };
    const grant = form.get('grant_type') ?? '';
    this.counts.byGrant[grant] = (this.counts.byGrant[grant] ?? 0) + 1;
    const fault = this.#faults.shift();
    if (fault === 'status-500') return sendJson(res, 500, { error: 'server_error' });
    if (fault === 'status-429') return sendJson(res, 429, { error: 'rate_limited' }, { 'retry-after': '1' });
    if (fault === 'delay') await delay(this.options.faultDelayMs ?? 15_000);
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token": ');
      return;
    }
    const client = this.#clientAuthentication(req.headers.authorization, form);
    if (client === 'two-methods') return this.#tokenError(res, 'invalid_request', 'The request utilizes more than one mechanism for authenticating the client.');
    if (client !== 'ok') return this.#tokenError(res, 'invalid_client', dk ? DK_DESCRIPTIONS.invalid_client! : 'The client credentials are invalid');
    if (!grant) return this.#tokenError(res, 'invalid_request', dk ? 'Missing required parameter: grant_type.' : 'The grant type was not specified in the request');
    if (fault === 'invalid_grant') return this.#tokenError(res, 'invalid_grant', DK_DESCRIPTIONS.invalid_grant!);
    switch (grant) {
      case 'authorization_code':
        return this.#authorizationCodeGrant(form, res);
      case 'refresh_token':
        return this.#refreshGrant(form, res);
      case 'client_credentials':
        if (this.options.clientCredentials) return this.#issue(res, 'global_partner_api', false, this.options.clientCredentialsLifetimeSeconds);
        return this.#tokenError(res, 'unsupported_grant_type', DK_DESCRIPTIONS.unsupported_grant_type!);
      default:
        return this.#tokenError(res, 'unsupported_grant_type', dk ? DK_DESCRIPTIONS.unsupported_grant_type! : `Grant type "${grant}" not supported`);
    }
  }

  #clientAuthentication(authorization: string | undefined, form: URLSearchParams): 'ok' | 'bad' | 'two-methods' {
    const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
    if (basic && form.has('client_secret')) return 'two-methods';
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      // oauth2-server-php reads PHP_AUTH_USER/PW as sent; Doorkeeper form-decodes both parts.
      const part = (value: string) => (this.options.flavour === 'doorkeeper' ? decodeURIComponent(value.replace(/\+/g, ' ')) : value);
      id = part(decoded.slice(0, separator));
      secret = part(decoded.slice(separator + 1));
    }
    return id === this.options.clientId && secret === this.options.clientSecret ? 'ok' : 'bad';
  }

  #authorizationCodeGrant(form: URLSearchParams, res: ServerResponse): void {
    const dk = this.options.flavour === 'doorkeeper';
    const codeValue = form.get('code');
    if (!codeValue) return this.#tokenError(res, 'invalid_request', dk ? 'Missing required parameter: code.' : 'Missing parameter: "code" is required');
    const code = this.#codes.get(codeValue);
    if (!code || code.used || code.clientId !== this.options.clientId) {
      return this.#tokenError(res, 'invalid_grant', dk ? DK_DESCRIPTIONS.invalid_grant! : "Authorization code doesn't exist or is invalid for the client");
    }
    if (code.expiresAt < Date.now()) return this.#tokenError(res, 'invalid_grant', dk ? DK_DESCRIPTIONS.invalid_grant! : 'The authorization code has expired');
    const redirectUri = form.get('redirect_uri');
    if (dk && !redirectUri) return this.#tokenError(res, 'invalid_request', 'Missing required parameter: redirect_uri.');
    if ((dk || code.redirectUri !== null) && redirectUri !== code.redirectUri) {
      return dk ? this.#tokenError(res, 'invalid_grant', DK_DESCRIPTIONS.invalid_grant!) : this.#tokenError(res, 'redirect_uri_mismatch', 'The redirect URI is missing or do not match');
    }
    if (code.challenge) {
      const verifier = form.get('code_verifier');
      if (!verifier) return this.#tokenError(res, dk ? 'invalid_request' : 'code_verifier_missing', dk ? 'Missing required parameter: code_verifier.' : 'The PKCE code verifier parameter is required.');
      const expected = code.challenge.startsWith('plain:') ? code.challenge.slice(6) : createHash('sha256').update(verifier).digest('base64url');
      const presented = code.challenge.startsWith('plain:') ? verifier : code.challenge;
      if (expected !== presented) return this.#tokenError(res, dk ? 'invalid_grant' : 'code_verifier_mismatch', dk ? DK_DESCRIPTIONS.invalid_grant! : 'The PKCE code verifier parameter does not match the code challenge.');
    }
    code.used = true; // single use
    this.#issue(res, code.scope, true);
  }

  #refreshGrant(form: URLSearchParams, res: ServerResponse): void {
    const dk = this.options.flavour === 'doorkeeper';
    const presented = form.get('refresh_token');
    if (!presented) return this.#tokenError(res, 'invalid_request', dk ? 'Missing required parameter: refresh_token.' : 'Missing parameter: "refresh_token" is required');
    const stored = this.#refreshTokens.get(presented);
    if (!stored) return this.#tokenError(res, 'invalid_grant', dk ? DK_DESCRIPTIONS.invalid_grant! : 'Invalid refresh token');
    // Doorkeeper rotates and revokes the old one at once; oauth2-server-php follows its settings.
    const rotate = dk || this.options.alwaysIssueNewRefreshToken === true;
    if (dk || (this.options.unsetRefreshTokenAfterUse ?? true)) this.#refreshTokens.delete(presented);
    this.#issue(res, stored.scope, rotate);
  }

  #issue(res: ServerResponse, scope: string, withRefreshToken: boolean, lifetimeSeconds = this.options.accessTokenLifetimeSeconds): void {
    const dk = this.options.flavour === 'doorkeeper';
    const token = () => (dk ? randomBytes(32).toString('base64url') : randomBytes(20).toString('hex'));
    const accessToken = token();
    this.#accessTokens.set(accessToken, { expiresAt: Date.now() + lifetimeSeconds * 1000, scope });
    this.issuedTokens.push(accessToken);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: dk ? 'Bearer' : 'bearer', expires_in: lifetimeSeconds };
    if (withRefreshToken) {
      const refreshToken = token();
      this.#refreshTokens.set(refreshToken, { scope });
      this.issuedTokens.push(refreshToken);
      body.refresh_token = refreshToken;
    }
    if (scope) body.scope = scope;
    if (dk) body.created_at = Math.floor(Date.now() / 1000);
    sendJson(res, 200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
  }

  #tokenError(res: ServerResponse, error: string, description: string, status?: number): void {
    const dk = this.options.flavour === 'doorkeeper';
    const code = status ?? (dk && error === 'invalid_client' ? 401 : 400);
    const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (dk) headers['www-authenticate'] = `Bearer realm="Doorkeeper", error="${error}", error_description="${description.replace(/"/g, "'")}"`;
    sendJson(res, code, { error, error_description: description }, headers);
  }

  // --- protected resource -------------------------------------------------------------------

  #me(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const entry = token ? this.#accessTokens.get(token) : undefined;
    if (!entry || entry.expiresAt < Date.now()) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"' }).end();
      return;
    }
    const version = req.headers['accept-version'];
    if (this.options.apiVersion && version !== undefined && version !== this.options.apiVersion) {
      return sendJson(res, 406, { error: 'The requested version is not supported.' });
    }
    sendJson(res, 200, { provider: this.options.id, user: this.options.user.username, scope: entry.scope, acceptVersion: version ?? null });
  }
}

function redirectError(res: ServerResponse, redirectUri: string, state: string | null, error: string, description: string): void {
  const target = new URL(redirectUri);
  target.searchParams.set('error', error);
  target.searchParams.set('error_description', description);
  if (state !== null) target.searchParams.set('state', state);
  res.writeHead(302, { location: target.href }).end();
}

const esc = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function errorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>${esc(error)}</h1><p>${esc(description)}</p></body></html>`;
}
