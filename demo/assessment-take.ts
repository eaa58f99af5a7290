/**
 * The candidate's side of an inline order (seed 003 §3.2), on the partner's own origin:
 *
 * - `GET /assessment/take/<orderId>/<key>`: the take page SR sends the candidate to (the URL the
 *   kit answered SR from the demo's `inlineOrderUrl` hook; the key: assessment-take-keys.ts).
 * - `POST /assessment/take/<orderId>/<key>/finish` (**Finish assessment**): records a COMPLETED result
 *   through `kit.assessment.updateResult` (unless the order already has one: a second click or the
 *   back button records nothing new), waits up to three seconds for SR to hold it so SR's page can
 *   show it, then 303s to the order's stored `completedAssessmentCallbackUrl` — only that URL, which
 *   the kit checked against the SmartRecruiters origins before storing it; nothing from the request.
 *
 * The candidate is not signed in and nothing relies on cookies (third-party or otherwise): the page
 * is top-level on the partner's origin and the key in the URL (an HMAC of the order id under the
 * partner's secret) is the capability. Finish must come from this page (`Origin` check).
 */
import type { Context } from 'koa';
import type { AssessmentOrder } from '../server/assessment/assessment-order.js';
import { AtsServerError } from '../server/errors.js';
import type { ConsentKit } from '../server/kit.js';
import { escapeHtml } from '../server/views/html.js';
import { requireSameOrigin } from './assessment-results.js';

/** How long Finish assessment waits for SR to hold the result before sending the candidate back anyway. */
const FINISH_WAIT_MS = 3_000;
const STYLE = '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>';

export function takePage(ctx: Context, order: AssessmentOrder, path: string, problem?: string): void {
  const orderId = escapeHtml(order.orderId);
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: your assessment</title>
${STYLE}</head>
<body><main><h1>Hello ${escapeHtml(order.candidate.firstName)}: your assessment</h1>
${problem ? `<p role="alert">We could not record your assessment: ${escapeHtml(problem)} Please try again.</p>` : ''}
<p>This is where the candidate takes <strong>${escapeHtml(order.packageId)}</strong> (order ${orderId}).</p>
<form method="post" action="${escapeHtml(path)}/finish"><button type="submit">Finish assessment</button></form>
</main></body></html>`;
}

export async function finishInlineOrder(ctx: Context, kit: ConsentKit, order: AssessmentOrder, callbackUrl: string, path: string): Promise<void> {
  try {
    requireSameOrigin(ctx, kit.config.publicOrigin);
    const current = await kit.assessment.delivery(order.orderId);
    if (current?.result.status !== 'COMPLETED') {
      const now = new Date().toISOString();
      await kit.assessment.updateResult(order.orderId, {
        status: 'COMPLETED',
        score: { raw: 4, min: 0, max: 5 },
        scoreLabel: '4 of 5 answers right',
        summary: `${order.candidate.firstName} finished the assessment on the partner's page.`,
        submissionDate: now,
        assessmentDate: now,
      });
      await waitForDelivery(kit, order.orderId);
    }
  } catch (error) {
    if (!(error instanceof AtsServerError) || !error.expose) throw error;
    ctx.status = error.status;
    takePage(ctx, order, path, error.description);
    return;
  }
  ctx.status = 303;
  ctx.redirect(callbackUrl);
}

async function waitForDelivery(kit: ConsentKit, orderId: string): Promise<void> {
  const until = Date.now() + FINISH_WAIT_MS;
  while (Date.now() < until) {
    if ((await kit.assessment.delivery(orderId))?.state !== 'pending') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
