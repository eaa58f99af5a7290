/**
 * The URLs SmartRecruiters hands us with an order (seed 003 §3): `resultCallbackURL`, where the kit
 * will later send results under SR's customer-level token, and `completedAssessmentCallbackUrl`,
 * where the candidate is sent back. Both come from the body of a request and are only as good as
 * their origin: each must be on a configured SmartRecruiters origin, exactly (scheme, host, port),
 * before it is stored, or the kit could be made to send SR's token elsewhere (T37).
 *
 * The order id is SR's: "you can find the orderId in the path of the resultCallbackURL" (§5.1),
 * a UUID (providers.md §1.4.3 `format: uuid`). Exactly one UUID segment must be there.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkResultCallbackUrl(raw: string, srOrigins: readonly string[]): { url: string; orderId: string } {
  const url = onSmartRecruiters(raw, srOrigins, 'resultCallbackURL');
  const ids = url.pathname.split('/').filter((segment) => UUID.test(segment));
  if (ids.length !== 1) throw invalidCallback('resultCallbackURL', 'must hold the order id (one UUID) in its path');
  return { url: url.href, orderId: ids[0]!.toLowerCase() };
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
