/**
 * The fake SmartRecruiters "Assessment" QA page (`/assessment`) and the candidate's return page
 * (`/assessment/candidate-done?order=…`). Server-rendered structure with every value escaped; the
 * behaviour lives in an external script (fake-sr-assessment-page-script.ts) that builds dynamic
 * content with textContent only, so the page runs under a CSP without 'unsafe-inline' scripts.
 *
 * Landmarks for browser tests and outside QA clients: one region per company named by its id
 * (the free-text one is "Other company"), one group per candidate named by the candidate's name,
 * and the buttons "Enable (POPUP)", "Enable (REDIRECT)", "Disable", "Order assessment",
 * "Apply as candidate".
 */
import type { AssessmentOrder } from './fake-sr-assessment.js';
import { EXCHANGE_FAULTS, READ_FAULTS, RESULT_FAULTS, type FaultTarget } from './fake-sr-assessment-api.js';
import { DEFAULT_COMPANY, DEMO_COMPANIES, type DemoCompany, type DemoJob } from './fake-sr-assessment-data.js';
import type { PartnerConfiguration } from './fake-sr-assessment-schemas.js';

export { ASSESSMENT_PAGE_SCRIPT } from './fake-sr-assessment-page-script.js';

export const ASSESSMENT_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src http: https:; object-src 'none'; base-uri 'none'; form-action 'self'";

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `
 body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
 header{background:#0d2b45;color:#fff;padding:.75rem 1.5rem} header a{color:#cfe3ff}
 main{padding:1rem 1.5rem;display:grid;gap:1rem;max-width:75rem}
 section{background:#fff;border-radius:8px;padding:1rem;border:1px solid #ddd} h2{margin-top:0;font-size:1.1rem}
 .banner{padding:.5rem 1rem;border-radius:6px}.good{background:#e7f6ec}.bad{background:#fdecec}
 .candidates{list-style:none;padding:0;display:grid;gap:.75rem}
 .candidate{border:1px solid #e5e7eb;border-radius:6px;padding:.5rem .75rem}
 .orders li{font-size:.9rem;margin:.25rem 0} .orders ol{margin:.25rem 0} .rate{font-family:ui-monospace,monospace;font-size:.8rem}
 .orders dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.25rem 0} .orders dt{font-weight:600} .orders dd{margin:0} pre{white-space:pre-wrap;font-size:.8rem;background:#f8fafc;padding:.5rem;max-height:16rem;overflow:auto}
 #popup{position:fixed;inset:0;background:rgba(0,0,0,.45);display:grid;place-items:center}
 #popup[hidden]{display:none} #popup .frame{background:#fff;border-radius:10px;padding:.5rem;width:min(560px,95vw)}
 #popup iframe{border:0;width:100%;height:560px}`;

function location(job: DemoJob): string {
  const { city, regionCode, countryCode, postalCode, address, remote } = job.location;
  return [address, postalCode, city, regionCode, countryCode.toUpperCase()].filter(Boolean).join(', ') + (remote ? ' (remote)' : '');
}

function companySection(company: DemoCompany | null, index: number): string {
  const data = company ?? { id: '', ...DEFAULT_COMPANY };
  const headingId = `company-${index}`;
  const heading = company
    ? `<h2 id="${headingId}">${escape(company.id)}</h2>`
    : `<h2 id="${headingId}">Other company</h2><label>Company ID <input data-company-input value="COMPANY-1" autocomplete="off"></label>`;
  const candidates = data.candidates.map((candidate, candidateIndex) => {
    const job = data.jobs.find((entry) => entry.id === candidate.jobId);
    const nameId = `candidate-${index}-${candidateIndex}`;
    return `<li class="candidate" role="group" aria-labelledby="${nameId}" data-candidate="${escape(candidate.id)}">
   <strong id="${nameId}">${escape(`${candidate.firstName} ${candidate.lastName}`)}</strong>
   · ${escape(candidate.email)} · language ${escape(candidate.applicationLanguage)}
   · job <em>${escape(job?.title ?? '?')}</em> (${escape(job ? location(job) : '')})
   <div><button type="button" data-action="order">Order assessment</button>
   <button type="button" data-action="apply">Apply as candidate</button></div>
   <p data-result role="status"></p>
   <ul data-packages aria-label="Packages offered by the partner"></ul>
   <h3>Orders</h3><ul class="orders" data-orders><li>None yet.</li></ul>
  </li>`;
  });
  return `<section class="company" aria-labelledby="${headingId}"${company ? ` data-company="${escape(company.id)}"` : ''}>
 ${heading}
 <p data-status role="status">Consent: no · Integrated: no</p>
 <div><button type="button" data-action="enable-popup">Enable (POPUP)</button>
 <button type="button" data-action="enable-redirect">Enable (REDIRECT)</button>
 <button type="button" data-action="disable">Disable</button></div>
 <p data-company-result role="status"></p>
 <ul class="candidates" aria-label="Candidates">${candidates.join('')}</ul>
</section>`;
}

const FAULT_BUTTONS: Record<FaultTarget, string> = { exchange: 'Apply exchange fault', results: 'Apply result fault', reads: 'Apply read fault' };

function faultControls(target: FaultTarget, label: string, kinds: readonly string[]): string {
  return `<div role="group" aria-labelledby="fault-${target}-label"><p id="fault-${target}-label">${escape(label)}</p>
 <label>Fault <select id="fault-${target}"><option value="none">none (clear)</option>${kinds.map((kind) => `<option>${escape(kind)}</option>`).join('')}</select></label>
 <label>Times <input id="fault-${target}-times" type="number" min="1" max="100" value="1"></label>
 <button type="button" data-fault-target="${target}">${FAULT_BUTTONS[target]}</button></div>`;
}

export function renderAssessmentPage(configuration: PartnerConfiguration | null, query: URLSearchParams, origin: string): string {
  const error = query.get('error');
  const banner = error
    ? `<p class="banner bad" role="status">The partner returned without enabling: <code>error=${escape(error)}</code></p>`
    : query.has('returned')
      ? '<p class="banner good" role="status">Back from the partner. The companies below show what SmartRecruiters recorded.</p>'
      : '';
  const mode = configuration ? `The partner's configured consentDisplayMode is <strong>${escape(configuration.consentDisplayMode)}</strong>.` : 'The partner has not configured its URLs yet.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SmartRecruiters (fake) · Assessment partner</title>
<style>${STYLE}</style></head>
<body data-return-url="${escape(`${origin}/assessment?returned=1`)}">
<header><strong>SmartRecruiters</strong> (fake, for QA) · Settings › Assessment partner · <a href="/app/integrations">General partner page</a></header>
<main>
${banner}
<section aria-labelledby="config-title"><h2 id="config-title">Partner configuration</h2>
 <p id="config-mode">${mode}</p>
 <details><summary>As stored by PUT /partner/configuration</summary><pre id="config-json">${escape(JSON.stringify(configuration, null, 2))}</pre></details>
</section>
${[...DEMO_COMPANIES.map((company, index) => companySection(company, index)), companySection(null, DEMO_COMPANIES.length)].join('\n')}
<section aria-labelledby="faults-title"><h2 id="faults-title">Faults on the way back</h2>
 ${faultControls('exchange', 'Next credential exchange (POST /integration/company/{companyId})', EXCHANGE_FAULTS)}
 ${faultControls('results', 'Next result update (PATCH /orders/{orderId}/results, POST …/attachment)', RESULT_FAULTS)}
 ${faultControls('reads', 'Next read (GET /candidates/{id}, /jobs/{jobId}, /jobs/{jobId}/hiring-team)', READ_FAULTS)}
 <p>status-429 answers as SR's limiter does (X-RateLimit-Remaining: 0, no Retry-After); status-429-retry-after adds Retry-After: 2.</p>
 <p id="fault-status" role="status"></p>
</section>
<section aria-labelledby="calls-title"><h2 id="calls-title">Counters and calls to the partner</h2>
 <pre id="counts"></pre><ol id="calls"></ol>
</section>
</main>
<div id="popup" hidden><div class="frame" role="dialog" aria-label="Connect the assessment partner">
 <iframe id="consent-frame" title="Partner consent"></iframe>
 <button id="close-popup" type="button">Close</button></div></div>
<script src="/assessment/qa.js"></script>
</body></html>`;
}

/** Where the partner sends the candidate after an inline assessment (`completedAssessmentCallbackUrl`). */
export function renderCandidateDonePage(order: AssessmentOrder | null): string {
  const body = order
    ? `<p>Thank you. SmartRecruiters recorded your assessment for order <code>${escape(order.orderId)}</code> (company ${escape(order.companyId)}, package ${escape(order.packageId)}).</p>
 <p id="result-status">Result status: <strong>${escape(String(order.result?.status ?? 'no result yet'))}</strong></p>
 <h2>Result as SmartRecruiters holds it</h2><pre id="result-json">${escape(JSON.stringify(order.result, null, 2))}</pre>
 <p><a href="/assessment/candidate-done?order=${escape(encodeURIComponent(order.orderId))}">Refresh</a> · <a href="/assessment">Back to the QA page</a></p>`
    : '<p>Unknown order.</p><p><a href="/assessment">Back to the QA page</a></p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SmartRecruiters (fake) · Application complete</title><style>${STYLE}</style></head>
<body><header><strong>SmartRecruiters</strong> (fake) · Careers</header><main><section aria-labelledby="done-title"><h1 id="done-title">Application complete</h1>
 ${body}</section></main></body></html>`;
}
