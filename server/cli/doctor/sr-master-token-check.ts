/**
 * Can the kit get its master token (seed 001 §2; seed 003 §1.2: client credentials in the form
 * body at SR's `/identity/oauth/token`)? Every exchange and the partner-configuration push start
 * there, so a refusal here is what the first customer's Approve would meet. Uses the kit's own SR
 * client, so the request is exactly the one the kit sends. The token itself is never printed.
 */
import type { ResolvedConfig } from '../../config.js';
import { OutboundError } from '../../oauth/outbound.js';
import type { SmartRecruitersClient } from '../../providers/smartrecruiters.js';
import { fail, ok, type CheckResult } from './check-result.js';
import { srFailureText } from './sr-failure.js';

export const CHECK = 'sr-master-token';

export async function checkMasterToken(config: ResolvedConfig, sr: SmartRecruitersClient): Promise<CheckResult> {
  const url = srUrl(config, '/identity/oauth/token');
  try {
    await sr.masterToken.get();
    return ok(CHECK, `SmartRecruiters issued a master token for client id ${config.sr.clientId} (${url})`);
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const { message, fix } = srFailureText(error, url, config);
    return fail(CHECK, message, fix);
  }
}

/** An SR API URL as the kit's client builds it (the base may carry a path, e.g. a sandbox prefix). */
export function srUrl(config: ResolvedConfig, path: string): string {
  return config.sr.apiBaseUrl.href.replace(/\/$/, '') + path;
}
