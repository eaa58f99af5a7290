/**
 * Integrations (issue 14 item 2): the programmatic API's `kit.integrations` operations over HTTP.
 * No answer carries a secret: the summary is `IntegrationSummary` (which has none) with dates as
 * ISO strings. A tenant-restricted key sees only its tenant's integrations; another tenant's
 * company answers 404 exactly like a company that does not exist (no existence oracle).
 */
import * as v from 'valibot';
import { COMPANY_ID_PATTERN } from '../../../widget/protocol/http.js';
import type { ApiKeySummary } from '../../api-keys/api-keys.js';
import { summarizeIntegration, type IntegrationsApi, type IntegrationSummary } from '../../integrations/integrations-api.js';
import type { Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { cursorSchema, decodeCursor, encodeCursor, limitSchema } from '../pagination.js';
import { ProblemError } from '../problem.js';

export interface IntegrationOperationDeps {
  store: Store;
  integrations: IntegrationsApi;
}

const isoDate = v.pipe(v.string(), v.isoTimestamp());

export const IntegrationSchema = v.pipe(
  v.strictObject({
    companyId: v.string(),
    tenantId: v.string(),
    approvedBy: v.pipe(v.string(), v.description('The user of yours who approved the consent.')),
    state: v.picklist(['pending', 'active', 'failed', 'disabled']),
    issuedClientId: v.pipe(v.string(), v.description('The customer-level client id the kit issued to SmartRecruiters (not a secret).')),
    srIntegrationId: v.nullable(v.string()),
    lastError: v.nullable(v.string()),
    rotationPending: v.boolean(),
    createdAt: isoDate,
    updatedAt: isoDate,
    disabledAt: v.nullable(isoDate),
  }),
  v.title('Integration'),
);

const companyParams = v.strictObject({
  companyId: v.pipe(v.string(), v.regex(COMPANY_ID_PATTERN), v.description("SmartRecruiters' company id.")),
});

function toJson(summary: IntegrationSummary): v.InferOutput<typeof IntegrationSchema> {
  return {
    ...summary,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
    disabledAt: summary.disabledAt?.toISOString() ?? null,
  };
}

const notFound = () => new ProblemError('not-found', 'There is no integration for this company.');

/** The company's integration as this key may see it, or 404. */
async function visible(integrations: IntegrationsApi, key: ApiKeySummary | null, companyId: string): Promise<IntegrationSummary> {
  const summary = await integrations.get(companyId);
  if (!summary || (key?.tenantId != null && summary.tenantId !== key.tenantId)) throw notFound();
  return summary;
}

export function integrationOperations({ store, integrations }: IntegrationOperationDeps): PartnerOperation[] {
  return [
    defineOperation({
      id: 'listIntegrations',
      method: 'get',
      path: '/integrations',
      tag: 'integrations',
      summary: 'List SmartRecruiters integrations',
      description: "In company id order, a page at a time. A tenant-restricted key lists only its tenant's.",
      scopes: ['read'],
      query: v.strictObject({ limit: limitSchema, cursor: cursorSchema }),
      responses: {
        200: {
          description: 'A page of integrations.',
          schema: v.strictObject({
            data: v.array(IntegrationSchema),
            next_cursor: v.pipe(v.nullable(v.string()), v.description('Pass as `cursor` for the next page; null on the last page.')),
          }),
        },
      },
      problems: ['invalid-cursor'],
      async handle({ query, key }) {
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const rows = await store.integrations.page({
          ...(after !== undefined ? { afterCompanyId: after } : {}),
          ...(key?.tenantId != null ? { tenantId: key.tenantId } : {}),
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const summaries = page.map(summarizeIntegration);
        const more = rows.length > query.limit;
        return { status: 200, body: { data: summaries.map(toJson), next_cursor: more ? encodeCursor(page[page.length - 1]!.company_id) : null } };
      },
    }),
    defineOperation({
      id: 'getIntegration',
      method: 'get',
      path: '/integrations/{companyId}',
      tag: 'integrations',
      summary: "One company's integration",
      scopes: ['read'],
      params: companyParams,
      responses: { 200: { description: 'The integration.', schema: IntegrationSchema } },
      problems: ['not-found'],
      async handle({ params, key }) {
        return { status: 200, body: toJson(await visible(integrations, key, params.companyId)) };
      },
    }),
    defineOperation({
      id: 'disableIntegration',
      method: 'post',
      path: '/integrations/{companyId}/disable',
      tag: 'integrations',
      summary: 'Disable an integration from your side',
      description:
        'Revokes the credentials the kit issued to SmartRecruiters for this company and every token it holds. Repeating it changes nothing (`changed: false`).',
      scopes: ['write'],
      params: companyParams,
      responses: {
        200: {
          description: 'The integration, disabled.',
          schema: v.strictObject({ integration: IntegrationSchema, changed: v.pipe(v.boolean(), v.description('False when it was already disabled.')) }),
        },
      },
      problems: ['not-found'],
      async handle({ params, key }) {
        await visible(integrations, key, params.companyId);
        const changed = await integrations.disable(params.companyId, { actor: key ? `api-key:${key.id}` : 'partner' });
        return { status: 200, body: { integration: toJson((await integrations.get(params.companyId))!), changed } };
      },
    }),
    defineOperation({
      id: 'rotateIntegrationCredentials',
      method: 'post',
      path: '/integrations/{companyId}/rotate-credentials',
      tag: 'integrations',
      summary: 'Rotate the client secret issued to SmartRecruiters',
      description:
        'Sends SmartRecruiters a new secret for the client id the kit issued; the old one keeps working until SmartRecruiters uses the new one, then for the rotation grace period. Answers 409 not-active for an integration that is not active, and for the Assessment product (SmartRecruiters offers no way to replace its credentials there).',
      scopes: ['write'],
      params: companyParams,
      responses: { 200: { description: 'Rotated: the integration as it now is.', schema: v.strictObject({ integration: IntegrationSchema }) } },
      problems: ['not-found', 'not-active', 'upstream-error', 'upstream-unavailable', 'upstream-timeout'],
      async handle({ params, key }) {
        await visible(integrations, key, params.companyId);
        await integrations.rotateCredentials(params.companyId);
        return { status: 200, body: { integration: toJson((await integrations.get(params.companyId))!) } };
      },
    }),
  ];
}
