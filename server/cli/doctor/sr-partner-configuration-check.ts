/**
 * Does SmartRecruiters hold the partner configuration the kit would register (seed 003 §1.2,
 * `GET /partner/configuration`)? SR calls the URLs it holds, not the ones the kit serves: after a
 * change of public URL, prefix, display mode or assessment types, SR keeps calling the old ones
 * until `ats-consent sr-configure` pushes the new. Compared field by field with what
 * `sr-configure` would send (`buildPartnerConfiguration` + `configurationChanges`).
 */
import { buildPartnerConfiguration, configurationChanges } from '../../assessment/partner-configuration.js';
import type { ResolvedConfig } from '../../config.js';
import { OutboundError } from '../../oauth/outbound.js';
import { SmartRecruitersAssessmentClient } from '../../providers/smartrecruiters-assessment.js';
import type { SmartRecruitersClient } from '../../providers/smartrecruiters.js';
import { kitPaths } from '../../services.js';
import { fail, ok, skip, type CheckResult } from './check-result.js';
import { srFailureText } from './sr-failure.js';
import { srUrl } from './sr-master-token-check.js';

const CHECK = 'sr-partner-configuration';
const FIX = 'run `ats-consent sr-configure` (it shows each change, then registers the configuration)';
const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

export async function checkPartnerConfiguration(config: ResolvedConfig, sr: SmartRecruitersClient): Promise<CheckResult> {
  if (config.sr.product !== 'assessment') {
    return skip(CHECK, "the General Partner app's URLs are registered by SmartRecruiters' Partner team; SmartRecruiters offers no call to read them");
  }
  const url = srUrl(config, '/assessment-api/v202010/partner/configuration');
  try {
    const held = await new SmartRecruitersAssessmentClient(sr).getConfiguration();
    if (!held) return fail(CHECK, `SmartRecruiters holds no partner configuration for client id ${config.sr.clientId}: it cannot call the kit`, FIX);
    const changes = configurationChanges(held, buildPartnerConfiguration(config, kitPaths(config)));
    if (changes.length === 0) return ok(CHECK, 'SmartRecruiters holds the configuration the kit registers');
    return fail(
      CHECK,
      `SmartRecruiters holds a different partner configuration: ${changes.map((change) => change.field).join(', ')}`,
      FIX,
      changes.map((change) => `${change.field}: SmartRecruiters holds ${show(change.from)}, the kit registers ${show(change.to)}`),
    );
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const { message, fix } = srFailureText(error, url, config);
    return fail(CHECK, `could not read it: ${message}`, fix);
  }
}
