/**
 * Provider connections (issue 14 item 2): `kit.connections` over HTTP — list, get, disconnect.
 * An answer never carries a token: the summary is `ConnectionSummary` (which has none), dates as
 * ISO strings. A tenant-restricted key sees only its tenant's connections; another tenant's answers
 * 404 exactly like an id never issued (no existence oracle), for the proxy too (see
 * `visibleConnection`).
 */
import * as v from 'valibot';
import type { ApiKeySummary } from '../../api-keys/api-keys.js';
import { summarizeConnection, type ConnectionsApi, type ConnectionSummary } from '../../connections/connections-api.js';
import type { ConfiguredProvider } from '../../providers/oauth-providers.js';
import type { ConnectionRow, Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { cursorSchema, decodeCursor, encodeCursor, limitSchema } from '../pagination.js';
import { ProblemError } from '../problem.js';

export interface ConnectionOperationDeps {
  store: Store;
  connections: ConnectionsApi;
  providers: ReadonlyMap<string, ConfiguredProvider>;
}

const isoDate = v.pipe(v.string(), v.isoTimestamp());
const STATUSES = ['connected', 'needs_reconnect', 'disconnected'] as const;

export const ConnectionSchema = v.pipe(
  v.strictObject({
    id: v.string(),
    provider: v.pipe(v.string(), v.description('The provider id: te-recruit, careerplug, total-expert or one you configured.')),
    providerName: v.string(),
    tenantId: v.string(),
    userId: v.pipe(v.string(), v.description('The user of yours who connected.')),
    grantType: v.picklist(['authorization_code', 'client_credentials']),
    status: v.pipe(v.picklist(STATUSES), v.description('needs_reconnect: the provider refused the refresh token; the user must connect again.')),
    scope: v.nullable(v.string()),
    expiresAt: v.pipe(v.nullable(isoDate), v.description('When the current access token expires; the kit refreshes it before. Null: no expiry given.')),
    lastError: v.nullable(v.string()),
    createdAt: isoDate,
    updatedAt: isoDate,
  }),
  v.title('Connection'),
);

/** Connection ids are the kit's random base64url ids. */
export const connectionIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/), v.description('The connection id.'));
const idParams = v.strictObject({ id: connectionIdSchema });
const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ownerField = (what: string) => v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.description(what)));

function toJson(summary: ConnectionSummary): v.InferOutput<typeof ConnectionSchema> {
  return {
    ...summary,
    expiresAt: summary.expiresAt?.toISOString() ?? null,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
  };
}

export const connectionNotFound = () => new ProblemError('not-found', 'There is no such connection.');

/** The connection as this key may see it, or 404 (another tenant's looks exactly like none). */
export async function visibleConnection(store: Store, key: ApiKeySummary | null, id: string): Promise<ConnectionRow> {
  const row = await store.connections.find(id);
  if (!row || (key?.tenantId != null && row.tenant_id !== key.tenantId)) throw connectionNotFound();
  return row;
}

export function connectionOperations({ store, connections, providers }: ConnectionOperationDeps): PartnerOperation[] {
  return [
    defineOperation({
      id: 'listConnections',
      method: 'get',
      path: '/connections',
      tag: 'connections',
      summary: 'List provider connections',
      description: "In id order, a page at a time, filtered by any of provider, tenant, user and status. A tenant-restricted key lists only its tenant's (a `tenantId` of another tenant lists nothing).",
      scopes: ['read'],
      query: v.strictObject({
        provider: v.optional(v.pipe(v.string(), v.regex(PROVIDER_ID), v.description('Only this provider\'s connections.'))),
        tenantId: ownerField("Only this tenant's connections."),
        userId: ownerField("Only this user's connections (your user id)."),
        status: v.optional(v.pipe(v.picklist(STATUSES), v.description('Only connections in this status.'))),
        limit: limitSchema,
        cursor: cursorSchema,
      }),
      responses: {
        200: {
          description: 'A page of connections.',
          schema: v.strictObject({
            data: v.array(ConnectionSchema),
            next_cursor: v.pipe(v.nullable(v.string()), v.description('Pass as `cursor` for the next page; null on the last page.')),
          }),
        },
      },
      problems: ['invalid-cursor'],
      async handle({ query, key }) {
        const restricted = key?.tenantId ?? undefined;
        if (restricted !== undefined && query.tenantId !== undefined && query.tenantId !== restricted) return { status: 200, body: { data: [], next_cursor: null } };
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const tenantId = restricted ?? query.tenantId;
        const rows = await store.connections.page({
          ...(after !== undefined ? { afterId: after } : {}),
          ...(tenantId !== undefined ? { tenantId } : {}),
          ...(query.userId !== undefined ? { userId: query.userId } : {}),
          ...(query.provider !== undefined ? { provider: query.provider } : {}),
          ...(query.status !== undefined ? { status: query.status } : {}),
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const more = rows.length > query.limit;
        return {
          status: 200,
          body: { data: page.map((row) => toJson(summarizeConnection(row, providers))), next_cursor: more ? encodeCursor(page[page.length - 1]!.id) : null },
        };
      },
    }),
    defineOperation({
      id: 'getConnection',
      method: 'get',
      path: '/connections/{id}',
      tag: 'connections',
      summary: 'One provider connection',
      scopes: ['read'],
      params: idParams,
      responses: { 200: { description: 'The connection (never its tokens).', schema: ConnectionSchema } },
      problems: ['not-found'],
      async handle({ params, key }) {
        return { status: 200, body: toJson(summarizeConnection(await visibleConnection(store, key, params.id), providers)) };
      },
    }),
    defineOperation({
      id: 'disconnectConnection',
      method: 'delete',
      path: '/connections/{id}',
      tag: 'connections',
      summary: 'Disconnect: forget the connection\'s tokens',
      description:
        'The kit deletes the tokens it holds and announces `connection.disconnected`; the connection stays listed as `disconnected`, and its user can connect again under the same id. Repeating it changes nothing (`changed: false`). The provider is not told: revoke the app there too if you must.',
      scopes: ['write'],
      params: idParams,
      responses: {
        200: {
          description: 'The connection, disconnected.',
          schema: v.strictObject({ connection: ConnectionSchema, changed: v.pipe(v.boolean(), v.description('False when it was already disconnected.')) }),
        },
      },
      problems: ['not-found'],
      async handle({ params, key }) {
        await visibleConnection(store, key, params.id);
        const changed = await connections.disconnect(params.id);
        return { status: 200, body: { connection: toJson((await connections.get(params.id))!), changed } };
      },
    }),
  ];
}
