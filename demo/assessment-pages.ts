/**
 * The assessment vendor's own pages in the demo (the partner's side of seed 003):
 *
 * - `/assessment`: the orders SmartRecruiters placed for the signed-in tenant. The admin signs in
 *   through `<ats-consent mode="connections">` of the assessment kit; the list refreshes itself
 *   (`/assessment/orders.json`, `/assessment/orders.js`). Each order has a region named by its id
 *   with its result delivery and the forms "Send status", "Send result" and (standard orders)
 *   "Send attachment", posting to the endpoints of assessment-results.ts.
 * - `/assessment/take/<orderId>/<key>`: where an inline order sends the candidate; **Finish assessment**
 *   records the result and sends the candidate back to SR (assessment-take.ts).
 */
import type { Context, Next } from 'koa';
import type { ConsentKit } from '../server/kit.js';
import { ORDERS_SCRIPT } from './assessment-orders-script.js';
import { deliveryView, ORDER_ID, sendForOrder } from './assessment-results.js';
import { finishInlineOrder, takePage } from './assessment-take.js';
import type { TakeKeys } from './assessment-take-keys.js';

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self' {sr}; frame-ancestors 'none'; base-uri 'none'";

export function assessmentPages(kit: ConsentKit, srUrl: string, keys: TakeKeys) {
  return async function serveAssessmentPages(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/assessment' && !ctx.path.startsWith('/assessment/')) return next();
    // `same-origin`: the take page's URL (the order id is its capability) never goes to another site in a Referer,
    // and same-origin POSTs keep their Origin header (with `no-referrer` Chromium would send `Origin: null`).
    ctx.set({ 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP.replace('{sr}', srUrl), 'referrer-policy': 'same-origin', 'x-content-type-options': 'nosniff' });
    if (ctx.method === 'GET' && ctx.path === '/assessment') return ordersPage(ctx, kit);
    if (ctx.method === 'GET' && ctx.path === '/assessment/orders.json') return ordersJson(ctx, kit);
    if (ctx.method === 'GET' && ctx.path === '/assessment/orders.js') return ordersScript(ctx);
    const send = /^\/assessment\/orders\/([^/]+)\/(result|attachment)$/.exec(ctx.path);
    if (send && ctx.method === 'POST') return sendForOrder(ctx, kit, send[1]!, send[2] as 'result' | 'attachment');
    const take = /^\/assessment\/take\/([^/]+)\/([^/]+)(\/finish)?$/.exec(ctx.path);
    if (take && ORDER_ID.test(take[1]!) && keys.matches(take[1]!, take[2]!)) {
      const order = await kit.assessment.orders.get(take[1]!);
      if (!order || order.kind !== 'inline') return next();
      if (ctx.method === 'GET' && !take[3]) return takePage(ctx, order, keys.path(order.orderId));
      if (ctx.method === 'POST' && take[3] && order.completedAssessmentCallbackUrl) return finishInlineOrder(ctx, kit, order, order.completedAssessmentCallbackUrl, keys.path(order.orderId));
    }
    return next();
  };
}

const STATUSES = ['IN_PROGRESS', 'PENDING', 'COMPLETED', 'REJECTED', 'EXPIRED'];

function ordersPage(ctx: Context, kit: ConsentKit): void {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: orders from SmartRecruiters</title>
<script type="module" src="${kit.paths.widgetScript}"></script>
<script type="module" src="/assessment/orders.js"></script>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}
.order{border:1px solid #ccc;border-radius:8px;padding:.25rem 1rem 1rem;margin:1rem 0}.order h3{font-size:1rem}
.order form{margin:.5rem 0}.order fieldset{border:1px solid #ddd;border-radius:6px;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.order .field{display:flex;flex-direction:column;font-size:.9rem}.order fieldset fieldset{flex-basis:100%}
.delivery{font-weight:600}.outcome{color:#0b5394}.outcome.bad{color:#a40000}</style></head>
<body><main><h1>Orders from SmartRecruiters</h1>
<p>Sign in to see the assessment orders SmartRecruiters placed for your account.</p>
<ats-consent mode="connections" endpoint="${kit.paths.connect}"></ats-consent>
<h2>Your orders</h2>
<p id="orders-status" role="status">Not signed in.</p>
<table aria-label="Assessment orders"><thead><tr><th>Order</th><th>Company</th><th>Kind</th><th>Package</th><th>Candidate</th><th>Job</th><th>Received</th></tr></thead><tbody id="orders"></tbody></table>
<h2>Results for SmartRecruiters</h2>
<p>Each order below shows what SmartRecruiters should hold and how its delivery went; the kit keeps retrying until SmartRecruiters answers.</p>
<div id="order-results"></div>
<template id="order-template"><section class="order">
 <h3>Order <code data-name></code></h3>
 <p data-about></p>
 <p class="delivery" role="status" aria-label="Delivery" data-delivery></p>
 <p data-expected></p>
 <ul data-files aria-label="Attachment files" hidden></ul>
 <form data-send="status" novalidate><fieldset><legend>Send a status</legend>
  <span class="field"><label for="f-status">Status</label><select id="f-status" name="status">${STATUSES.map((status) => `<option>${status}</option>`).join('')}</select></span>
  <button type="submit">Send status</button></fieldset></form>
 <form data-send="result" novalidate><fieldset><legend>Send a result (status COMPLETED)</legend>
  <span class="field"><label for="f-raw">Raw score</label><input id="f-raw" name="raw" type="number" step="1" inputmode="numeric"></span>
  <span class="field"><label for="f-min">Minimum score</label><input id="f-min" name="min" type="number" step="1" value="0"></span>
  <span class="field"><label for="f-max">Maximum score</label><input id="f-max" name="max" type="number" step="1" value="100"></span>
  <span class="field"><label for="f-scoreLabel">Score label</label><input id="f-scoreLabel" name="scoreLabel" maxlength="256"></span>
  <span class="field"><label for="f-summary">Summary</label><textarea id="f-summary" name="summary" rows="2" maxlength="4096"></textarea></span>
  <span class="field"><label for="f-linkType">Link type</label><select id="f-linkType" name="linkType"><option>VIDEO_URL</option><option>PDF_URL</option><option>OTHER_URL</option></select></span>
  <span class="field"><label for="f-linkUrl">Link URL (https)</label><input id="f-linkUrl" name="linkUrl" type="url" placeholder="https://"></span>
  <fieldset><legend>One assessment's result (optional)</legend>
   <span class="field"><label for="f-assessmentId">Assessment id</label><input id="f-assessmentId" name="assessmentId"></span>
   <span class="field"><label for="f-assessmentStatus">Assessment status</label><select id="f-assessmentStatus" name="assessmentStatus"><option value="">(none)</option>${STATUSES.map((status) => `<option>${status}</option>`).join('')}</select></span>
   <span class="field"><label for="f-assessmentRaw">Assessment raw score</label><input id="f-assessmentRaw" name="assessmentRaw" type="number" step="1"></span>
  </fieldset>
  <button type="submit">Send result</button></fieldset></form>
 <form data-send="attachment" novalidate><fieldset><legend>Send an attachment file</legend>
  <span class="field"><label for="f-file">Attachment file</label><input id="f-file" name="file" type="file"></span>
  <button type="submit">Send attachment</button></fieldset></form>
 <p data-inline-note hidden>SmartRecruiters takes no attachment files for inline orders: send a link with the result instead.</p>
 <p class="outcome" role="status" aria-label="Last send" data-outcome></p>
</section></template>
</main></body></html>`;
}

async function ordersJson(ctx: Context, kit: ConsentKit): Promise<void> {
  const user = await kit.signedInUser(ctx);
  if (!user) {
    ctx.body = { signedIn: false, orders: [] };
    return;
  }
  const orders = await kit.assessment.orders.list({ tenantId: user.tenantId, limit: 50 });
  ctx.body = {
    signedIn: true,
    tenantId: user.tenantId,
    orders: await Promise.all(
      orders.map(async (order) => ({
        orderId: order.orderId,
        companyId: order.companyId,
        kind: order.kind,
        packageId: order.packageId,
        candidate: `${order.candidate.firstName} ${order.candidate.lastName}`,
        jobId: order.jobId,
        createdAt: order.createdAt.toISOString(),
        delivery: await deliveryView(kit, order.orderId),
      })),
    ),
  };
}

function ordersScript(ctx: Context): void {
  ctx.type = 'application/javascript';
  ctx.body = ORDERS_SCRIPT;
}
