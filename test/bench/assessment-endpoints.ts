/**
 * The assessment endpoints SmartRecruiters calls (seed 003), under autocannon in its own process
 * (main.ts measures the bare Koa route with the same settings around them):
 *
 *  - the package list (`GET …/assessment/packages`, with the `requester` header and a location);
 *  - order intake (`POST …/assessment/orders`, 202 once stored), every request a new order (a fresh
 *    UUID in its `resultCallbackURL`); then the orders the kit has stored, read through
 *    `kit.assessment.orders.list` in the kit process, are checked against the 202s autocannon
 *    counted, order id by order id: a 202 whose order is not stored is lost. The stored orders are
 *    read from the kit's SQLite file (read-only, after the run): what survived, not what the kit says.
 *
 * Each run also records how much CPU the generator, the kit and the whole machine used, to say what
 * bounds the figure.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { BenchKit } from './bench-kit.js';
import { runAgainstKit, type LoadReport } from './autocannon-load.js';
import { srOrderBody } from '../helpers/sr-order.js';

/** Replaced by a new UUID in each order request (autocannon-process.ts). */
const ORDER_ID = '__ORDER_ID__';

export interface AssessmentBench {
  packages: LoadReport;
  orders: LoadReport;
  /** Orders of the measured run (ids autocannon sent) that the kit has stored. */
  stored: number;
  /** 202s autocannon counted whose order the kit has not stored. */
  lost: number;
}

export interface AssessmentBenchOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Orders of the measured order run (it completes exactly this many requests, none left in flight). */
  orders: number;
}

export async function benchAssessmentEndpoints(kit: BenchKit, options: AssessmentBenchOptions): Promise<AssessmentBench> {
  const token = await accessToken(kit);
  const auth = { authorization: `Bearer ${token}` };
  const packagesUrl = `${kit.kitUrl}${kit.paths.assessmentPackages}?country-code=de&city=Berlin&remote=false&department=Engineering`;
  const packagesHeaders = { ...auth, requester: JSON.stringify({ email: 'rita.recruiter@acme-assess.example' }) };
  const ordersUrl = kit.kitUrl + kit.paths.assessmentOrders;
  const ordersHeaders = { ...auth, 'content-type': 'application/json' };
  const orderTemplate = JSON.stringify(srOrderBody(kit.srUrl, kit.companyId, ORDER_ID));

  // Fail fast (and legibly) when the setup is wrong, rather than measuring a stream of 4xx.
  await expectStatus(fetch(packagesUrl, { headers: packagesHeaders }), 200, 'package list');
  await expectStatus(fetch(ordersUrl, { method: 'POST', headers: ordersHeaders, body: orderTemplate.replaceAll(ORDER_ID, randomUUID()) }), 202, 'order');

  const common = { connections: options.connections, seconds: options.seconds, warmupSeconds: options.warmupSeconds };
  const packages = await runAgainstKit(kit, { ...common, url: packagesUrl, headers: packagesHeaders, expectStatus: 200 });
  const orders = await runAgainstKit(kit, {
    ...common,
    url: ordersUrl,
    method: 'POST',
    headers: ordersHeaders,
    body: orderTemplate,
    freshUuid: ORDER_ID,
    amount: options.orders,
    expectStatus: 202,
  });

  const storedIds = storedOrderIds(kit);
  const stored = orders.sentIds!.filter((id) => storedIds.has(id)).length;
  const lost = orders.expectedIds!.filter((id) => !storedIds.has(id)).length;
  // The id lists are large and said all they had to say.
  delete orders.sentIds;
  delete orders.expectedIds;
  return { packages, orders, stored, lost };
}

function storedOrderIds(kit: BenchKit): Set<string> {
  if (!kit.sqliteFile) throw new Error('the order run reads what the kit stored from its SQLite file');
  const database = new Database(kit.sqliteFile, { readonly: true });
  try {
    const rows = database.prepare('SELECT order_id FROM assessment_orders WHERE company_id = ?').all(kit.companyId) as Array<{ order_id: string }>;
    return new Set(rows.map((row) => row.order_id));
  } finally {
    database.close();
  }
}

export async function accessToken(kit: BenchKit): Promise<string> {
  const response = await fetch(kit.kitUrl + kit.paths.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: kit.client.clientId, client_secret: kit.client.clientSecret }),
  });
  if (response.status !== 200) throw new Error(`assessment token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function expectStatus(pending: Promise<Response>, status: number, what: string): Promise<void> {
  const response = await pending;
  const text = await response.text();
  if (response.status !== status) throw new Error(`bench setup: the ${what} answered ${response.status}, not ${status}: ${text.slice(0, 300)}`);
}

