/**
 * Starting and completing an authorization-code connection (RFC 6749 §4.1; RFC 9700 §2.1, §4.4,
 * §4.5, §4.7; reference/security.md T26–T29):
 *
 * - `state` is 256 random bits, stored only as a hash, single use, valid `connections.flowTtlSeconds`
 *   (10 minutes), bound to the provider, the user and the tenant that started it; the PKCE
 *   verifier (RFC 7636) is stored encrypted beside it.
 * - One redirect URI per provider (`<prefix>/connect/<provider>/callback`), so a response for
 *   provider P arriving at Q's callback is refused (mix-up, T28).
 * - The callback checks `state` before anything else (before showing any `error=`), then that the
 *   browser is signed in as the user who started; only then is the code exchanged, at once.
 * - A start (reached only through the same-origin, CSRF-checked POST) may reconnect only the
 *   user's own connection and name only an allowed `serviceProvider`; starts are limited per user,
 *   and each one purges flows that expired more than `FLOW_RETENTION_MS` ago.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser } from '../config.js';
import type { Cipher } from '../crypto/cipher.js';
import { SecretHasher, randomId, randomSecret } from '../crypto/secrets.js';
import { AtsServerError } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import { AuthorizationDenied, InvalidGrantError, buildAuthorizationUrl, exchangeCode } from '../oauth/authorization-code.js';
import { OutboundError } from '../oauth/outbound.js';
import * as oauth from 'oauth4webapi';
import type { ConfiguredProvider } from '../providers/oauth-providers.js';
import type { RateLimit } from '../security/rate-limit.js';
import type { FlowRow, Store } from '../store/store.js';
import { encryptTokens } from './connection-tokens.js';

export interface FlowDeps {
  store: Store;
  cipher: Cipher;
  hasher: SecretHasher;
  events: KitEvents;
  providers: Map<string, ConfiguredProvider>;
  redirectUri: (providerId: string) => string;
  flowTtlMs: number;
  /** Connection starts per user (tenant and id). */
  startLimit: RateLimit;
  timeoutMs: number;
  now: () => number;
}

/**
 * How long a flow row outlives its expiry before a start purges it: the widget may still ask how a
 * finished flow ended (it polls every second) after the state itself has expired.
 */
export const FLOW_RETENTION_MS = 60 * 60_000;

export interface StartRequest {
  flowId: string;
  mode: 'popup' | 'page';
  returnTo: string | null;
  connectionId: string | null;
  serviceProvider: string | null;
}

export interface FlowResult {
  flow: FlowRow;
  outcome: 'connected' | 'denied' | 'failed';
  connectionId: string | null;
  /** What the user reads when it did not work (text only, never markup). */
  message: string | null;
}

const flowBinding = (stateHash: string) => `oauth_flows/${stateHash}/code_verifier`;

export class ConnectionFlows {
  constructor(private readonly deps: FlowDeps) {}

  provider(id: string): ConfiguredProvider {
    const provider = this.deps.providers.get(id);
    if (!provider) throw new AtsServerError(404, AtsErrorCode.NotFound, 'This provider is not configured.');
    return provider;
  }

  /**
   * Creates the flow and returns the provider's authorization URL. Refuses (and creates nothing) an
   * unknown provider (404), a `serviceProvider` the provider does not allow (400), a connection that
   * is not the user's for this provider (404), and a user over the start limit (429).
   */
  async start(providerId: string, user: AuthenticatedUser, request: StartRequest): Promise<URL> {
    const provider = this.provider(providerId);
    const { store, hasher, cipher, now } = this.deps;
    if (request.serviceProvider !== null && !provider.serviceProviders.includes(request.serviceProvider)) {
      throw new AtsServerError(400, AtsErrorCode.InvalidInput, `This SSO name is not configured for ${provider.displayName}.`);
    }
    if (request.connectionId) {
      const existing = await store.connections.find(request.connectionId);
      if (!existing || existing.user_id !== user.id || existing.tenant_id !== user.tenantId || existing.provider !== providerId) {
        throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is no such connection to reconnect.');
      }
    }
    // Counted last, synchronously: only starts that create a flow count, and parallel ones cannot all pass.
    const wait = this.deps.startLimit.take(JSON.stringify([user.tenantId, user.id]));
    if (wait > 0) {
      throw new AtsServerError(429, AtsErrorCode.ConnectStartThrottled, `Too many connection attempts. Try again in ${wait} seconds.`, {
        headers: { 'retry-after': String(wait) },
      });
    }
    const state = randomSecret();
    const stateHash = hasher.hash(state);
    const codeVerifier = provider.pkce ? oauth.generateRandomCodeVerifier() : null;
    const redirectUri = this.deps.redirectUri(providerId);
    const serviceProvider = request.serviceProvider ?? provider.serviceProvider ?? null;
    await store.flows.purgeExpired(now() - FLOW_RETENTION_MS);
    await store.flows.create({
      state_hash: stateHash,
      flow_id: request.flowId,
      provider: providerId,
      tenant_id: user.tenantId,
      user_id: user.id,
      connection_id: request.connectionId,
      code_verifier: codeVerifier && cipher.encrypt(codeVerifier, flowBinding(stateHash)),
      redirect_uri: redirectUri,
      mode: request.mode,
      return_to: request.returnTo,
      service_provider: serviceProvider,
      created_at: now(),
      expires_at: now() + this.deps.flowTtlMs,
    });
    return buildAuthorizationUrl(provider, { redirectUri, state, codeVerifier, serviceProvider });
  }

  /**
   * Completes the flow whose `state` the callback carries. Throws (400/403) when no valid flow
   * matches: then nothing was sent to the provider. Otherwise returns how it ended.
   */
  async complete(providerId: string, query: URLSearchParams, user: AuthenticatedUser | null): Promise<FlowResult> {
    const { store, hasher, cipher, now } = this.deps;
    const states = query.getAll('state');
    if (states.length !== 1 || !states[0]) throw badCallback('The sign-in response is missing its state, or carries it twice.');
    for (const name of ['code', 'error', 'iss']) {
      if (query.getAll(name).length > 1) throw badCallback('The sign-in response repeats a parameter.');
    }
    const state = states[0];
    const flow = await store.flows.consume(hasher.hash(state), now());
    if (!flow) throw badCallback('This sign-in response is unknown, expired or was already used. Start the connection again.');
    if (flow.provider !== providerId) {
      await store.flows.finish(flow.state_hash, 'failed', 'provider mismatch', null);
      throw badCallback('This sign-in response belongs to another provider.');
    }
    if (!user || user.id !== flow.user_id || user.tenantId !== flow.tenant_id) {
      await store.flows.finish(flow.state_hash, 'failed', 'user mismatch', null);
      throw new AtsServerError(403, AtsErrorCode.SignInRequired, 'Sign in as the user who started this connection, then try again.');
    }
    const provider = this.provider(providerId);
    const codeVerifier = flow.code_verifier && cipher.decrypt(flow.code_verifier, flowBinding(flow.state_hash));
    let result: FlowResult;
    try {
      const tokens = await exchangeCode(provider, query, { state, redirectUri: flow.redirect_uri, codeVerifier }, this.deps.timeoutMs);
      const connectionId = await this.#save(flow, tokens);
      result = { flow, outcome: 'connected', connectionId, message: null };
    } catch (error) {
      result = { flow, outcome: error instanceof AuthorizationDenied && error.error === 'access_denied' ? 'denied' : 'failed', connectionId: null, message: failureMessage(provider, error) };
    }
    await store.flows.finish(flow.state_hash, result.outcome, result.message, result.connectionId);
    return result;
  }

  async #save(flow: FlowRow, tokens: Awaited<ReturnType<typeof exchangeCode>>): Promise<string> {
    const { store, cipher, events, now } = this.deps;
    const id = flow.connection_id ?? randomId();
    const stored = encryptTokens(cipher, id, tokens, now());
    const owner = { id, provider: flow.provider, tenant_id: flow.tenant_id, user_id: flow.user_id };
    const connected = events.createForConnection('connection.connected', owner);
    if (flow.connection_id) {
      await store.connections.reconnect(id, stored, now(), connected.outbox);
    } else {
      await store.connections.create(
        {
          ...owner,
          grant_type: 'authorization_code',
          status: 'connected',
          access_token: stored.accessToken,
          refresh_token: stored.refreshToken ?? null,
          scope: stored.scope,
          expires_at: stored.expiresAt,
          service_provider: flow.service_provider,
        },
        now(),
        connected.outbox,
      );
    }
    events.publish(connected.event);
    return id;
  }
}

const badCallback = (description: string) => new AtsServerError(400, AtsErrorCode.InvalidInput, description);

function failureMessage(provider: ConfiguredProvider, error: unknown): string {
  if (error instanceof AuthorizationDenied) {
    return error.error === 'access_denied'
      ? `You did not allow access in ${provider.displayName}. Nothing was connected.`
      : `${provider.displayName} refused the request (${error.error}). Try again, or contact support.`;
  }
  if (error instanceof InvalidGrantError) return `${provider.displayName} did not accept the sign-in code (it may have expired). Try again.`;
  if (error instanceof OutboundError) return `${provider.displayName} could not be reached or answered unexpectedly. Try again in a moment.`;
  return `Connecting ${provider.displayName} failed. Try again, or contact support.`;
}
