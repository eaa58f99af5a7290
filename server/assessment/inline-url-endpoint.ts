/**
 * The inline-order URL from the partner's own endpoint (issue 14 item 2), for a standalone kit whose
 * partner backend is not Node: when SmartRecruiters places an inline order (seed 003 §3), the kit
 * POSTs the order to `ATS_ASSESSMENT_INLINE_URL_ENDPOINT` and answers SR with the `url` the
 * endpoint returns: where this candidate takes the assessment.
 *
 * - Signed like the webhook (webhook-signature.ts: `X-Ats-Signature: v2=…` over
 *   `<id>.<timestamp>.<body>` with `ATS_ASSESSMENT_INLINE_URL_SECRET`), so the endpoint can refuse
 *   anyone else; `verifyWebhookSignature` checks it. The id is fresh per call.
 * - Within the hook budget (`hookTimeoutMs`, inside SR's 15 s): the request is aborted at the
 *   budget, so no call outlives it.
 * - Redirects are not followed (the order's personal data goes to the configured URL only), the
 *   answer is read up to 16 KB, and anything but a 200 with `{"url": "…"}` fails the call. The URL
 *   itself is checked by the order intake as any hook's answer is (https, no credentials).
 * - The body is the order as the in-process hook gets it (with the candidate, whom the endpoint
 *   prepares the assessment for), minus the callback URLs, which stay between the kit and SR.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../events/webhook-signature.js';
import { readCapped } from '../oauth/outbound.js';
import type { InlineOrderUrlHook } from './assessment-options.js';
import type { AssessmentOrder } from './assessment-order.js';

const MAX_ANSWER_BYTES = 16 * 1024;

export interface InlineUrlEndpoint {
  url: URL;
  secret: string;
  timeoutMs: number;
}

export function inlineUrlFromEndpoint(endpoint: InlineUrlEndpoint): InlineOrderUrlHook {
  return async (order) => {
    const body = JSON.stringify(requestBody(order));
    const id = randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(endpoint.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(endpoint.timeoutMs),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        [EVENT_ID_HEADER]: id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(endpoint.secret, id, timestamp, body),
      },
      body,
    });
    const answer = await readCapped('inline order URL', response, MAX_ANSWER_BYTES);
    if (response.status !== 200) throw new Error(`the inline order URL endpoint answered ${response.status}`);
    const url = (JSON.parse(new TextDecoder().decode(answer)) as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') throw new Error('the inline order URL endpoint answered no "url"');
    return url;
  };
}

function requestBody(order: AssessmentOrder) {
  return {
    orderId: order.orderId,
    companyId: order.companyId,
    tenantId: order.tenantId,
    packageId: order.packageId,
    jobId: order.jobId,
    candidate: order.candidate,
    fields: order.fields,
    createdAt: order.createdAt.toISOString(),
  };
}
