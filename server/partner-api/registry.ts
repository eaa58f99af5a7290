/**
 * The partner API's operations, in one list: what the router serves and what the OpenAPI document
 * describes. Adding an operation here is the only way to add one.
 */
import * as v from 'valibot';
import type { AssessmentApi } from '../assessment/assessment-api.js';
import type { ResultUpdates } from '../assessment/result-updates.js';
import type { SmartRecruitersReads } from '../assessment/sr-reads.js';
import type { ConnectionsApi } from '../connections/connections-api.js';
import type { IntegrationsApi } from '../integrations/integrations-api.js';
import type { Logger } from '../log.js';
import type { ConfiguredProvider } from '../providers/oauth-providers.js';
import type { Store } from '../store/store.js';
import { defineOperation, type PartnerOperation } from './operation.js';
import { buildOpenApiDocument } from './openapi.js';
import { connectionProxyOperations } from './operations/connection-proxy.js';
import { connectionOperations } from './operations/connections.js';
import { eventOperations } from './operations/events.js';
import { integrationOperations } from './operations/integrations.js';
import { orderReadOperations } from './operations/order-reads.js';
import { orderOperations } from './operations/orders.js';
import { packageOperations } from './operations/packages.js';
import { resultOperations } from './operations/results.js';

export interface PartnerApiDeps {
  store: Store;
  integrations: IntegrationsApi;
  connections: ConnectionsApi;
  providers: ReadonlyMap<string, ConfiguredProvider>;
  logger: Logger;
  /** The connection proxy's deadline per call (the kit's outbound timeout). */
  proxyTimeoutMs: number;
  now: () => number;
  /** Absolute URL of `<prefix>/partner/v1` (the document's server). */
  serverUrl: string;
  version: string;
  /** The Assessment product's operations (packages, orders, results, SR reads); null on a General Partner kit, which has none. */
  assessment: { api: AssessmentApi; results: ResultUpdates; reads: SmartRecruitersReads; maxAttachmentBytes: number; basePath: string } | null;
}

export function partnerOperations(deps: PartnerApiDeps): PartnerOperation[] {
  const operations: PartnerOperation[] = [
    ...integrationOperations(deps),
    ...connectionOperations(deps),
    ...connectionProxyOperations({ ...deps, timeoutMs: deps.proxyTimeoutMs }),
    ...eventOperations(deps),
  ];
  if (deps.assessment) {
    const { api, results, reads, maxAttachmentBytes, basePath } = deps.assessment;
    operations.push(
      ...packageOperations(deps),
      ...orderOperations({ store: deps.store, assessment: api }),
      ...resultOperations({ store: deps.store, assessment: api, results, maxAttachmentBytes, basePath }),
      ...orderReadOperations({ store: deps.store, assessment: api, reads }),
    );
  }
  let document: Record<string, unknown> | undefined;
  operations.push(
    defineOperation({
      id: 'getOpenApiDocument',
      method: 'get',
      path: '/openapi.json',
      tag: 'meta',
      summary: 'This OpenAPI 3.1 document',
      description: 'Generated from the operations this server runs. No key needed.',
      scopes: null,
      responses: { 200: { description: 'The OpenAPI document.', schema: v.pipe(v.record(v.string(), v.unknown()), v.title('OpenAPI document')) } },
      problems: [],
      async handle() {
        // Built once, on first use: every operation (this one included) is registered by then.
        document ??= buildOpenApiDocument(operations, { serverUrl: deps.serverUrl, version: deps.version });
        return { status: 200, body: document };
      },
    }),
  );
  return operations;
}
