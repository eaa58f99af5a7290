/**
 * The assessment package catalogue (issue 14 item 2), stored in the database: what SmartRecruiters'
 * package list (seed 003 §2) and single package calls are answered when the kit has no in-process
 * `packages` hook (package-catalogue.ts). The whole catalogue is replaced at once, like Kombo's
 * `PUT /assessment/packages`: a partner keeps its catalogue in its own system and pushes it.
 *
 * Two levels: the default catalogue (no `companyId`), answered to every company without one of its
 * own, and a company's own (`companyId`). Each is validated with SR's own `AssessmentPackage`
 * schema (sr-assessment-types.ts) before it is stored, so SR is never answered what it would refuse.
 *
 * Lost updates: every answer carries an `ETag`; a PUT with `If-Match` is applied only while the
 * catalogue is still the one read (else 412 and nothing changes). Without `If-Match` the PUT
 * replaces whatever is there. `If-Match: *` means "only if there is one".
 *
 * Tenant-restricted keys: only companies connected to their tenant (another tenant's company is 404
 * like an unknown one); they may read the default catalogue but not replace it (403), since it is
 * every tenant's.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { COMPANY_ID_PATTERN } from '../../../widget/protocol/http.js';
import type { ApiKeySummary } from '../../api-keys/api-keys.js';
import { AssessmentPackage, AssessmentPackageList } from '../../assessment/sr-assessment-types.js';
import { DEFAULT_PACKAGES_SCOPE, type PartnerPackagesRow, type Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { ProblemError } from '../problem.js';

/** 500 packages of SR's largest shape fit; anything larger is refused before it is parsed (413). */
const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;

export interface PackageOperationDeps {
  store: Store;
  now: () => number;
}

const query = v.strictObject({
  companyId: v.optional(
    v.pipe(v.string(), v.regex(COMPANY_ID_PATTERN), v.description("A SmartRecruiters company's own catalogue; without it, the default catalogue answered to every company without one of its own.")),
  ),
});

export const CatalogueSchema = v.pipe(
  v.strictObject({
    companyId: v.pipe(v.nullable(v.string()), v.description('null: the default catalogue.')),
    packages: v.pipe(v.array(AssessmentPackage), v.description("This catalogue's packages (a company's own: empty when it has none).")),
    inheritsDefault: v.pipe(v.boolean(), v.description('True for a company without a catalogue of its own: SmartRecruiters is answered the default one.')),
    updatedAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  }),
  v.title('PackageCatalogue'),
);

const ETAG = 'The catalogue\'s entity tag: send it back as If-Match to replace only this version.';

/** Opaque and scope-bound: one catalogue's tag never matches another's. */
function etagOf(scope: string, version: number): string {
  return `"${createHash('sha256').update(`${scope}\n${version}`).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 §13.1.1: `*`, or a list of entity tags compared strongly (a weak tag never matches). */
function ifMatchVersion(header: string, scope: string, current: number): number {
  const value = header.trim();
  if (value === '*') {
    if (current === 0) throw preconditionFailed('There is no catalogue yet, and If-Match: * asks for one.');
    return current;
  }
  const tags = value.split(',').map((tag) => tag.trim());
  if (tags.includes(etagOf(scope, current))) return current;
  throw preconditionFailed('The catalogue changed since you read it (If-Match does not match its ETag): read it again, apply your change, and send it with the new ETag.');
}

const preconditionFailed = (detail: string) => new ProblemError('precondition-failed', detail, { errors: [{ in: 'header', field: 'If-Match', detail: 'does not match the current ETag' }] });

async function scopeFor(store: Store, key: ApiKeySummary | null, companyId: string | undefined, writing: boolean): Promise<string> {
  if (companyId === undefined) {
    if (writing && key?.tenantId != null) throw new ProblemError('tenant-restricted', "A tenant-restricted key may replace its companies' catalogues, not the default one every tenant's companies share.");
    return DEFAULT_PACKAGES_SCOPE;
  }
  if (key?.tenantId != null) {
    const integration = await store.integrations.findByCompany(companyId);
    if (!integration || integration.tenant_id !== key.tenantId) throw new ProblemError('not-found', 'There is no integration for this company.');
  }
  return companyId;
}

function answer(scope: string, row: PartnerPackagesRow | undefined, status = 200) {
  return {
    status,
    headers: { etag: etagOf(scope, row?.version ?? 0) },
    body: {
      companyId: scope === DEFAULT_PACKAGES_SCOPE ? null : scope,
      packages: row ? (JSON.parse(row.packages) as AssessmentPackage[]) : [],
      inheritsDefault: scope !== DEFAULT_PACKAGES_SCOPE && !row,
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    },
  };
}

export function packageOperations({ store, now }: PackageOperationDeps): PartnerOperation[] {
  return [
    defineOperation({
      id: 'getAssessmentPackages',
      method: 'get',
      path: '/assessment/packages',
      tag: 'assessment',
      summary: 'Read the package catalogue',
      description: 'The default catalogue, or a company\'s own with `companyId`. Answers an ETag for a later PUT with If-Match. Used for SmartRecruiters only when the kit has no in-process `packages` hook.',
      scopes: ['read'],
      query,
      responses: { 200: { description: 'The catalogue.', schema: CatalogueSchema, headers: { ETag: ETAG } } },
      problems: ['not-found'],
      async handle({ query: { companyId }, key }) {
        const scope = await scopeFor(store, key, companyId, false);
        return answer(scope, await store.packages.find(scope));
      },
    }),
    defineOperation({
      id: 'putAssessmentPackages',
      method: 'put',
      path: '/assessment/packages',
      tag: 'assessment',
      summary: 'Replace the package catalogue',
      description:
        "Replaces the whole catalogue (the default one, or a company's own with `companyId`); SmartRecruiters' next package list call is answered from it. Each package is checked against SmartRecruiters' AssessmentPackage schema; package ids must be unique. With If-Match, only while the catalogue is still the one you read (412 otherwise, nothing changed). Answers the stored catalogue and its new ETag.",
      scopes: ['write'],
      query,
      headers: v.object({
        'If-Match': v.optional(v.pipe(v.string(), v.maxLength(1024), v.description('The ETag of the catalogue you read (or `*`: only if there is one). Recommended: without it, the last writer wins.'))),
      }),
      body: v.strictObject({
        packages: v.pipe(
          AssessmentPackageList,
          v.check((packages) => new Set(packages.map((item) => item.id)).size === packages.length, 'package ids must be unique'),
          v.description("SmartRecruiters' AssessmentPackage objects (seed 003 §2); an empty list answers SmartRecruiters 204 (no packages)."),
        ),
      }),
      maxBodyBytes: MAX_CATALOGUE_BYTES,
      responses: { 200: { description: 'The stored catalogue.', schema: CatalogueSchema, headers: { ETag: ETAG } } },
      problems: ['not-found', 'tenant-restricted', 'precondition-failed'],
      async handle({ query: { companyId }, headers, body, key }) {
        const scope = await scopeFor(store, key, companyId, true);
        let expected: number | null = null;
        if (headers['If-Match'] !== undefined) expected = ifMatchVersion(headers['If-Match'], scope, (await store.packages.find(scope))?.version ?? 0);
        const written = await store.packages.put(scope, JSON.stringify(body.packages), expected, now());
        if (!written) throw preconditionFailed('The catalogue changed while you sent yours: read it again and retry with the new ETag.');
        await store.audit.append(
          { event: 'packages', outcome: 'success', companyId: companyId, actor: key ? `api-key:${key.id}` : 'partner', detail: { packages: body.packages.length, version: written.version } },
          now(),
        );
        return answer(scope, written);
      },
    }),
  ];
}
