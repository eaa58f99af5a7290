/**
 * The assessment vendor's own pages in the demo (the partner's side of seed 003):
 *
 * - `/assessment`: the orders SmartRecruiters placed for the signed-in tenant. The admin signs in
 *   through `<ats-consent mode="connections">` of the assessment kit; the list refreshes itself.
 * - `/assessment/take/<orderId>`: where an inline order sends the candidate (the URL the kit
 *   answered SmartRecruiters, from the demo's `inlineOrderUrl` hook); **Finish assessment** sends
 *   the candidate back to SR's `completedAssessmentCallbackUrl`, which the kit checked against the
 *   SmartRecruiters origins before storing it.
 */
import type { Context, Next } from 'koa';
import type { ConsentKit } from '../server/kit.js';
import { escapeHtml } from '../server/views/html.js';

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self' {sr}; frame-ancestors 'none'";
const ORDER_ID = /^[0-9a-f-]{36}$/;

export function assessmentPages(kit: ConsentKit, srUrl: string) {
  return async function serveAssessmentPages(ctx: Context, next: Next): Promise<void> {
    if (!ctx.path.startsWith('/assessment')) return next();
    ctx.set({ 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP.replace('{sr}', srUrl) });
    if (ctx.method === 'GET' && ctx.path === '/assessment') return ordersPage(ctx, kit);
    if (ctx.method === 'GET' && ctx.path === '/assessment/orders.json') return ordersJson(ctx, kit);
    if (ctx.method === 'GET' && ctx.path === '/assessment/orders.js') return ordersScript(ctx);
    const take = /^\/assessment\/take\/([^/]+)(\/finish)?$/.exec(ctx.path);
    if (take && ORDER_ID.test(take[1]!)) {
      const order = await kit.assessment.orders.get(take[1]!);
      if (!order || order.kind !== 'inline') return next();
      if (ctx.method === 'GET' && !take[2]) return takePage(ctx, order.orderId, order.candidate.firstName, order.packageId);
      if (ctx.method === 'POST' && take[2] && order.completedAssessmentCallbackUrl) {
        ctx.status = 303;
        ctx.redirect(order.completedAssessmentCallbackUrl);
        return;
      }
    }
    return next();
  };
}

function ordersPage(ctx: Context, kit: ConsentKit): void {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: orders from SmartRecruiters</title>
<script type="module" src="${kit.paths.widgetScript}"></script>
<script type="module" src="/assessment/orders.js"></script>
<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><main><h1>Orders from SmartRecruiters</h1>
<p>Sign in to see the assessment orders SmartRecruiters placed for your account.</p>
<ats-consent mode="connections" endpoint="${kit.paths.connect}"></ats-consent>
<h2>Your orders</h2>
<p id="orders-status" role="status">Not signed in.</p>
<table aria-label="Assessment orders"><thead><tr><th>Order</th><th>Company</th><th>Kind</th><th>Package</th><th>Candidate</th><th>Job</th><th>Received</th></tr></thead><tbody id="orders"></tbody></table>
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
    orders: orders.map((order) => ({
      orderId: order.orderId,
      companyId: order.companyId,
      kind: order.kind,
      packageId: order.packageId,
      candidate: `${order.candidate.firstName} ${order.candidate.lastName}`,
      jobId: order.jobId,
      createdAt: order.createdAt.toISOString(),
    })),
  };
}

/** Polls the tenant's orders and renders them with textContent only. */
function ordersScript(ctx: Context): void {
  ctx.type = 'application/javascript';
  ctx.body = `const body = document.getElementById('orders');
const status = document.getElementById('orders-status');
async function refresh() {
  const answer = await (await fetch('/assessment/orders.json', { credentials: 'same-origin' })).json();
  const count = answer.orders.length === 1 ? '1 order' : answer.orders.length + ' orders';
  status.textContent = answer.signedIn ? count + ' for ' + answer.tenantId + '.' : 'Not signed in.';
  body.replaceChildren(...answer.orders.map((order) => {
    const row = document.createElement('tr');
    for (const value of [order.orderId, order.companyId, order.kind, order.packageId, order.candidate, order.jobId, order.createdAt]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  }));
}
refresh();
setInterval(refresh, 1500);
`;
}

function takePage(ctx: Context, orderId: string, firstName: string, packageId: string): void {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: your assessment</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style></head>
<body><main><h1>Hello ${escapeHtml(firstName)}: your assessment</h1>
<p>This is where the candidate takes <strong>${escapeHtml(packageId)}</strong> (order ${escapeHtml(orderId)}).</p>
<form method="post" action="/assessment/take/${escapeHtml(orderId)}/finish"><button type="submit">Finish assessment</button></form>
</main></body></html>`;
}
