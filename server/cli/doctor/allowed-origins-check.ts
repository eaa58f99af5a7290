/**
 * The allow-lists are compared exactly, scheme + host + port (DESIGN.md "Allow-lists"): they set
 * `frame-ancestors`, the postMessage target and which `redirect` URLs are accepted. Start-up
 * refuses an entry with a path or a default port; it accepts, and doctor reports, what is legal
 * but cannot mean what was meant: a `*` (a literal host character to the URL parser, so it
 * matches no page), a trailing slash (dropped), duplicates, and hosts that are not
 * SmartRecruiters'. Read from the variables as written, before start-up normalised them.
 */
import type { Env } from '../command.js';
import { fail, ok, warn, type CheckResult } from './check-result.js';
import { schemeVerdict } from './url-scheme.js';

const SR_DEFAULT = 'https://www.smartrecruiters.com';

export function checkAllowedOrigins(env: Env): CheckResult[] {
  return [
    checkList('sr-allowed-origins', 'ATS_SR_ALLOWED_ORIGINS', list(env.ATS_SR_ALLOWED_ORIGINS) ?? [SR_DEFAULT], true),
    ...(env.ATS_CONNECT_ALLOWED_ORIGINS ? [checkList('connect-allowed-origins', 'ATS_CONNECT_ALLOWED_ORIGINS', list(env.ATS_CONNECT_ALLOWED_ORIGINS) ?? [], false)] : []),
  ];
}

/** As `optionsFromEnv` splits it. */
const list = (raw: string | undefined) =>
  raw
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function checkList(check: string, variable: string, origins: string[], smartRecruiters: boolean): CheckResult {
  const wildcards = origins.filter((origin) => origin.includes('*'));
  if (wildcards.length > 0) {
    return fail(
      check,
      `${variable} lists ${wildcards.join(', ')}: origins are compared exactly, so a * matches no page`,
      `list each origin exactly, e.g. ${smartRecruiters ? SR_DEFAULT : 'https://app.example.com'}`,
    );
  }
  const oddities: string[] = [];
  const fixes: string[] = [];
  for (const origin of origins.filter((origin) => origin.endsWith('/'))) {
    oddities.push(`${origin} ends with a slash (dropped)`);
    fixes.push(`write ${origin.replace(/\/+$/, '')}`);
  }
  const bare = origins.map((origin) => origin.replace(/\/+$/, ''));
  const repeated = bare.filter((origin, index) => bare.indexOf(origin) !== index);
  if (repeated.length > 0) oddities.push(`${[...new Set(repeated)].join(', ')} listed more than once`);
  for (const origin of new Set(bare)) {
    if (!URL.canParse(origin)) continue; // start-up has refused it already
    const url = new URL(origin);
    if (schemeVerdict(url) === 'loopback-http') oddities.push(`${origin} is http:// on loopback (a local fake, not SmartRecruiters)`);
    else if (smartRecruiters && url.hostname !== 'smartrecruiters.com' && !url.hostname.endsWith('.smartrecruiters.com')) {
      oddities.push(`${origin} is not a SmartRecruiters host: it may frame the consent page and receive the admin back`);
      fixes.push(`keep it only if it is SmartRecruiters' (${SR_DEFAULT})`);
    }
  }
  if (oddities.length > 0) return warn(check, `${variable}: ${oddities.join('; ')}`, fixes.length > 0 ? fixes.join('; ') : undefined);
  return ok(check, `${variable}: ${[...new Set(bare)].join(', ')}, exact origins`);
}
