/**
 * What the fake SmartRecruiters does when the QA page's buttons are clicked (or a test calls the
 * same methods on FakeSmartRecruitersAssessment): it calls the partner at the URLs of its
 * configuration (fake-sr-assessment-partner.ts records each call) and keeps SR's side of it —
 * orders, and the integration it drops on Disable. Each action fetches its own partner token.
 */
import { randomUUID } from 'node:crypto';
import { API_BASE } from './fake-sr-assessment-api.js';
import { DEMO_FIELD_VALUES, demoCompany, locationQuery, type DemoCandidate, type DemoCompany, type DemoJob } from './fake-sr-assessment-data.js';
import type { PartnerClient, Outcome } from './fake-sr-assessment-partner.js';
import type { PartnerConfiguration } from './fake-sr-assessment-schemas.js';
import type {
  ApplyOutcome,
  AssessmentDisableOutcome,
  AssessmentIntegration,
  AssessmentOrder,
  FakeSmartRecruitersAssessmentOptions,
  OrderOutcome,
  PackagesOutcome,
} from './fake-sr-assessment-types.js';

/** The part of FakeSmartRecruitersAssessment the actions read and change. */
export interface AssessmentState {
  readonly options: FakeSmartRecruitersAssessmentOptions;
  configuration: PartnerConfiguration | null;
  readonly integrations: Map<string, AssessmentIntegration>;
  readonly consents: Map<string, string>;
  readonly orders: Map<string, AssessmentOrder>;
}

export class AssessmentActions {
  constructor(
    readonly state: AssessmentState,
    readonly partner: PartnerClient,
  ) {}

  /** "Order assessment", step 1: token, then the package list for the candidate's job. */
  async listPackages(companyId: string, candidateId: string): Promise<PackagesOutcome> {
    const outcome: PackagesOutcome = { ok: false, companyId, problems: [], calls: [], packages: [] };
    const context = this.#context(outcome, candidateId);
    if (!context) return outcome;
    const token = await this.partner.token(outcome, context.config, context.integration);
    if (!token) return outcome;
    const packages = await this.#listWith(outcome, context, token);
    outcome.packages = packages ?? [];
    outcome.ok = packages !== undefined && outcome.problems.length === 0;
    return outcome;
  }

  /**
   * "Order assessment": the package list, then (for `packageId`, else the first package that is
   * not INLINE_ASSESSMENT) the single package and the order. The QA page does the same in two
   * clicks (`packages`, then `order` with the chosen id, each with its own token).
   */
  async orderAssessment(companyId: string, candidateId: string, packageId?: string): Promise<OrderOutcome> {
    const listed = packageId === undefined ? await this.listPackages(companyId, candidateId) : undefined;
    const chosen = packageId ?? listed?.packages.find((entry) => entry.type !== 'INLINE_ASSESSMENT')?.id;
    const outcome: OrderOutcome = {
      ok: false,
      companyId,
      problems: [...(listed?.problems ?? [])],
      calls: [...(listed?.calls ?? [])],
      ...(listed ? { packages: listed.packages } : {}),
      package: null,
      orderId: null,
    };
    if (listed && !listed.ok && listed.packages.length === 0) return outcome;
    if (chosen === undefined) return { ...outcome, problems: [...outcome.problems, 'the partner lists no package to order (other than INLINE_ASSESSMENT)'] };
    const context = this.#context(outcome, candidateId);
    if (!context) return outcome;
    const orderUrl = context.config.packageOrderUrl;
    if (!orderUrl) return { ...outcome, problems: [...outcome.problems, 'the partner configured no packageOrderUrl'] };
    const token = await this.partner.token(outcome, context.config, context.integration);
    if (!token) return outcome;
    outcome.package = (await this.partner.package(outcome, context.config, token, chosen)) ?? null;
    if (!outcome.package) return outcome;
    if (outcome.package.type === 'INLINE_ASSESSMENT') {
      outcome.problems.push('INLINE_ASSESSMENT packages are only ordered inline (Apply as candidate)');
      return outcome;
    }
    const order = this.#newOrder('standard', context, chosen);
    outcome.orderId = order.orderId;
    const { candidate, job, company, config } = context;
    const body = {
      resultCallbackURL: order.resultCallbackURL,
      candidate: { id: candidate.id, email: candidate.email, firstName: candidate.firstName, lastName: candidate.lastName, applicationLanguage: candidate.applicationLanguage },
      requester: { userId: company.recruiter.userId, email: company.recruiter.email },
      assessmentPackageId: chosen,
      jobId: job.id,
      job: { id: job.id },
      companyId,
      ...fieldsOf(config),
    };
    const accepted = await this.partner.order(outcome, 'order', orderUrl, token, body);
    order.partnerStatus = outcome.calls.at(-1)?.status ?? null;
    outcome.ok = accepted !== undefined && outcome.problems.length === 0;
    return outcome;
  }

  /** "Apply as candidate": token, (the package list to pick the first INLINE_ASSESSMENT package,) the inline order → `{url}`. */
  async applyAsCandidate(companyId: string, candidateId: string, packageId?: string): Promise<ApplyOutcome> {
    const outcome: ApplyOutcome = { ok: false, companyId, problems: [], calls: [], orderId: null, url: null };
    const context = this.#context(outcome, candidateId);
    if (!context) return outcome;
    const orderUrl = context.config.inlineAssessmentPackageOrderUrl;
    if (!orderUrl) return { ...outcome, problems: ['the partner configured no inlineAssessmentPackageOrderUrl'] };
    const token = await this.partner.token(outcome, context.config, context.integration);
    if (!token) return outcome;
    const chosen = packageId ?? (await this.#listWith(outcome, context, token))?.find((entry) => entry.type === 'INLINE_ASSESSMENT')?.id;
    if (chosen === undefined) {
      outcome.problems.push('the partner lists no INLINE_ASSESSMENT package');
      return outcome;
    }
    const order = this.#newOrder('inline', context, chosen);
    outcome.orderId = order.orderId;
    const { candidate, job, config } = context;
    const body = {
      resultCallbackURL: order.resultCallbackURL,
      candidate: { email: candidate.email, firstName: candidate.firstName, lastName: candidate.lastName, applicationLanguage: candidate.applicationLanguage },
      assessmentPackageId: chosen,
      jobId: job.id,
      job: { id: job.id },
      companyId,
      completedAssessmentCallbackUrl: order.completedAssessmentCallbackUrl,
      ...fieldsOf(config),
    };
    const answer = await this.partner.order(outcome, 'inline-order', orderUrl, token, body);
    order.partnerStatus = outcome.calls.at(-1)?.status ?? null;
    order.candidateUrl = (answer as { url?: string } | undefined)?.url ?? null;
    outcome.url = order.candidateUrl;
    outcome.ok = outcome.url !== null && outcome.problems.length === 0;
    return outcome;
  }

  /** "Disable": token, `DELETE integrationDisableUrl/{companyId}` (→ 204); SR then drops the integration and the consent. */
  async disable(companyId: string): Promise<AssessmentDisableOutcome> {
    const outcome: AssessmentDisableOutcome = { ok: false, companyId, problems: [], calls: [], removed: false, notified: false };
    const integration = this.state.integrations.get(companyId);
    if (!integration) {
      outcome.problems.push('no such integration');
      return outcome;
    }
    const config = this.state.configuration;
    if (!config?.integrationDisableUrl) outcome.ok = true;
    else {
      const token = await this.partner.token(outcome, config, integration);
      if (token) {
        outcome.notified = true;
        const answered = await this.partner.disable(outcome, { ...config, integrationDisableUrl: config.integrationDisableUrl }, token);
        outcome.ok = answered && outcome.problems.length === 0;
      }
    }
    if (this.state.integrations.get(companyId) === integration) this.state.integrations.delete(companyId);
    this.state.consents.delete(companyId);
    outcome.removed = true;
    return outcome;
  }

  #context(outcome: Outcome, candidateId: string) {
    const config = this.state.configuration;
    const integration = this.state.integrations.get(outcome.companyId);
    const company = demoCompany(outcome.companyId);
    const candidate = company.candidates.find((entry) => entry.id === candidateId);
    const job = company.jobs.find((entry) => entry.id === candidate?.jobId);
    if (!config) outcome.problems.push('the partner has not PUT a configuration');
    else if (!integration) outcome.problems.push(`${outcome.companyId} is not integrated`);
    else if (!candidate || !job) outcome.problems.push(`no candidate ${candidateId} at ${outcome.companyId}`);
    else return { config, integration, company, candidate, job };
    return undefined;
  }

  #listWith(outcome: Outcome, context: { config: PartnerConfiguration; company: DemoCompany; job: DemoJob }, token: string) {
    const fields = (context.config.fields ?? []).map((field, index): [string, string] => [field.id, DEMO_FIELD_VALUES[index] ?? 'demo']);
    return this.partner.packages(outcome, context.config, token, [...locationQuery(context.job.location), ...fields], context.company.recruiter.email);
  }

  #newOrder(kind: AssessmentOrder['kind'], context: { company: DemoCompany; candidate: DemoCandidate; job: DemoJob }, packageId: string): AssessmentOrder {
    const orderId = randomUUID();
    const origin = this.state.options.apiOrigin();
    const order: AssessmentOrder = {
      orderId,
      kind,
      companyId: context.company.id,
      candidateId: context.candidate.id,
      jobId: context.job.id,
      packageId,
      resultCallbackURL: `${origin}${API_BASE}/orders/${orderId}/results`,
      completedAssessmentCallbackUrl: kind === 'inline' ? `${origin}/assessment/candidate-done?order=${orderId}` : null,
      partnerStatus: null,
      candidateUrl: null,
      createdAt: new Date().toISOString(),
      updatedAt: null,
      result: null,
      patches: [],
      attachments: [],
      resultCalls: [],
    };
    this.state.orders.set(orderId, order);
    return order;
  }
}

/** The `fields` map SR sends with orders: one demo value per configured partner field. */
function fieldsOf(config: PartnerConfiguration): { fields?: Record<string, string> } {
  if (!config.fields?.length) return {};
  return { fields: Object.fromEntries(config.fields.map((field, index) => [field.id, DEMO_FIELD_VALUES[index] ?? 'demo'])) };
}
