/**
 * `ANY /connections/{id}/proxy/{path}` (issue 14 item 2): the partner's backend calls a connected
 * provider's API (TE Recruit, CareerPlug, Total Expert, any configured provider) with the token the
 * kit keeps fresh, and never sees the token. The request goes to the provider's configured API base
 * plus the path (proxy/proxy-path.ts), with an allow-list of the caller's headers
 * (proxy/proxy-headers.ts), under a deadline, retried only where safe (proxy/upstream-call.ts);
 * the provider's answer comes back as it is, marked `X-Ats-Proxied: 1`.
 *
 * One operation per method (GET — which also answers HEAD, RFC 9110 §9.3.2 —, POST, PUT, PATCH,
 * DELETE) on the same path and handler, so the OpenAPI document describes each and a generated
 * client has a method for each.
 */
import * as v from 'valibot';
import type { ApiKeySummary } from '../../api-keys/api-keys.js';
import type { ConnectionsApi } from '../../connections/connections-api.js';
import type { Logger } from '../../log.js';
import type { ConfiguredProvider } from '../../providers/oauth-providers.js';
import type { Store } from '../../store/store.js';
import { defineOperation, type HttpMethod, type OperationResult, type PartnerOperation, type RawRequest } from '../operation.js';
import { ProblemError } from '../problem.js';
import { forwardedRequestHeaders, hasIdempotencyKey, passedBackHeaders } from '../proxy/proxy-headers.js';
import { MAX_PROXY_PATH_LENGTH, upstreamPath } from '../proxy/proxy-path.js';
import { callUpstream } from '../proxy/upstream-call.js';
import { connectionIdSchema, visibleConnection } from './connections.js';

/** Largest request body passed on (a larger one: 413 before it is read). */
export const PROXY_MAX_REQUEST_BYTES = 1024 * 1024;
/** Largest provider answer passed back (a larger one: 502 provider-response-too-large). */
export const PROXY_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface ProxyOperationDeps {
  store: Store;
  connections: ConnectionsApi;
  providers: ReadonlyMap<string, ConfiguredProvider>;
  logger: Logger;
  /** The whole call's deadline, refresh and replay included. */
  timeoutMs: number;
}

const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

const params = v.strictObject({
  id: connectionIdSchema,
  path: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(MAX_PROXY_PATH_LENGTH),
    v.description(
      "The provider API path, relative to the provider's API base (`people/search`, not `/public/v1/people/search`), slashes included and sent as `/`: most generated clients percent-encode path parameters, and an encoded `/` (`%2F`) is refused, so append it to the URL yourself. Refused (400): an absolute URL, an empty segment (`//`), `.` or `..` segments, percent-encoded `.`, `/`, `\\`, `%` or control characters, backslashes. The query string is passed on as sent.",
    ),
  ),
});

const description = (method: string) =>
  `Calls ${method} <the provider's API base>/<path>?<query> with the connection's access token (refreshed ahead of expiry; on a 401 from the provider refreshed once and the request sent again). Only the provider's API base configured for the connection's provider is ever called: no header, path or query can name another host. Headers passed on: Accept, Accept-Language, Content-Type, Content-Language, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Idempotency-Key; never your Authorization or Cookie. ${
    method === 'GET'
      ? 'GET (and HEAD, answered by this operation) is retried once after a transport failure or a 502/503/504.'
      : `${method} is sent once: it is retried once after a transport failure or a 502/503/504 only when you send an Idempotency-Key (the provider may then see it twice). Body: up to ${PROXY_MAX_REQUEST_BYTES} bytes, passed on as sent.`
  } Deadline: the kit's outbound timeout (504 provider-timeout). The provider's answer (any status, at most ${PROXY_MAX_RESPONSE_BYTES} bytes) comes back unchanged with \`X-Ats-Proxied: 1\`; an answer without that header is the kit's own problem. Redirects are never followed nor passed on (502 provider-redirect), but 304 is passed on.`;

export function connectionProxyOperations(deps: ProxyOperationDeps): PartnerOperation[] {
  return METHODS.map((method) =>
    defineOperation({
      id: `proxyConnection${method[0]!.toUpperCase()}${method.slice(1)}`,
      method,
      path: '/connections/{id}/proxy/{path}',
      tag: 'proxy',
      summary: `${method.toUpperCase()} on the connected provider's API, with the connection's token`,
      description: description(method.toUpperCase()),
      scopes: ['proxy'],
      params,
      responses: {},
      passthrough: {
        rest: 'path',
        maxBodyBytes: PROXY_MAX_REQUEST_BYTES,
        acceptsBody: method !== 'get',
        answers: {
          description: "The provider's answer, passed through: its status, its body and a safe set of its headers (Content-Type, Content-Language, Content-Disposition, Cache-Control, ETag, Last-Modified, Expires, Retry-After, rate-limit headers).",
          headers: { 'X-Ats-Proxied': { description: "Always `1`: this answer is the provider's, not the kit's.", schema: { type: 'string', const: '1' } } },
        },
      },
      problems: [
        'not-found',
        'needs-reconnect',
        ...(method === 'get' ? [] : (['payload-too-large'] as const)),
        'provider-api-not-configured',
        'provider-unavailable',
        'provider-redirect',
        'provider-response-too-large',
        'provider-timeout',
      ],
      handle: (input) => proxy(deps, input.params.id, input.raw!, input.key, input.requestId),
    }),
  );
}

async function proxy(deps: ProxyOperationDeps, connectionId: string, raw: RawRequest, key: ApiKeySummary | null, requestId: string): Promise<OperationResult> {
  const row = await visibleConnection(deps.store, key, connectionId);
  const provider = deps.providers.get(row.provider);
  if (!provider) throw new ProblemError('provider-api-not-configured', `The provider "${row.provider}" of this connection is no longer configured (providers.${row.provider}).`);
  if (!provider.apiBaseUrl) {
    throw new ProblemError('provider-api-not-configured', `No API base URL is configured for the provider "${row.provider}": set providers.${row.provider}.apiBaseUrl (ATS_PROVIDER_<ID>_API_BASE_URL).`);
  }
  const path = upstreamPath(provider.apiBaseUrl, raw.rest, raw.query);
  const headers = forwardedRequestHeaders(raw.headers);
  const started = Date.now();
  const answer = await callUpstream(
    {
      connectionId,
      providerName: provider.displayName,
      method: raw.method,
      path,
      headers,
      body: raw.body,
      // RFC 9110 §9.2.1: GET and HEAD are safe; anything else only with the caller's Idempotency-Key.
      repeatable: raw.method === 'GET' || raw.method === 'HEAD' || hasIdempotencyKey(raw.headers),
    },
    { connections: deps.connections, timeoutMs: deps.timeoutMs, maxResponseBytes: PROXY_MAX_RESPONSE_BYTES },
  );
  // No path or query (they may hold a candidate's data), no header, no token.
  deps.logger.info(
    { requestId, connectionId, provider: row.provider, method: raw.method, upstreamStatus: answer.status, attempts: answer.attempts, ms: Date.now() - started },
    'partner API proxy call',
  );
  return { status: answer.status, headers: passedBackHeaders(answer.headers), body: answer.body };
}

