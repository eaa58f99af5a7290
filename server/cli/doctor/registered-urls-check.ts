/**
 * Does each URL SmartRecruiters calls (or the admin's browser loads) answer, from here, the way
 * the kit answers? Requested from the doctor process with a short timeout and no redirects
 * followed (the kit's own outbound policy, T37; SR's servers are not documented to follow them
 * either). A wrong status usually means the public URL, the prefix or a reverse proxy in between
 * does not lead to the kit. For the consent page, also whether its framing policy lets
 * SmartRecruiters' POPUP frame show it (a proxy adding its own Content-Security-Policy blocks it).
 */
import type { ResolvedConfig } from '../../config.js';
import { fail, ok, warn, type CheckResult } from './check-result.js';
import { networkFailureReason } from './network-failure.js';
import { registeredUrls, type RegisteredUrl } from './registered-urls.js';

const PROBE_TIMEOUT_MS = 5_000;

export async function checkRegisteredUrls(config: ResolvedConfig, timeoutMs = PROBE_TIMEOUT_MS): Promise<CheckResult[]> {
  // In parallel: a dead host costs one timeout, not one per URL.
  return Promise.all(registeredUrls(config).map((registered) => checkUrl(config, registered, timeoutMs)));
}

async function checkUrl(config: ResolvedConfig, registered: RegisteredUrl, timeoutMs: number): Promise<CheckResult> {
  const check = `url ${registered.name}`;
  let response: Response;
  try {
    response = await fetch(registered.probe, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'user-agent': 'ats-consent-doctor', accept: registered.browser ? 'text/html,*/*' : 'application/json' },
    });
    await response.body?.cancel();
  } catch (error) {
    return fail(
      check,
      `${registered.url}: ${networkFailureReason(error)}`,
      'make the kit reachable at ATS_PUBLIC_URL from outside: is it running, do DNS, TLS certificate, firewall and reverse proxy lead to it?',
    );
  }
  const status = response.status;
  if (status === registered.expectedStatus) {
    const framing = registered.name === 'consentUrl' ? framingProblem(config, response.headers) : undefined;
    if (framing) return fail(check, `${registered.url} answers, but ${framing}`, 'let the kit set the consent page\'s Content-Security-Policy: remove the one your proxy adds on this path');
    return ok(check, `${registered.url} answered ${status}: ${registered.meaning}`);
  }
  if (status >= 300 && status < 400) {
    const target = `${registered.url} redirects (HTTP ${status}) to ${response.headers.get('location') ?? '(no Location)'}`;
    const fix = 'register the URL that answers: set ATS_PUBLIC_URL (and ATS_PREFIX) to it, or stop the redirect in your proxy';
    // A browser follows it; SmartRecruiters' server calls (a POST with credentials) must not depend on it.
    return registered.browser ? warn(check, target, fix) : fail(check, target, fix);
  }
  if (status === 404) {
    return fail(check, `${registered.url} answered 404: the kit does not answer at this path`, `check ATS_PREFIX (now "${config.prefix}") and that your reverse proxy forwards it to the kit`);
  }
  if (status >= 500) {
    return fail(check, `${registered.url} answered ${status}: the kit, or a proxy in front of it, failed`, "check that the kit is running and your proxy reaches it (the kit's log says why)");
  }
  return fail(check, `${registered.url} answered ${status} where the kit answers ${registered.expectedStatus}`, 'check that ATS_PUBLIC_URL leads to the kit and nothing in between answers in its place');
}

/**
 * SmartRecruiters shows the consent page in an iframe on its own origins (POPUP mode). Every
 * Content-Security-Policy a response carries applies, so each one's `frame-ancestors` must allow
 * every allowed SR origin. Undefined when framing is fine or the page is never framed.
 */
export function framingProblem(config: ResolvedConfig, headers: Headers): string | undefined {
  if (config.assessment?.consentDisplayMode === 'REDIRECT') return undefined;
  // fetch joins repeated headers with ", "; a policy list is comma-separated too.
  const policies = (headers.get('content-security-policy') ?? '').split(',');
  const ancestors = policies
    .map((policy) => policy.split(';').map((directive) => directive.trim().split(/\s+/)).find(([name]) => name?.toLowerCase() === 'frame-ancestors'))
    .filter((directive): directive is string[] => directive !== undefined)
    .map(([, ...sources]) => sources);
  if (ancestors.length === 0) {
    return headers.has('x-frame-options') ? `it sends X-Frame-Options: ${headers.get('x-frame-options')} and no frame-ancestors: SmartRecruiters' POPUP frame stays blank` : undefined;
  }
  const refused = config.sr.allowedOrigins.filter((origin) => ancestors.some((sources) => !sources.includes(origin) && !sources.includes('*')));
  return refused.length > 0 ? `its Content-Security-Policy frame-ancestors does not allow ${refused.join(', ')}: SmartRecruiters' POPUP frame stays blank` : undefined;
}
