/**
 * The URLs SmartRecruiters hands us with an order (seed 003 §3): `resultCallbackURL`, where the kit
 * will later send results under SR's customer-level token, and `completedAssessmentCallbackUrl`,
 * where the candidate is sent back. Both come from the body of a request and are only as good as
 * their origin: each must be on a configured SmartRecruiters origin, exactly (scheme, host, port),
 * before it is stored, or the kit could be made to send SR's token elsewhere (T37).
 *
 * The order id is SR's: "you can find the orderId in the path of the resultCallbackURL" (§5.1),
 * a UUID (providers.md §1.4.3 `format: uuid`). The result URL is held to SR's API exactly — its
 * origin and the results path `/assessment-api/v202010/orders/{uuid}/results`, no query — since
 * the kit sends SR's token there and derives the attachment URL from it; the candidate's return URL
 * may be on any configured SR origin (web pages).
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';

const RESULTS_PATH = /^\/assessment-api\/v202010\/orders\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/results\/?$/i;

export function checkResultCallbackUrl(raw: string, apiOrigin: string): { url: string; orderId: string } {
  const url = onSmartRecruiters(raw, [apiOrigin], 'resultCallbackURL');
  const match = RESULTS_PATH.exec(url.pathname);
  if (!match || url.search !== '') throw invalidCallback('resultCallbackURL', 'must be SmartRecruiters’ results URL of the order (/assessment-api/v202010/orders/{orderId}/results)');
  return { url: `${url.origin}${url.pathname.replace(/\/$/, '')}`, orderId: match[1]!.toLowerCase() };
}

export function checkCompletedCallbackUrl(raw: string, srOrigins: readonly string[]): string {
  return onSmartRecruiters(raw, srOrigins, 'completedAssessmentCallbackUrl').href;
}

function onSmartRecruiters(raw: string, srOrigins: readonly string[], name: string): URL {
  // Parsed as the WHATWG URL parser does, then compared as an origin: no prefix or suffix matching.
  if (/[\u0000-\u001f\u007f\\\s]/.test(raw)) throw invalidCallback(name, 'contains characters a URL may not');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidCallback(name, 'is not an absolute URL');
  }
  if (url.username !== '' || url.password !== '') throw invalidCallback(name, 'may not carry credentials');
  if (!srOrigins.includes(url.origin)) throw invalidCallback(name, 'is not on a SmartRecruiters origin this partner accepts');
  if (url.hash !== '') throw invalidCallback(name, 'may not have a fragment');
  return url;
}

function invalidCallback(name: string, problem: string): AtsServerError {
  return new AtsServerError(400, AtsErrorCode.InvalidCallbackUrl, `${name} ${problem}.`);
}
