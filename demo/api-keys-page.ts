/**
 * The demo partner's API keys page (`/api-keys`, issue 14 item 8): the keys of both demo kits (the
 * General Partner kit under /ats and the assessment app under /ats-assessment, each with its own
 * database and so its own keys) with their scopes, tenant, created and last-used dates, a Revoke
 * button, and a form creating one — whose key is shown once, in the answer to that POST, never in
 * a URL, a redirect or a log line.
 *
 * Demo only, like the home page: no sign-in (a real partner puts this behind its own admin sign-in,
 * or uses `ats-consent keys`). The two POSTs are guarded like the kit's own browser actions
 * (request-guards.ts): `Origin` must be the kit's origin (`Sec-Fetch-Site` same-origin when sent),
 * and a CSRF token must match. The page has no session to keep a synchronizer token in, so the
 * token is a double-submit cookie: `__Host-` (no other host or path can plant one) and
 * `SameSite=Strict`, compared in constant time with the form's copy.
 */
import type { Context, Next } from 'koa';
import { ApiKeyRequestError, API_KEY_SCOPES, type ApiKeySummary, type CreatedApiKey } from '../server/api-keys/api-keys.js';
import { randomId } from '../server/crypto/secrets.js';
import { AtsServerError } from '../server/errors.js';
import { readForm } from '../server/http/read-body.js';
import { checkCsrf, checkSameOrigin } from '../server/http/request-guards.js';
import type { ConsentKit } from '../server/kit.js';
import { escapeHtml } from '../server/views/html.js';

const CSRF_COOKIE = '__Host-demo-keys-csrf';
/** How many sent create forms are remembered (a reload re-posting one must not make a second key). */
const REMEMBERED_FORMS = 1_000;
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

interface DemoKit {
  id: 'general' | 'assessment';
  label: string;
  kit: ConsentKit;
}

export function apiKeysPage(general: ConsentKit, assessment: ConsentKit) {
  const kits: DemoKit[] = [
    { id: 'general', label: 'General Partner kit (connections, proxy)', kit: general },
    { id: 'assessment', label: 'Assessment app (orders, results)', kit: assessment },
  ];
  // Each create form carries a one-time id: a reload of the answer posts the form again, and would
  // otherwise create (and show) another key.
  const sentForms = new Set<string>();
  return async function serveApiKeysPage(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/api-keys' && !ctx.path.startsWith('/api-keys/')) return next();
    ctx.set({ 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP, 'referrer-policy': 'same-origin', 'x-content-type-options': 'nosniff' });
    if (ctx.method === 'GET' && ctx.path === '/api-keys') return render(ctx, kits, csrfToken(ctx));
    const action = /^\/api-keys\/(create|revoke)$/.exec(ctx.path)?.[1];
    if (!action || ctx.method !== 'POST') return next();
    try {
      checkSameOrigin(ctx, general.config.publicOrigin);
      const form = await readForm(ctx, 4096);
      checkCsrf(ctx, ctx.cookies.get(CSRF_COOKIE) ?? '\0', form.get('csrf'));
      const target = kits.find((entry) => entry.id === form.get('kit'));
      if (!target) throw new PageError(400, 'Choose a kit.');
      if (action === 'create') {
        const once = form.get('once') ?? '';
        if (sentForms.has(once)) throw new PageError(409, 'This form was already sent, and its key shown once. Create another from the form below if you need one.');
        sentForms.add(once);
        if (sentForms.size > REMEMBERED_FORMS) sentForms.delete(sentForms.values().next().value!);
        const created = await target.kit.apiKeys.create({ name: form.get('name') ?? '', scopes: form.getAll('scope'), tenantId: form.get('tenant')?.trim() || null });
        ctx.status = 201;
        return render(ctx, kits, csrfToken(ctx), { created, kitLabel: target.label });
      }
      const revoked = await target.kit.apiKeys.revoke(form.get('id') ?? '');
      if (!revoked) throw new PageError(404, 'No such live key (already revoked?).');
      // Post/Redirect/Get: a reload does not post again.
      ctx.redirect('/api-keys');
      ctx.status = 303;
    } catch (error) {
      const shown = shownError(error);
      if (!shown) throw error;
      ctx.status = shown.status;
      return render(ctx, kits, csrfToken(ctx), { error: shown.message });
    }
  };
}

/** An error the page shows its user (anything else goes to the app's error handler). */
class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function shownError(error: unknown): PageError | undefined {
  if (error instanceof PageError) return error;
  if (error instanceof ApiKeyRequestError) return new PageError(400, error.message);
  // The guards' 403s, readForm's 413/415: the kit's own messages.
  if (error instanceof AtsServerError && error.expose) return new PageError(error.status, error.description);
  return undefined;
}

/** The page's CSRF token: the cookie's when it has one, else a new one set now. */
function csrfToken(ctx: Context): string {
  const existing = ctx.cookies.get(CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const token = randomId(32);
  ctx.append('set-cookie', `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict`);
  return token;
}

interface Outcome {
  created?: CreatedApiKey;
  kitLabel?: string;
  error?: string;
}

async function render(ctx: Context, kits: DemoKit[], csrf: string, outcome: Outcome = {}): Promise<void> {
  const sections = await Promise.all(kits.map(async (entry) => keysSection(entry, await entry.kit.apiKeys.list(), csrf)));
  const kitOptions = kits.map((entry) => `<option value="${entry.id}">${escapeHtml(entry.label)}</option>`).join('');
  const scopes = API_KEY_SCOPES.map((scope) => `<label><input type="checkbox" name="scope" value="${scope}"${scope === 'read' ? ' checked' : ''}> ${scope}</label>`).join(' ');
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Assessments: partner API keys</title>
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}
form.inline{display:inline}fieldset{border:1px solid #ccc;border-radius:6px;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.new-key{background:#fff8dc;border:1px solid #d4b106;border-radius:6px;padding:.5rem 1rem}.new-key code{font-size:1.1rem;user-select:all}.error{color:#a40000}</style></head>
<body><main><h1>Partner API keys</h1>
<p>Keys for the partner API (<code>Authorization: Bearer &lt;key&gt;</code>), one list per kit. A key is shown once, when it is created; the kit stores only its HMAC.
Demo only: a real partner uses <code>npx ats-consent keys</code>, or puts such a page behind its own admin sign-in. <a href="/">Back to the partner's site</a>.</p>
${outcome.error ? `<p class="error" role="alert">${escapeHtml(outcome.error)}</p>` : ''}
${outcome.created ? newKeyNotice(outcome.created, outcome.kitLabel!) : ''}
<h2>Create a key</h2>
<form method="post" action="/api-keys/create"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="once" value="${randomId(16)}"><fieldset><legend>New key</legend>
 <label for="key-kit">Kit</label> <select id="key-kit" name="kit">${kitOptions}</select>
 <label for="key-name">Name</label> <input id="key-name" name="name" maxlength="100" required>
 <span role="group" aria-label="Scopes">Scopes: ${scopes}</span>
 <label for="key-tenant">Tenant (optional)</label> <input id="key-tenant" name="tenant" maxlength="200" placeholder="every tenant">
 <button type="submit">Create key</button></fieldset></form>
${sections.join('\n')}
</main></body></html>`;
}

function newKeyNotice(created: CreatedApiKey, kitLabel: string): string {
  return `<section class="new-key" aria-label="New key"><h2>Key created: copy it now</h2>
<p>${escapeHtml(created.name)} (${escapeHtml(kitLabel)}): <code id="new-key">${escapeHtml(created.key)}</code></p>
<p>It is shown this once and cannot be read again; revoke it and create another if it is lost.</p></section>`;
}

function keysSection(entry: DemoKit, keys: ApiKeySummary[], csrf: string): string {
  const when = (date: Date | null, none: string) => (date ? `<time datetime="${date.toISOString()}">${date.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>` : none);
  const rows = keys.map(
    (key) => `<tr><td>${escapeHtml(key.name)}</td><td><code>${escapeHtml(key.id)}</code></td><td>${key.scopes.join(', ')}</td><td>${escapeHtml(key.tenantId ?? 'every tenant')}</td>
<td>${when(key.createdAt, '')}</td><td>${when(key.lastUsedAt, 'never')}</td><td>${
      key.revokedAt
        ? `revoked ${when(key.revokedAt, '')}`
        : `<form class="inline" method="post" action="/api-keys/revoke"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="kit" value="${entry.id}"><input type="hidden" name="id" value="${escapeHtml(key.id)}"><button type="submit" aria-label="Revoke ${escapeHtml(key.name)}">Revoke</button></form>`
    }</td></tr>`,
  );
  return `<section aria-labelledby="keys-${entry.id}"><h2 id="keys-${entry.id}">${escapeHtml(entry.label)}: <code>${escapeHtml(entry.kit.paths.partnerApi)}</code></h2>
<table aria-label="${escapeHtml(entry.label)} keys"><thead><tr><th>Name</th><th>Id</th><th>Scopes</th><th>Tenant</th><th>Created</th><th>Last used</th><th>State</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7">No keys yet.</td></tr>'}</tbody></table></section>`;
}
