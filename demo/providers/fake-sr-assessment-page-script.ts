/**
 * The script of the fake SR Assessment QA page, served as `/assessment/qa.js` (an external script:
 * no inline handlers, no innerHTML, no eval). It records consent and opens the partner's consent
 * page (POPUP: an iframe widget, closed once SR sees the integration, as seed 003 says SR does;
 * REDIRECT: navigation with `redirect=` back to this page), drives the control routes, and polls
 * `/__fake/assessment/state` to show each company's status and each candidate's orders and results:
 * per order the result (status, score, label, summary, attachment links — http(s) only), the status
 * history (each accepted PATCH with its time), every call to the order's results URLs with its HTTP
 * status, and the `X-RateLimit-*` / `Retry-After` headers SR sent on the last one.
 */
export const ASSESSMENT_PAGE_SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (selector, root) => (root || document).querySelector(selector);
  const popup = $('#popup');
  const frame = $('#consent-frame');
  let state = null;
  let popupCompany = null;
  const rendered = new WeakMap();

  const companyOf = (section) => section.dataset.company || ($('[data-company-input]', section).value || '').trim();
  async function post(route, payload) {
    const response = await fetch('/__fake/assessment/' + route, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
    });
    return response.json();
  }
  const errorText = (body) => (body && body.errors ? body.errors.map((e) => e.code + ': ' + (e.message || '')).join('; ') : '');
  const calls = (outcome) => (outcome.calls || []).map((c) => c.method + ' ' + c.url + ' → ' + (c.status === null ? c.error : c.status)).join(' | ');
  const describe = (outcome) => errorText(outcome) || ((outcome.ok ? 'OK' : 'Problems: ' + outcome.problems.join('; ')) + (outcome.calls && outcome.calls.length ? ' — ' + calls(outcome) : ''));
  const el = (tag, text) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; return node; };

  async function enable(section, mode) {
    const out = $('[data-company-result]', section);
    const companyId = companyOf(section);
    if (!companyId) { out.textContent = 'Enter a company id first.'; return; }
    await refresh();
    const config = state && state.configuration;
    if (!config) { out.textContent = 'The partner has not configured its URLs yet (PUT /partner/configuration).'; return; }
    const url = new URL(config.consentUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') { out.textContent = 'The configured consentUrl is not http(s): ' + url.href; return; }
    await post('consent', { companyId });
    url.searchParams.set('companyId', companyId);
    if (mode === 'REDIRECT') {
      url.searchParams.set('redirect', document.body.dataset.returnUrl);
      location.assign(url.href);
      return;
    }
    popupCompany = companyId;
    frame.src = url.href;
    popup.hidden = false;
  }
  function closePopup() { popup.hidden = true; popupCompany = null; frame.removeAttribute('src'); }

  async function disable(section) {
    const out = $('[data-company-result]', section);
    out.textContent = 'Disabling…';
    out.textContent = 'Disable: ' + describe(await post('disable', { companyId: companyOf(section) }));
    refresh();
  }

  async function listPackages(section, item) {
    const out = $('[data-result]', item);
    const list = $('[data-packages]', item);
    out.textContent = 'Asking the partner for packages…';
    list.replaceChildren();
    const outcome = await post('packages', { companyId: companyOf(section), candidateId: item.dataset.candidate });
    const orderable = (outcome.packages || []).filter((p) => p.type !== 'INLINE_ASSESSMENT');
    for (const pkg of orderable) {
      const li = el('li');
      li.append(el('strong', pkg.name), el('span', ' (' + pkg.type + ') ' + pkg.description + ' '));
      const button = el('button', 'Order package ' + pkg.name);
      button.type = 'button';
      button.addEventListener('click', () => orderPackage(section, item, pkg.id));
      li.append(button);
      list.append(li);
    }
    out.textContent = orderable.length + ' package(s) to order — ' + describe(outcome);
  }

  async function orderPackage(section, item, packageId) {
    const out = $('[data-result]', item);
    out.textContent = 'Ordering…';
    const outcome = await post('order', { companyId: companyOf(section), candidateId: item.dataset.candidate, packageId });
    out.textContent = (outcome.ok ? 'Ordered (order ' + outcome.orderId + ')' : 'Order failed') + ' — ' + describe(outcome);
    refresh();
  }

  async function apply(section, item) {
    const out = $('[data-result]', item);
    out.textContent = 'Applying…';
    const outcome = await post('apply', { companyId: companyOf(section), candidateId: item.dataset.candidate });
    if (outcome.ok && outcome.url) { location.assign(outcome.url); return; }
    out.textContent = 'Apply failed — ' + describe(outcome);
    refresh();
  }

  const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-concurrent-limit', 'x-ratelimit-concurrent-remaining', 'retry-after'];
  const headerText = (headers) => RATE_HEADERS.filter((name) => headers && headers[name] !== undefined)
    .map((name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()).replace('Ratelimit', 'RateLimit') + ': ' + headers[name]).join(' · ');
  const callText = (call) => call.at + ' ' + call.method + (call.kind === 'attachment' ? ' …/attachment' : ' …/results') + ' → ' +
    (call.status === null ? 'connection dropped' : 'HTTP ' + call.status);
  function fact(list, term, value) {
    const dd = el('dd');
    if (typeof value === 'string') dd.textContent = value; else dd.append(...value);
    list.append(el('dt', term), dd);
  }
  function link(text, url) {
    if (!/^https?:\/\//i.test(url)) return el('span', text + ' (not an http(s) URL, not linked)');
    const a = el('a', text);
    a.href = url; a.rel = 'noopener noreferrer'; a.target = '_blank';
    return a;
  }

  function renderOrder(order) {
    const li = el('li');
    const result = order.result || {};
    const score = result.score ? ' · score ' + result.score.raw + '/' + result.score.max : '';
    li.append(el('span', order.kind + ' order ' + order.orderId + ' · package ' + order.packageId + ' · partner answered ' +
      (order.partnerStatus === null ? '—' : order.partnerStatus) + ' · result: ' + (result.status || 'none yet') + score +
      (result.summary ? ' · ' + result.summary : '') + (order.updatedAt ? ' · updated ' + order.updatedAt : '')));
    if (order.kind === 'inline') {
      const a = el('a', ' candidate return page');
      a.href = '/assessment/candidate-done?order=' + encodeURIComponent(order.orderId);
      li.append(a);
    }
    const facts = el('dl');
    facts.setAttribute('aria-label', 'Result of order ' + order.orderId);
    fact(facts, 'Status', result.status || 'none yet');
    fact(facts, 'Score', result.score ? result.score.raw + ' (min ' + result.score.min + ', max ' + result.score.max + ')' : '—');
    fact(facts, 'Label', result.scoreLabel || '—');
    fact(facts, 'Summary', result.summary || '—');
    const links = [...(result.attachments || []).map((a) => link(a.type + ' ' + a.url, a.url)),
      ...order.attachments.map((a) => link('upload ' + (a.filename || 'file') + ' (' + a.size + ' bytes)', a.url))];
    fact(facts, 'Attachments', links.length ? links.flatMap((node, index) => (index ? [el('span', ' · '), node] : [node])) : '—');
    const last = order.resultCalls[order.resultCalls.length - 1];
    fact(facts, 'Last results call', last ? callText(last) + (headerText(last.headers) ? ' — ' + headerText(last.headers) : '') : '—');
    li.append(facts);
    const history = el('ol');
    history.setAttribute('aria-label', 'Status history of order ' + order.orderId);
    for (const entry of order.patches) {
      const sent = entry.patch && typeof entry.patch === 'object' && 'status' in entry.patch;
      history.append(el('li', entry.at + ' PATCH → status ' + (entry.result.status || '—') + (sent ? '' : ' (unchanged)')));
    }
    if (order.patches.length) li.append(el('p', 'Status history (each accepted PATCH):'), history);
    if (order.resultCalls.length) {
      const details = el('details');
      const calls = el('ol');
      for (const call of order.resultCalls) calls.append(el('li', callText(call) + (headerText(call.headers) ? ' — ' + headerText(call.headers) : '')));
      calls.className = 'rate';
      details.append(el('summary', 'Results calls, refused ones included (' + order.resultCalls.length + ')'), calls);
      li.append(details);
    }
    if (order.patches.length) {
      const details = el('details');
      details.append(el('summary', 'Latest result patch (' + order.patches.length + ' so far)'), el('pre', JSON.stringify(order.patches[order.patches.length - 1], null, 2)));
      li.append(details);
    }
    return li;
  }

  async function refresh() {
    try { state = await (await fetch('/__fake/assessment/state')).json(); } catch { return; }
    $('#config-json').textContent = JSON.stringify(state.configuration, null, 2);
    $('#config-mode').textContent = state.configuration ? "The partner's configured consentDisplayMode is " + state.configuration.consentDisplayMode + '.' : 'The partner has not configured its URLs yet.';
    for (const section of document.querySelectorAll('section.company')) {
      const companyId = companyOf(section);
      const integration = state.integrations.find((row) => row.companyId === companyId);
      const consent = state.consents[companyId];
      $('[data-status]', section).textContent = 'Consent: ' + (consent ? 'yes (' + consent + ')' : 'no') + ' · Integrated: ' +
        (integration ? 'yes (partner client id ' + integration.partnerClientId + ', since ' + integration.createdAt + ')' : 'no');
      for (const item of section.querySelectorAll('[data-candidate]')) {
        const orders = state.orders.filter((o) => o.companyId === companyId && o.candidateId === item.dataset.candidate);
        const key = JSON.stringify(orders);
        if (rendered.get(item) === key) continue;
        rendered.set(item, key);
        const list = $('[data-orders]', item);
        list.replaceChildren(...(orders.length ? orders.map(renderOrder) : [el('li', 'None yet.')]));
      }
    }
    if (popupCompany && state.integrations.some((row) => row.companyId === popupCompany)) closePopup();
    $('#counts').textContent = JSON.stringify({ counts: state.counts, faults: state.faults, latestReads: (state.readCalls || []).slice(-10) }, null, 2);
    $('#calls').replaceChildren(...state.partnerCalls.map((c) => el('li', c.at + ' ' + c.kind + ': ' + c.method + ' ' + c.url + ' → ' + (c.status === null ? c.error : c.status))));
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    const section = button.closest('section.company');
    const item = button.closest('[data-candidate]');
    switch (button.dataset.action) {
      case 'enable-popup': return void enable(section, 'POPUP');
      case 'enable-redirect': return void enable(section, 'REDIRECT');
      case 'disable': return void disable(section);
      case 'order': return void listPackages(section, item);
      case 'apply': return void apply(section, item);
    }
    const target = button.dataset.faultTarget;
    if (target) {
      post('faults', { target, kind: $('#fault-' + target).value, times: Number($('#fault-' + target + '-times').value) })
        .then((body) => { $('#fault-status').textContent = body.errors ? 'Rejected: ' + errorText(body) : 'Applied ' + target + ' fault'; refresh(); });
    }
  });
  $('#close-popup').addEventListener('click', () => { closePopup(); refresh(); });
  window.addEventListener('message', (event) => {
    const config = state && state.configuration;
    if (!config || event.source !== frame.contentWindow || event.origin !== new URL(config.consentUrl).origin) return;
    const data = event.data;
    if (data && data.ns === 'ats' && data.type === 'ats:consent-result') { closePopup(); refresh(); }
  });
  refresh();
  setInterval(refresh, 1500);
})();
`;
