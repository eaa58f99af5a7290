/**
 * `kit.connections`: the partner's programmatic view of provider connections.
 */
import type { ConnectionStatus } from '../store/schema.js';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser } from '../config.js';
import type { Cipher } from '../crypto/cipher.js';
import { randomId } from '../crypto/secrets.js';
import { AtsServerError } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import { clientCredentialsTokens } from '../oauth/authorization-code.js';
import type { ConfiguredProvider } from '../providers/oauth-providers.js';
import type { ConnectionRow, Store } from '../store/store.js';
import { encryptTokens, type ConnectionTokens } from './connection-tokens.js';

/** A connection as the partner's code and the widget see it: no tokens. */
export interface ConnectionSummary {
  id: string;
  provider: string;
  providerName: string;
  tenantId: string;
  userId: string;
  grantType: 'authorization_code' | 'client_credentials';
  status: ConnectionStatus;
  scope: string | null;
  expiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectionsApi {
  /** The providers configured, for a UI to offer. */
  providers(): Array<{ id: string; displayName: string }>;
  list(owner: { tenantId: string; id: string }): Promise<ConnectionSummary[]>;
  get(connectionId: string): Promise<ConnectionSummary | undefined>;
  /** A fresh access token (refreshed ahead of expiry, one refresh at a time across instances). */
  getAccessToken(connectionId: string): Promise<string>;
  /** Calls the provider's API (`apiBaseUrl` + path) with the token and the provider's API headers; refreshes once on a 401. */
  fetch(connectionId: string, path: string, init?: RequestInit): Promise<Response>;
  /** Connects with the provider's client credentials grant (CareerPlug's partner variant). */
  connectWithClientCredentials(providerId: string, owner: AuthenticatedUser): Promise<ConnectionSummary>;
  /** Forgets the tokens; the connection can be reconnected later under the same id. */
  disconnect(connectionId: string): Promise<boolean>;
}

export interface ConnectionsApiDeps {
  store: Store;
  cipher: Cipher;
  events: KitEvents;
  providers: Map<string, ConfiguredProvider>;
  tokens: ConnectionTokens;
  timeoutMs: number;
  now: () => number;
}

export function connectionsApi(deps: ConnectionsApiDeps): ConnectionsApi {
  const { store, providers, tokens, events, now } = deps;
  const summarize = (row: ConnectionRow) => summarizeConnection(row, providers);
  const api: ConnectionsApi = {
    providers: () => [...providers.values()].map(({ id, displayName }) => ({ id, displayName })),
    list: async (owner) => (await store.connections.listFor(owner.tenantId, owner.id)).map(summarize),
    get: async (connectionId) => {
      const row = await store.connections.find(connectionId);
      return row && summarize(row);
    },
    getAccessToken: (connectionId) => tokens.getAccessToken(connectionId),
    async fetch(connectionId, path, init = {}) {
      const row = await store.connections.find(connectionId);
      const provider = row && providers.get(row.provider);
      if (!provider?.apiBaseUrl) throw new AtsServerError(404, AtsErrorCode.NotFound, 'This connection has no API base URL configured.');
      const url = new URL(provider.apiBaseUrl.replace(/\/$/, '') + '/' + path.replace(/^\//, ''));
      const call = async (token: string) =>
        fetch(url, {
          ...init,
          redirect: 'manual',
          signal: init.signal ?? AbortSignal.timeout(deps.timeoutMs),
          headers: { ...provider.apiHeaders, ...Object.fromEntries(new Headers(init.headers)), authorization: `Bearer ${token}` },
        });
      const token = await tokens.getAccessToken(connectionId);
      const response = await call(token);
      if (response.status !== 401) return response;
      // RFC 6750 §3.1 invalid_token: the token died early; refresh once and replay once (T32).
      await response.body?.cancel().catch(() => undefined); // not read: nothing to buffer (T37)
      await tokens.invalidate(connectionId, token);
      return call(await tokens.getAccessToken(connectionId));
    },
    async connectWithClientCredentials(providerId, owner) {
      const provider = providers.get(providerId);
      if (!provider?.clientCredentials) throw new AtsServerError(400, AtsErrorCode.InvalidInput, `${providerId} does not offer the client credentials grant.`);
      const id = randomId();
      const issued = encryptTokens(deps.cipher, id, await clientCredentialsTokens(provider, deps.timeoutMs), now());
      const row = { id, provider: providerId, tenant_id: owner.tenantId, user_id: owner.id };
      const connected = events.createForConnection('connection.connected', row);
      await store.connections.create(
        { ...row, grant_type: 'client_credentials', status: 'connected', access_token: issued.accessToken, refresh_token: null, scope: issued.scope, expires_at: issued.expiresAt, service_provider: null },
        now(),
        connected.outbox,
      );
      events.publish(connected.event);
      return (await api.get(id))!;
    },
    async disconnect(connectionId) {
      const row = await store.connections.find(connectionId);
      if (!row) return false;
      const { event, outbox } = events.createForConnection('connection.disconnected', row);
      const changed = await store.connections.disconnect(connectionId, now(), outbox);
      if (changed) events.publish(event);
      return changed;
    },
  };
  return api;
}

/** A stored connection without its tokens; the provider's display name from configuration (its id when no longer configured). */
export function summarizeConnection(row: ConnectionRow, providers: ReadonlyMap<string, ConfiguredProvider>): ConnectionSummary {
  return {
    id: row.id,
    provider: row.provider,
    providerName: providers.get(row.provider)?.displayName ?? row.provider,
    tenantId: row.tenant_id,
    userId: row.user_id,
    grantType: row.grant_type,
    status: row.status,
    scope: row.scope,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
