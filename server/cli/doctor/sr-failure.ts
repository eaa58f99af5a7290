/**
 * What a failed call to SmartRecruiters means for the partner, from the kit's `OutboundError`
 * (outbound.ts's one status → kind table): their credentials, their network, or SR itself.
 */
import type { ResolvedConfig } from '../../config.js';
import type { OutboundError } from '../../oauth/outbound.js';
import { networkFailureReason } from './network-failure.js';

export interface SrFailureText {
  message: string;
  fix: string;
}

export function srFailureText(error: OutboundError, url: string, config: ResolvedConfig): SrFailureText {
  const status = error.status ? `HTTP ${error.status}` : '';
  const codes = error.upstreamCodes.length > 0 ? `, ${error.upstreamCodes.join(', ')}` : '';
  const credentials =
    config.sr.product === 'assessment'
      ? 'check ATS_SR_CLIENT_ID and ATS_SR_CLIENT_SECRET: the master credentials SmartRecruiters gave the Assessment app (not the General Partner app’s)'
      : 'check ATS_SR_CLIENT_ID and ATS_SR_CLIENT_SECRET: the master credentials SmartRecruiters gave this app';
  const baseUrl = `check ATS_SR_API_BASE_URL (now ${config.sr.apiBaseUrl.href}; SmartRecruiters' is https://api.smartrecruiters.com)`;
  switch (error.kind) {
    case 'unauthorized':
      return { message: `SmartRecruiters refused the master credentials at ${url} (${status || 'invalid_client'}${codes})`, fix: credentials };
    case 'forbidden':
      return { message: `SmartRecruiters refused ${url} to these master credentials (${status}${codes})`, fix: credentials };
    case 'timeout':
      return { message: `no answer from ${url} within ${config.sr.timeoutMs} ms`, fix: `${baseUrl}, and that this host reaches it (firewall, outbound proxy); ATS_SR_TIMEOUT_MS sets the wait` };
    case 'network':
      return { message: `could not reach ${url}: ${networkFailureReason(error)}`, fix: `${baseUrl}, and this host's way out to it (DNS, firewall, outbound proxy)` };
    case 'unavailable':
      return { message: `SmartRecruiters failed at ${url} (${status}${codes}): its side, not your configuration`, fix: 'run doctor again later; if it persists, ask SmartRecruiters' };
    case 'rate_limited':
      return { message: `SmartRecruiters is rate-limiting these credentials (${status})`, fix: `run doctor again in ${error.retryAfterSeconds ?? 60} s` };
    case 'bad_response':
      return { message: `${url} did not answer as SmartRecruiters does (${status || 'unreadable answer'})`, fix: baseUrl };
    default:
      if (error.status === 404) return { message: `nothing answers at ${url} (HTTP 404${codes})`, fix: baseUrl };
      return { message: `SmartRecruiters refused the request to ${url} (${status}${codes})`, fix: credentials };
  }
}
