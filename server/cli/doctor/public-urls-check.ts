/**
 * The two bases every other URL hangs off: `publicUrl` (what SmartRecruiters and the admin's
 * browser call) and `smartRecruiters.apiBaseUrl` (what the kit calls). http:// passes start-up on
 * loopback only, which is right for the fakes and wrong for SmartRecruiters.
 */
import type { ResolvedConfig } from '../../config.js';
import { fail, ok, warn, type CheckResult } from './check-result.js';
import { schemeVerdict } from './url-scheme.js';

export function checkPublicUrls(config: ResolvedConfig): CheckResult[] {
  const results = [publicUrl(config), apiBaseUrl(config)];
  const { publicUrl: url } = config;
  if (url.pathname !== '/' || url.search || url.hash) {
    // Every URL the kit builds is publicOrigin + prefix + path (services.ts kitPaths).
    results.push(
      warn(
        'public-url-path',
        `ATS_PUBLIC_URL carries ${url.pathname}${url.search}${url.hash}, which the kit does not use: its URLs are ${config.publicOrigin}${config.prefix}/…`,
        'put the path in ATS_PREFIX and leave ATS_PUBLIC_URL an origin',
      ),
    );
  }
  return results;
}

function publicUrl(config: ResolvedConfig): CheckResult {
  const origin = config.publicOrigin;
  switch (schemeVerdict(config.publicUrl)) {
    case 'https':
      return ok('public-url', `the kit's URLs start with ${origin}${config.prefix}`);
    case 'loopback-http':
      return warn('public-url', `${origin} is http:// on loopback: fine for local testing, SmartRecruiters refuses it`, 'before registering with SmartRecruiters, serve the kit over https and set ATS_PUBLIC_URL to that https:// origin');
    case 'insecure':
      return fail('public-url', `${origin} is http:// on a host that is not loopback: SmartRecruiters refuses it, and credentials would cross the network in clear`, 'serve the kit over https and set ATS_PUBLIC_URL to that https:// origin');
  }
}

function apiBaseUrl(config: ResolvedConfig): CheckResult {
  const base = config.sr.apiBaseUrl.href;
  switch (schemeVerdict(config.sr.apiBaseUrl)) {
    case 'https':
      return ok('sr-api-base-url', `SmartRecruiters' API at ${base}`);
    case 'loopback-http':
      return warn('sr-api-base-url', `${base} is http:// on loopback: a local fake, not SmartRecruiters`, 'for SmartRecruiters, unset ATS_SR_API_BASE_URL (default https://api.smartrecruiters.com)');
    case 'insecure':
      return fail('sr-api-base-url', `${base} is http:// on a host that is not loopback: the master credentials would cross the network in clear`, 'set ATS_SR_API_BASE_URL to an https:// URL, or unset it');
  }
}
