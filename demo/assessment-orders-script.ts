/**
 * The script of the partner's orders page, served as `/assessment/orders.js` (a file, for the
 * page's `script-src 'self'`): it polls `/assessment/orders.json`, renders the orders table, and
 * keeps one region per order (named by the order id) with its delivery state and the send forms.
 * Everything is built with textContent and DOM methods (no innerHTML): the regions are clones of the
 * page's inert `<template>`, created once per order and then only their texts updated, so a form
 * being filled in is never replaced under the user.
 */
export const ORDERS_SCRIPT = String.raw`const body = document.getElementById('orders');
const status = document.getElementById('orders-status');
const results = document.getElementById('order-results');
const template = document.getElementById('order-template');
const regions = new Map();
let nextId = 0;

const plural = (count, word) => count + ' ' + word + (count === 1 ? '' : 's');

function deliveryText(d) {
  if (d.state === 'none') return 'Delivery: nothing sent yet.';
  if (d.state === 'delivered') return 'Delivery: delivered to SmartRecruiters at ' + d.deliveredAt + ' (HTTP ' + d.lastStatus + ').';
  if (d.state === 'failed') {
    return 'Delivery: failed' + (d.lastStatus ? ': SmartRecruiters answered ' + d.lastStatus : '') + (d.lastError ? ' (' + d.lastError + ')' : '') + '.';
  }
  const parts = ['Delivery: pending'];
  if (d.attempts > 0) parts.push(plural(d.attempts, 'attempt') + ' so far');
  if (d.lastError) parts.push('last attempt: ' + d.lastError);
  parts.push(d.lastError && d.nextAttemptAt ? 'next attempt at ' + d.nextAttemptAt : 'sending now');
  return parts.join(' · ') + '.';
}

function expectedText(result) {
  if (!result || Object.keys(result).length === 0) return 'SmartRecruiters holds no result for this order yet.';
  const parts = ['status ' + (result.status || '(none)')];
  if (result.score) parts.push('score ' + result.score.raw + ' (' + result.score.min + ' to ' + result.score.max + ')');
  if (result.scoreLabel) parts.push('label "' + result.scoreLabel + '"');
  if (result.summary) parts.push('summary "' + result.summary + '"');
  if (result.attachments && result.attachments.length) parts.push(plural(result.attachments.length, 'link'));
  if (result.assessmentResults && result.assessmentResults.length) parts.push(plural(result.assessmentResults.length, 'assessment result'));
  return 'Result for SmartRecruiters: ' + parts.join(' · ') + '.';
}

function fileItem(file) {
  const item = document.createElement('li');
  item.textContent = file.filename + ': ' + file.state + (file.lastError ? ' (' + file.lastError + ')' : '');
  if (file.srUrl) {
    const link = document.createElement('a');
    link.href = file.srUrl;
    link.rel = 'noopener noreferrer';
    link.textContent = file.filename + ' at SmartRecruiters';
    item.append(' ', link);
  }
  return item;
}

function showDelivery(region, delivery) {
  const key = JSON.stringify(delivery);
  if (region.key === key) return;
  region.key = key;
  region.delivery.textContent = deliveryText(delivery);
  region.expected.textContent = expectedText(delivery.result);
  region.files.hidden = delivery.attachments.length === 0;
  region.files.replaceChildren(...delivery.attachments.map(fileItem));
}

const field = (form, name) => form.elements.namedItem(name).value.trim();
const number = (value) => (value === '' ? undefined : Number(value));

function resultPatch(form) {
  const patch = { status: 'COMPLETED' };
  const min = number(field(form, 'min'));
  const max = number(field(form, 'max'));
  if (field(form, 'raw') !== '') patch.score = { raw: number(field(form, 'raw')), min, max };
  if (field(form, 'scoreLabel')) patch.scoreLabel = field(form, 'scoreLabel');
  if (field(form, 'summary')) patch.summary = field(form, 'summary');
  if (field(form, 'linkUrl')) patch.attachments = [{ type: field(form, 'linkType'), url: field(form, 'linkUrl') }];
  if (field(form, 'assessmentId')) {
    const entry = { assessmentId: field(form, 'assessmentId') };
    if (field(form, 'assessmentStatus')) entry.status = field(form, 'assessmentStatus');
    if (field(form, 'assessmentRaw') !== '') entry.score = { raw: number(field(form, 'assessmentRaw')), min, max };
    patch.assessmentResults = [entry];
  }
  return patch;
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function send(region, form) {
  const kind = form.dataset.send;
  let payload;
  let what;
  if (kind === 'status') {
    payload = { status: field(form, 'status') };
    what = 'Status ' + payload.status;
  } else if (kind === 'result') {
    payload = resultPatch(form);
    what = 'Result';
  } else {
    const file = form.elements.namedItem('file').files[0];
    if (!file) {
      region.outcome.classList.add('bad');
      region.outcome.textContent = 'Not sent: choose a file first.';
      return;
    }
    payload = { filename: file.name, contentType: file.type || 'application/octet-stream', data: await readFile(file) };
    what = 'File ' + file.name;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  region.outcome.textContent = 'Sending…';
  try {
    const response = await fetch('/assessment/orders/' + encodeURIComponent(region.orderId) + '/' + (kind === 'attachment' ? 'attachment' : 'result'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const answer = await response.json().catch(() => ({}));
    region.outcome.classList.toggle('bad', !response.ok);
    if (response.ok) {
      region.outcome.textContent = what + ' accepted (HTTP ' + response.status + '); the kit delivers it to SmartRecruiters.';
      if (answer.delivery) showDelivery(region, answer.delivery);
    } else {
      region.outcome.textContent = 'Not sent (HTTP ' + response.status + '): ' + (answer.message || response.statusText || 'the request failed');
    }
  } catch (error) {
    region.outcome.classList.add('bad');
    region.outcome.textContent = 'Not sent: the partner site could not be reached.';
  } finally {
    button.disabled = false;
  }
}

function createRegion(order) {
  const section = template.content.firstElementChild.cloneNode(true);
  // The template's ids and label fors, made unique per order.
  const prefix = 'order-' + (nextId += 1) + '-';
  for (const node of section.querySelectorAll('[id]')) node.id = prefix + node.id;
  for (const label of section.querySelectorAll('label[for]')) label.htmlFor = prefix + label.htmlFor;
  const name = section.querySelector('[data-name]');
  name.id = prefix + 'name';
  name.textContent = order.orderId;
  section.setAttribute('aria-labelledby', name.id);
  section.querySelector('[data-about]').textContent = order.candidate + ' · package ' + order.packageId + ' · ' + order.kind + ' order · company ' + order.companyId;
  if (order.kind === 'inline') {
    section.querySelector('form[data-send="attachment"]').remove();
    section.querySelector('[data-inline-note]').hidden = false;
  }
  const region = {
    orderId: order.orderId,
    section,
    key: null,
    delivery: section.querySelector('[data-delivery]'),
    expected: section.querySelector('[data-expected]'),
    files: section.querySelector('[data-files]'),
    outcome: section.querySelector('[data-outcome]'),
  };
  for (const form of section.querySelectorAll('form')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send(region, form);
    });
  }
  return region;
}

function renderRegions(orders) {
  const wanted = new Set(orders.map((order) => order.orderId));
  for (const [orderId, region] of regions) {
    if (!wanted.has(orderId)) {
      region.section.remove();
      regions.delete(orderId);
    }
  }
  orders.forEach((order, index) => {
    let region = regions.get(order.orderId);
    if (!region) {
      region = createRegion(order);
      regions.set(order.orderId, region);
    }
    // Insert new regions in place without moving existing ones (moving would drop the focus).
    const at = results.children[index];
    if (at !== region.section) results.insertBefore(region.section, at || null);
    showDelivery(region, order.delivery);
  });
}

async function refresh() {
  let answer;
  try {
    answer = await (await fetch('/assessment/orders.json', { credentials: 'same-origin' })).json();
  } catch {
    return;
  }
  const count = answer.orders.length === 1 ? '1 order' : answer.orders.length + ' orders';
  const text = answer.signedIn ? count + ' for ' + answer.tenantId + '.' : 'Not signed in.';
  if (status.textContent !== text) status.textContent = text;
  body.replaceChildren(...answer.orders.map((order) => {
    const row = document.createElement('tr');
    for (const value of [order.orderId, order.companyId, order.kind, order.packageId, order.candidate, order.jobId, order.createdAt]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  }));
  renderRegions(answer.orders);
}
refresh();
setInterval(refresh, 1000);
`;
