/**
 * The fake SmartRecruiters "Apps & Integrations" page, for QA: enable the integration in POPUP
 * (iframe) or REDIRECT mode, inject faults, watch every postMessage that arrives (with its origin)
 * and the list of confirmed integrations. After a POPUP completes it closes the iframe and refreshes
 * the list, as seed 001 §4 says SmartRecruiters does.
 */
import type { PageLinks } from './fake-smartrecruiters.js';
import { FAULT_KINDS } from './fake-smartrecruiters.js';

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function renderQaPage(links: PageLinks | undefined, query: URLSearchParams): string {
  const consentUrl = links?.consentUrl ?? '';
  const returnUrl = links?.returnUrl ?? '';
  const error = query.get('error');
  const returned = query.has('returned');
  const banner = error
    ? `<p id="return-banner" class="banner bad">The partner returned without enabling: <code>error=${escape(error)}</code></p>`
    : returned
      ? '<p id="return-banner" class="banner good">Back from the partner. The list below shows what SmartRecruiters confirmed.</p>'
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SmartRecruiters (fake) · Apps &amp; Integrations</title>
<style>
 body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
 header{background:#0d2b45;color:#fff;padding:.75rem 1.5rem} header a{color:#cfe3ff} main{padding:1rem 1.5rem;display:grid;gap:1rem;max-width:70rem}
 section{background:#fff;border-radius:8px;padding:1rem;border:1px solid #ddd} h2{margin-top:0;font-size:1.1rem}
 .banner{padding:.5rem 1rem;border-radius:6px}.good{background:#e7f6ec}.bad{background:#fdecec}
 #popup{position:fixed;inset:0;background:rgba(0,0,0,.45);display:grid;place-items:center}
 #popup[hidden]{display:none} #popup .frame{background:#fff;border-radius:10px;padding:.5rem;width:min(560px,95vw)}
 #popup iframe{border:0;width:100%;height:560px} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;font-size:.9rem}
 #message-log{font-family:ui-monospace,monospace;font-size:.8rem;max-height:14rem;overflow:auto}
</style></head>
<body data-consent-url="${escape(consentUrl)}" data-return-url="${escape(returnUrl)}">
<header><strong>SmartRecruiters</strong> (fake, for QA) · Settings › Apps &amp; Integrations · <a href="/assessment">Assessment partner page</a></header>
<main>
${banner}
<section aria-labelledby="enable-title"><h2 id="enable-title">Partner app: enable for a company</h2>
 <label>Company ID <input id="company-id" value="ACME-1"></label>
 <button id="enable-popup" type="button">Enable (POPUP)</button>
 <button id="enable-redirect" type="button">Enable (REDIRECT)</button>
</section>
<section aria-labelledby="faults-title"><h2 id="faults-title">Faults for the next integrations request</h2>
 <label>Fault <select id="fault"><option value="none">none (clear)</option>${FAULT_KINDS.map((kind) => `<option>${kind}</option>`).join('')}</select></label>
 <label>Times <input id="fault-times" type="number" min="1" max="100" value="1"></label>
 <button id="apply-fault" type="button">Apply</button> <span id="fault-status" role="status"></span>
</section>
<section aria-labelledby="integrations-title"><h2 id="integrations-title">Confirmed integrations</h2>
 <table><thead><tr><th>Company</th><th>Integration id</th><th>Partner client id</th><th>Created</th><th>Action</th></tr></thead><tbody id="integrations"></tbody></table>
 <p id="disable-result" role="status"></p>
 <p>Token requests: <span id="token-count">0</span> · Integration requests: <span id="integration-count">0</span></p>
</section>
<section aria-labelledby="log-title"><h2 id="log-title">postMessage events received by this page</h2><ol id="message-log"></ol></section>
</main>
<div id="popup" hidden><div class="frame" role="dialog" aria-label="Connect the partner app">
 <iframe id="consent-frame" title="Partner consent"></iframe>
 <button id="close-popup" type="button">Close</button></div></div>
<script>
(() => {
  const consentUrl = document.body.dataset.consentUrl;
  const returnUrl = document.body.dataset.returnUrl;
  const consentOrigin = new URL(consentUrl).origin;
  const $ = (id) => document.getElementById(id);
  const frame = $('consent-frame');
  const companyUrl = (extra) => {
    const url = new URL(consentUrl);
    url.searchParams.set('companyId', $('company-id').value);
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return url.href;
  };
  async function refresh() {
    const state = await (await fetch('/__fake/state')).json();
    $('token-count').textContent = state.counts.tokenRequests;
    $('integration-count').textContent = state.counts.integrationRequests;
    const body = $('integrations');
    body.replaceChildren(...state.integrations.map((row) => {
      const tr = document.createElement('tr');
      for (const value of [row.companyId, row.integrationId, row.partnerClientId ?? '', row.createdAt]) {
        const td = document.createElement('td'); td.textContent = value; tr.append(td);
      }
      const action = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Disable integration';
      button.setAttribute('aria-label', 'Disable integration for ' + row.companyId);
      button.addEventListener('click', () => disable(row.companyId));
      action.append(button);
      tr.append(action);
      return tr;
    }));
  }
  async function disable(companyId) {
    const response = await fetch('/__fake/disable', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyId }) });
    const outcome = await response.json();
    $('disable-result').textContent = 'Disabled ' + outcome.companyId + ': token ' + outcome.tokenStatus + ', callback ' + outcome.callbackStatus +
      (outcome.problems.length ? ' — problems: ' + outcome.problems.join('; ') : ' — partner notified');
    refresh();
  }
  function closePopup() { $('popup').hidden = true; frame.removeAttribute('src'); }
  $('enable-popup').addEventListener('click', () => { frame.src = companyUrl({}); $('popup').hidden = false; });
  $('enable-redirect').addEventListener('click', () => {
    const back = new URL(returnUrl); back.searchParams.set('returned', '1');
    location.assign(companyUrl({ redirect: back.href }));
  });
  $('close-popup').addEventListener('click', closePopup);
  $('apply-fault').addEventListener('click', async () => {
    const response = await fetch('/__fake/faults', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: $('fault').value, times: Number($('fault-times').value) }) });
    $('fault-status').textContent = response.ok ? 'Applied' : 'Rejected';
  });
  window.addEventListener('message', (event) => {
    const li = document.createElement('li');
    let text; try { text = JSON.stringify(event.data); } catch { text = String(event.data); }
    li.textContent = event.origin + ' ' + text;
    $('message-log').append(li);
    const data = event.data;
    if (event.origin === consentOrigin && event.source === frame.contentWindow && data && data.ns === 'ats' && data.type === 'ats:consent-result') {
      closePopup();
      refresh();
    }
  });
  refresh();
})();
</script>
</body></html>`;
}
