/**
 * SmartRecruiters Assessment API v202010, the calls the partner makes under its master token
 * (seed 003 §1.2–§1.3; reference/providers.md §1.4.1–§1.4.2):
 *
 * - `GET|PUT /partner/configuration`: the URLs SR calls on us, and what we offer.
 * - `POST /integration/company/{companyId}`: our customer-level credentials for SR; 200 → SR's own
 *   customer-level credentials (no integration id, unlike the General Partner exchange). 409 means
 *   "Partner already integrated for company", also for an identical replay after a lost answer.
 *
 * @see https://developers.smartrecruiters.com/docs/integration-workflow
 */
import * as v from 'valibot';
import { ClientCredentials, PartnerConfiguration } from '../assessment/sr-assessment-types.js';
import { OutboundError } from '../oauth/outbound.js';
import { srFailure, type ExchangedCredentials, type IntegrationRequest, type SmartRecruitersClient } from './smartrecruiters.js';

const BASE = '/assessment-api/v202010';

export class SmartRecruitersAssessmentClient {
  constructor(private readonly sr: SmartRecruitersClient) {}

  /** Seed 003 §1.3. The answer carries no integration id: `integrationId` is null. */
  async createIntegration(request: IntegrationRequest): Promise<ExchangedCredentials> {
    const { response, body } = await this.sr.masterCall({
      step: 'assessment-integration',
      path: `${BASE}/integration/company/${encodeURIComponent(request.companyId)}`,
      method: 'POST',
      body: { clientId: request.clientId, clientSecret: request.clientSecret },
    });
    if (response.status === 200) {
      const parsed = v.safeParse(ClientCredentials, body);
      if (parsed.success) return { ...parsed.output, integrationId: null };
    }
    throw srFailure('assessment-integration', response, body);
  }

  /** Seed 003 §1.2 GET: what SR holds now; null when SR has no configuration yet (404). */
  async getConfiguration(): Promise<PartnerConfiguration | null> {
    const { response, body } = await this.sr.masterCall({ step: 'partner-configuration', path: `${BASE}/partner/configuration`, method: 'GET' });
    if (response.status === 404) return null;
    return this.#configuration(response, body);
  }

  /** Seed 003 §1.2 PUT: replaces the configuration; SR answers what it stored. */
  async putConfiguration(configuration: PartnerConfiguration): Promise<PartnerConfiguration> {
    const { response, body } = await this.sr.masterCall({
      step: 'partner-configuration',
      path: `${BASE}/partner/configuration`,
      method: 'PUT',
      body: configuration,
    });
    return this.#configuration(response, body);
  }

  #configuration(response: Response, body: unknown): PartnerConfiguration {
    if (response.status !== 200) throw srFailure('partner-configuration', response, body);
    // SR may add fields; keep what the spec names, and read it leniently (SR is the authority on what it stored).
    const parsed = v.safeParse(v.looseObject(PartnerConfiguration.entries), body);
    if (!parsed.success) throw OutboundError.fromResponse('partner-configuration', response);
    return parsed.output as PartnerConfiguration;
  }
}
