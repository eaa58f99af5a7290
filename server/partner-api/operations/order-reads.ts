/**
 * SmartRecruiters reads for an order (issue 14 item 2; seed 003 §4): the order's candidate, its job
 * and the job's hiring team, read with the order's company's customer-level token through its rate
 * gate (sr-reads.ts, sr-customer-api.ts). A fixed list of reads, each addressed by the order — not
 * a proxy: the caller names no SmartRecruiters path, company or id, so a key can read only what an
 * order it may see points at, and never with another company's token.
 *
 * SmartRecruiters' answer is passed through as its JSON document (CandidateDetails, JobDetails,
 * `{totalFound, content}`): the partner's code reads SR's documented shapes. The candidate is
 * personal data: answered, never logged.
 */
import * as v from 'valibot';
import type { SmartRecruitersReads } from '../../assessment/sr-reads.js';
import { OutboundError } from '../../oauth/outbound.js';
import type { OrderRow, Store } from '../../store/store.js';
import type { AssessmentApi } from '../../assessment/assessment-api.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { ProblemError } from '../problem.js';
import { orderParams, visibleOrder } from './order-view.js';

export interface OrderReadDeps {
  store: Store;
  assessment: AssessmentApi;
  reads: SmartRecruitersReads;
}

const READS = [
  {
    id: 'getAssessmentOrderCandidate',
    suffix: 'candidate',
    summary: "The order's candidate, from SmartRecruiters",
    title: 'CandidateDetails',
    description: "SmartRecruiters' `GET /candidates/{id}` (seed 003 §4.1) for the order's candidate. Inline orders carry no candidate id: 404.",
  },
  { id: 'getAssessmentOrderJob', suffix: 'job', summary: "The order's job, from SmartRecruiters", title: 'JobDetails', description: "SmartRecruiters' `GET /jobs/{jobId}` (seed 003 §4.2) for the order's job." },
  {
    id: 'getAssessmentOrderHiringTeam',
    suffix: 'hiring-team',
    summary: "The hiring team of the order's job, from SmartRecruiters",
    title: 'HiringTeam',
    description: "SmartRecruiters' `GET /jobs/{jobId}/hiring-team` (seed 003 §4.3) for the order's job: `{totalFound, content[]}`.",
  },
] as const;

type ReadKind = (typeof READS)[number]['suffix'];

export function orderReadOperations({ store, assessment, reads }: OrderReadDeps): PartnerOperation[] {
  async function read(kind: ReadKind, order: OrderRow): Promise<Record<string, unknown>> {
    // The company must still be connected to the order's tenant: its token is not another tenant's to use (as for results).
    const integration = await store.integrations.findByCompany(order.company_id);
    if (!integration || integration.state !== 'active' || integration.tenant_id !== order.tenant_id) {
      throw new ProblemError('not-active', 'The SmartRecruiters company of this order is no longer connected to this account.');
    }
    if (kind === 'job') return reads.job(order.company_id, order.job_id);
    if (kind === 'hiring-team') return reads.hiringTeam(order.company_id, order.job_id);
    const candidateId = (await assessment.orders.get(order.order_id))?.candidate.id;
    if (!candidateId) throw new ProblemError('not-found', 'This order carries no SmartRecruiters candidate id (inline orders do not).');
    return reads.candidate(order.company_id, candidateId);
  }

  return READS.map((spec) =>
    defineOperation({
      id: spec.id,
      method: 'get',
      path: `/assessment/orders/{orderId}/${spec.suffix}`,
      tag: 'assessment',
      summary: spec.summary,
      description: `${spec.description} SmartRecruiters' 401/403/404 answer 404; its other failures 502, 503 or 504.`,
      scopes: ['read'],
      params: orderParams,
      responses: {
        200: { description: "SmartRecruiters' answer, as SmartRecruiters sent it.", schema: v.pipe(v.record(v.string(), v.unknown()), v.title(spec.title)) },
      },
      problems: ['not-found', 'not-active', 'upstream-error', 'upstream-unavailable', 'upstream-timeout'],
      async handle({ params, key }) {
        const order = await visibleOrder(store, key, params.orderId);
        try {
          return { status: 200, body: await read(spec.suffix, order) };
        } catch (error) {
          throw upstream(error);
        }
      },
    }),
  );
}

/** SmartRecruiters unreachable or slow: 503/504 rather than the 500 of an unexpected error. */
function upstream(error: unknown): unknown {
  if (!(error instanceof OutboundError)) return error;
  if (error.kind === 'timeout') return new ProblemError('upstream-timeout', 'SmartRecruiters did not answer in time. Try again shortly.');
  return new ProblemError('upstream-unavailable', 'SmartRecruiters could not be reached. Try again shortly.');
}
