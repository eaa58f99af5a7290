/**
 * The partner's own home page in the demo: where it points QA people, and the integrations the
 * kit holds (read through the programmatic API, no secrets shown).
 */
import type { Context, Next } from 'koa';
import type { ConsentKit } from '../server/kit.js';
import { escapeHtml } from '../server/views/html.js';


export function partnerHome(kit: ConsentKit, srUrl: string) {
  return async function showPartnerHome(ctx: Context, next: Next): Promise<void> {
    if (ctx.method === 'GET' && ctx.path === '/embedded') return showEmbedded(ctx, kit);
    if (ctx.method === 'GET' && ctx.path === '/connections') return showConnections(ctx, kit);
    if (ctx.method !== 'GET' || ctx.path !== '/') return next();
    const rows = (await kit.integrations.list())
      .map((row) => `<tr><td>${escapeHtml(row.companyId)}</td><td>${escapeHtml(row.tenantId)}</td><td>${row.state}</td><td>${escapeHtml(row.srIntegrationId ?? '')}</td></tr>`)
      .join('');
    ctx.set({ 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" });
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments (demo partner)</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>Acme Assessments: the partner's site (demo)</h1>
<p>Start on the <a href="${escapeHtml(srUrl)}/">fake SmartRecruiters Apps &amp; Integrations page</a> and enable the integration.</p>
<p>Or see <a href="/embedded?companyId=ACME-EMBEDDED">the widget embedded in a partner page</a>, themed with <code>--ats-*</code> properties and <code>::part</code>.</p>
<p>Who may connect which company is this partner's decision (the kit's <code>authorizeCompany</code> hook): in this demo, company ids starting with <code>ACME</code> can only be connected by Acme's admin and <code>GLOBEX</code> by Globex's; any other id by whoever approves first. A company stays with that tenant until the partner relinks it or the integration is disabled.</p>
<p>Connect <a href="/connections">TE Recruit, CareerPlug and Total Expert</a> (fake providers) from the partner's settings page.</p>
<p>The partner API's <a href="/api-keys">API keys</a>: create, list, revoke (<code>npm run example:python</code> runs the Python example against this demo).</p>
<h2>Integrations held by the kit</h2>
<table><thead><tr><th>Company</th><th>Tenant</th><th>State</th><th>SmartRecruiters integration</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`;
  };
}

/**
 * `<ats-consent>` embedded in one of the partner's own pages: one module script plus the tag,
 * themed from outside through `--ats-*` custom properties and `::part()`.
 */
function showEmbedded(ctx: Context, kit: ConsentKit): void {
  const companyId = /^[A-Za-z0-9_-]{1,64}$/.test(String(ctx.query.companyId)) ? String(ctx.query.companyId) : 'ACME-EMBEDDED';
  ctx.set({
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  });
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: settings</title>
<script type="module" src="${kit.paths.widgetScript}"></script>
<style>
  body { font-family: Georgia, serif; background: #faf7f2; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  ats-consent { --ats-color-accent: rgb(122, 28, 84); --ats-radius: 2px; --ats-font-family: Georgia, serif; }
  ats-consent::part(consent-button) { text-transform: uppercase; }
</style></head>
<body><main><h1>Settings › Integrations</h1>
<ats-consent endpoint="${kit.paths.consentPage}" company-id="${companyId}"></ats-consent>
<p id="event-log" aria-live="polite"></p></main></body></html>`;
}

/** The partner's settings page offering the provider connections (`<ats-consent mode="connections">`). */
function showConnections(ctx: Context, kit: ConsentKit): void {
  const pageMode = ctx.query.mode === 'page' ? ' connect-mode="page"' : '';
  ctx.set({
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  });
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: connected systems</title>
<script type="module" src="${kit.paths.widgetScript}"></script>
<style>body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }</style></head>
<body><main><h1>Settings › Connected systems</h1>
<ats-consent mode="connections" endpoint="${kit.paths.connect}"${pageMode}></ats-consent></main></body></html>`;
}
