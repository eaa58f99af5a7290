/**
 * The `PartnerConfigurationRequest` the kit registers with SmartRecruiters (seed 003 §1.2;
 * providers.md §1.4.1), built from its own URLs and options alone, checked as SR checks it, and
 * compared with what SR holds so a push can say what it changes.
 *
 * SR documents neither how it builds the single-package call from `singleAssessmentPackageUrl`
 * nor the disable call from `integrationDisableUrl`; its own names for them are
 * `/packages/{assessmentPackageId}` and `DELETE /integrations/companies/{companyId}`. The kit
 * registers the collection URLs (`…/packages`, `…/integrations/companies`) and serves the id
 * appended as one more path segment.
 */
import * as v from 'valibot';
import { ConfigError } from '../config-error.js';
import type { ResolvedConfig } from '../config.js';
import type { KitPaths } from '../services.js';
import { firstIssue, PartnerConfiguration } from './sr-assessment-types.js';

export function buildPartnerConfiguration(config: ResolvedConfig, paths: KitPaths): PartnerConfiguration {
  const assessment = config.assessment;
  if (!assessment) throw new Error('ats-consent: smartRecruiters.product is "general": there is no Assessment configuration');
  const url = (path: string) => config.publicOrigin + path;
  const candidate = {
    consentUrl: url(paths.consentPage),
    consentDisplayMode: assessment.consentDisplayMode,
    assessmentPackageListUrl: url(paths.assessmentPackages),
    singleAssessmentPackageUrl: url(paths.assessmentPackages),
    packageOrderUrl: url(paths.assessmentOrders),
    ...(assessment.inlineOrderUrl ? { inlineAssessmentPackageOrderUrl: url(paths.assessmentInlineOrders) } : {}),
    oauthTokenUrl: url(paths.token),
    integrationDisableUrl: url(paths.assessmentCompanies),
    ...(assessment.fields.length > 0 ? { fields: assessment.fields } : {}),
    supportedAssessmentTypes: assessment.supportedAssessmentTypes,
  };
  const checked = v.safeParse(PartnerConfiguration, candidate);
  if (!checked.success) throw new ConfigError('assessment', `would be refused by SmartRecruiters: ${firstIssue(checked.issues)}`);
  return checked.output;
}

export interface ConfigurationChange {
  field: keyof PartnerConfiguration;
  from: unknown;
  to: unknown;
}

/** What a push would change in SR's configuration (every field when SR holds none). */
export function configurationChanges(current: PartnerConfiguration | null, next: PartnerConfiguration): ConfigurationChange[] {
  const fields = Object.keys(PartnerConfiguration.entries) as Array<keyof PartnerConfiguration>;
  return fields
    .map((field) => ({ field, from: current?.[field], to: next[field] }))
    .filter((change) => JSON.stringify(change.from ?? null) !== JSON.stringify(change.to ?? null));
}
