/**
 * The endpoints SmartRecruiters calls on an assessment partner (seed 003 §2–§3; reference/
 * providers.md §1.5), each behind a bearer token from our token endpoint, authenticated before the
 * body is read (RFC 6750; T24), and each answered well inside SR's 15 seconds:
 *
 * - GET  packages                       the package list (200, or 204 when there are none)
 * - GET  packages/{assessmentPackageId} one package (404 when unknown)
 * - POST orders                         an order (202 once stored)
 * - POST inline-orders                  an inline order (200 `{url}` once stored)
 * - DELETE integrations/companies/{companyId}  SR disabled the integration (204, idempotent)
 *
 * The company is always the token's (T22). This file reads requests and writes statuses; the steps
 * live in assessment/.
 */
import type { Context } from 'koa';
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { PackageQuery, ResolvedAssessment } from '../assessment/assessment-options.js';
import type { OrderIntake } from '../assessment/orders.js';
import type { PackageCatalogue } from '../assessment/package-catalogue.js';
import { Requester } from '../assessment/sr-assessment-types.js';
import { AtsServerError, forbidden, invalidInput } from '../errors.js';
import { readJson, singleQueryParam } from '../http/read-body.js';
import type { IntegrationLifecycle } from '../integrations/integration-lifecycle.js';
import type { BearerAuthenticator } from '../oauth/bearer.js';
import type { TokenIntegration } from '../store/store.js';

const ORDER_BODY_LIMIT = 32 * 1024;
/** SR's location query parameters (providers.md §1.5) → the hook's names. */
const LOCATION_PARAMS = { 'country-code': 'countryCode', 'region-abbr': 'regionAbbr', city: 'city', address: 'address', 'postal-code': 'postalCode' } as const;

export interface AssessmentRouteDeps {
  bearer: BearerAuthenticator;
  catalogue: PackageCatalogue;
  orders: OrderIntake;
  lifecycle: IntegrationLifecycle;
  assessment: ResolvedAssessment;
}

export function assessmentRoutes(deps: AssessmentRouteDeps) {
  const authenticate = async (ctx: Context, allowDisabled = false): Promise<TokenIntegration> =>
    (await deps.bearer.authenticate(ctx.get('authorization') || undefined, 'access_token' in ctx.query, allowDisabled)).integration;

  async function packages(ctx: Context): Promise<void> {
    const integration = await authenticate(ctx);
    const list = await deps.catalogue.list(packageQuery(ctx, integration, deps.assessment));
    if (list.length === 0) {
      ctx.status = 204;
      return;
    }
    ctx.body = list;
  }

  async function singlePackage(ctx: Context): Promise<void> {
    const integration = await authenticate(ctx);
    const found = await deps.catalogue.get({ companyId: integration.company_id, tenantId: integration.tenant_id, packageId: ctx.params.packageId! });
    if (!found) throw new AtsServerError(404, AtsErrorCode.PackageNotFound, 'There is no package with this id for this company.');
    ctx.body = found;
  }

  async function order(ctx: Context): Promise<void> {
    const integration = await authenticate(ctx);
    await deps.orders.receive(integration, await readJson(ctx, ORDER_BODY_LIMIT));
    ctx.status = 202;
    ctx.body = {};
  }

  async function inlineOrder(ctx: Context): Promise<void> {
    const integration = await authenticate(ctx);
    ctx.body = await deps.orders.receiveInline(integration, await readJson(ctx, ORDER_BODY_LIMIT));
  }

  async function disable(ctx: Context): Promise<void> {
    // A token issued before the disable may repeat it and get the same 204 (as the callback does).
    const integration = await authenticate(ctx, true);
    if (ctx.params.companyId !== integration.company_id) {
      throw forbidden(AtsErrorCode.CompanyMismatch, 'This access token is for another company.');
    }
    await deps.lifecycle.disable(integration, 'smartrecruiters');
    ctx.status = 204;
  }

  return { packages, singlePackage, order, inlineOrder, disable };
}

/** The package list's inputs: the `requester` header, the job's location and the mapped fields (seed 003 §2). */
function packageQuery(ctx: Context, integration: TokenIntegration, assessment: ResolvedAssessment): PackageQuery {
  const location: PackageQuery['location'] = {};
  for (const [param, name] of Object.entries(LOCATION_PARAMS)) {
    const value = singleQueryParam(ctx, param);
    if (value !== undefined) location[name] = limited(value, param);
  }
  const remote = singleQueryParam(ctx, 'remote');
  if (remote !== undefined) {
    if (remote !== 'true' && remote !== 'false') throw invalidInput('The "remote" parameter must be true or false.');
    location.remote = remote === 'true';
  }
  const fields: Record<string, string> = {};
  for (const field of assessment.fields) {
    const value = singleQueryParam(ctx, field.id);
    if (value !== undefined) fields[field.id] = limited(value, field.id);
  }
  return { companyId: integration.company_id, tenantId: integration.tenant_id, requester: requester(ctx.get('requester')), location, fields };
}

function requester(header: string): PackageQuery['requester'] {
  if (header === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    throw invalidInput('The requester header must be JSON like {"email": "…"}.');
  }
  const checked = v.safeParse(Requester, parsed);
  if (!checked.success) throw invalidInput('The requester header must be JSON like {"email": "…"} with a valid email.');
  return { email: checked.output.email };
}

function limited(value: string, name: string): string {
  if (value.length > 1000) throw invalidInput(`The "${name}" parameter is too long.`);
  return value;
}
