/**
 * Every URL of the kit that SmartRecruiters calls or the admin's browser loads, with a harmless
 * request that shows the kit itself answers there, and the status it answers with: the consent
 * page renders for a syntactically valid company id; POST- and DELETE-only routes answer a GET
 * with 405 (the kit's router), bearer-protected routes answer 401 before anything else. Nothing
 * is created or changed by these requests.
 *
 * General Partner (seed 001 §1): consentUrl, oauthTokenUrl, callbackUrl. Assessment (seed 003
 * §1.2, partner-configuration.ts): consentUrl, oauthTokenUrl and the assessment endpoints, where
 * SR appends the package id and the company id to the registered collection URLs.
 */
import type { ResolvedConfig } from '../../config.js';
import { kitPaths } from '../../services.js';

export interface RegisteredUrl {
  /** SmartRecruiters' name for it, or what loads it. */
  name: string;
  /** As registered. */
  url: string;
  /** What doctor requests (GET). */
  probe: string;
  expectedStatus: number;
  /** What the expected status shows. */
  meaning: string;
  /** Loaded by the admin's browser (which follows redirects) rather than called by SmartRecruiters' servers. */
  browser: boolean;
}

/** Valid for the consent page's company-id check, and no company anyone has. */
const PROBE_ID = 'ats-consent-doctor';

export function registeredUrls(config: ResolvedConfig): RegisteredUrl[] {
  const paths = kitPaths(config);
  const at = (path: string) => config.publicOrigin + path;
  const entry = (name: string, path: string, probeSuffix: string, expectedStatus: number, meaning: string, browser = false): RegisteredUrl => ({
    name,
    url: at(path),
    probe: at(path) + probeSuffix,
    expectedStatus,
    meaning,
    browser,
  });
  const postOnly = "the kit's POST route is there";
  const bearer = "the kit's route is there and wants SmartRecruiters' token";
  const urls = [
    entry('consentUrl', paths.consentPage, `?companyId=${PROBE_ID}`, 200, 'the consent page renders', true),
    entry('widget script', paths.widgetScript, '', 200, 'the consent page can load its script', true),
    entry('oauthTokenUrl', paths.token, '', 405, postOnly),
  ];
  if (!config.assessment) return [...urls, entry('callbackUrl', paths.callback, '', 405, postOnly)];
  return [
    ...urls,
    entry('assessmentPackageListUrl', paths.assessmentPackages, '', 401, bearer),
    entry('singleAssessmentPackageUrl', paths.assessmentPackages, `/${PROBE_ID}`, 401, bearer),
    entry('packageOrderUrl', paths.assessmentOrders, '', 405, postOnly),
    ...(config.assessment.inlineOrderUrl ? [entry('inlineAssessmentPackageOrderUrl', paths.assessmentInlineOrders, '', 405, postOnly)] : []),
    entry('integrationDisableUrl', paths.assessmentCompanies, `/${PROBE_ID}`, 405, "the kit's DELETE route is there"),
  ];
}
