/**
 * The partner API (issue 14 item 9) on a compiled assessment kit (SQLite) that also has the fake
 * TE Recruit configured as a provider (by environment variables, fake-provider-process.ts in its
 * own process). Set up as a partner would, over HTTP only: an API key from the compiled CLI
 * (`keys create --scopes read,write,proxy`), orders placed by SR at the order endpoint, and one TE
 * Recruit connection through the connect flow (bootstrap, sign-in, start, the provider's approve
 * form, callback). Then, with autocannon in its own process (main.ts measures the bare Koa route
 * with the same settings around them):
 *
 *  - result intake: `PATCH …/partner/v1/assessment/orders/{orderId}/result` across those orders (the
 *    order id cycles per request; the first pass over the orders sends `IN_PROGRESS`, the next a
 *    `COMPLETED` with a score, and so on), expecting 202. Every 202 names its `updateId`; after the
 *    run the kit's SQLite file is read (read-only) for those ids in `result_updates`: a 202 whose
 *    update is not stored is lost. Meanwhile the kit delivers the results to the fake SR, which
 *    limits it to 10 requests a second as SR does: the kit's delivery work runs beside the intake,
 *    as it does in production;
 *  - the proxy: `GET …/partner/v1/connections/{id}/proxy/hotlists?…` → the fake's
 *    `GET /api/hotlists?…`, expecting 200;
 *
 * and, one request at a time, the proxy's added latency: the same GET through the proxy and
 * straight to the fake provider's API with the connection's own access token (the fake hands the
 * bench the token it issued; the kit never shows it), alternated so both see the same machine.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ConnectApi } from '../helpers/connect-api.js';
import { srOrderBody } from '../helpers/sr-order.js';
import { accessToken, expectStatus } from './assessment-endpoints.js';
import { runAgainstKit, type LoadReport } from './autocannon-load.js';
import { BENCH_ORIGIN, type BenchKit, type FakeProviderProcess } from './bench-kit.js';
import { quantiles, runLoad } from './load.js';

export const ORDER_ID = '__ORDER_ID__';
/** What the proxy calls: a read on the fake TE Recruit API with a small JSON answer. */
const PROVIDER_PATH = 'hotlists?record_type=person&scope=all&name=bench';
/** The result bodies, one per pass over the orders. */
export const RESULT_BODIES = [{ status: 'IN_PROGRESS' }, { status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 }, scoreLabel: 'Passed', submissionDate: '2026-12-02T07:00:00.000Z' }].map(
  (body) => JSON.stringify(body),
);

export interface PartnerApiBenchOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Orders placed before the intake run; its PATCHes cycle through them. */
  orders: number;
  /** Requests of each kind (proxied and direct) for the added latency, one at a time. */
  sequential: number;
}

export interface PartnerApiBench {
  orders: number;
  intake: LoadReport;
  /** 202s of the measured intake run whose update is in the kit's `result_updates` (by `updateId`). */
  stored: number;
  /** 202s whose update the kit has not stored. */
  lost: number;
  proxy: LoadReport;
  sequential: { requests: number; proxied: Latency; direct: Latency; failures: number };
}

type Latency = ReturnType<typeof quantiles>;

export async function benchPartnerApi(kit: BenchKit, provider: FakeProviderProcess, options: PartnerApiBenchOptions): Promise<PartnerApiBench> {
  const key = kit.cli(['keys', 'create', '--scopes', 'read,write,proxy', '--name', 'bench']).split('\n', 1)[0]!.trim();
  if (!/^atsk_\w+$/.test(key)) throw new Error('bench setup: keys create did not print a key on its first line');
  const auth = { authorization: `Bearer ${key}` };
  const common = { connections: options.connections, seconds: options.seconds, warmupSeconds: options.warmupSeconds };

  // Result intake.
  const orderIds = await placeOrders(kit, options.orders);
  const resultUrl = `${kit.kitUrl}${kit.paths.partnerApi}/assessment/orders/${ORDER_ID}/result`;
  const resultHeaders = { ...auth, 'content-type': 'application/json' };
  await expectStatus(fetch(resultUrl.replace(ORDER_ID, orderIds[0]!), { method: 'PATCH', headers: resultHeaders, body: RESULT_BODIES[0] }), 202, 'result PATCH');
  const intake = await runAgainstKit(kit, {
    ...common,
    url: resultUrl,
    method: 'PATCH',
    headers: resultHeaders,
    cycle: { placeholder: ORDER_ID, values: orderIds, bodies: RESULT_BODIES },
    answerField: 'updateId',
    expectStatus: 202,
  });
  const storedIds = storedUpdateIds(kit);
  const stored = intake.answered!.filter((id) => storedIds.has(id)).length;
  delete intake.answered; // large, and said what it had to say

  // The proxy.
  const connectionId = await new BenchConnectApi(kit.kitUrl).signIn().then((api) => api.connect('te-recruit'));
  const proxiedUrl = `${kit.kitUrl}${kit.paths.partnerApi}/connections/${connectionId}/proxy/${PROVIDER_PATH}`;
  const directUrl = `${provider.apiBaseUrl}/${PROVIDER_PATH}`;
  const directHeaders = { authorization: `Bearer ${await provider.accessToken()}` };
  await expectStatus(fetch(proxiedUrl, { headers: auth }), 200, 'proxied GET');
  await expectStatus(fetch(directUrl, { headers: directHeaders }), 200, 'direct GET at the fake provider');
  const proxy = await runAgainstKit(kit, { ...common, url: proxiedUrl, headers: auth, expectStatus: 200 });

  // The added latency, one request at a time, proxied and direct alternated.
  const get = (url: string, headers: Record<string, string>, times: number[]) => async () => {
    const begin = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    times.push(performance.now() - begin);
    return response.status === 200;
  };
  const warm: number[] = [];
  await runLoad(30, 1, async (index) => (index % 2 === 0 ? get(proxiedUrl, auth, warm)() : get(directUrl, directHeaders, warm)()));
  const proxiedTimes: number[] = [];
  const directTimes: number[] = [];
  const sequential = await runLoad(2 * options.sequential, 1, async (index) =>
    index % 2 === 0 ? get(proxiedUrl, auth, proxiedTimes)() : get(directUrl, directHeaders, directTimes)(),
  );
  return {
    orders: orderIds.length,
    intake,
    stored,
    lost: intake.expected - stored,
    proxy,
    sequential: { requests: options.sequential, proxied: quantiles(proxiedTimes), direct: quantiles(directTimes), failures: sequential.failures },
  };
}

/** SR places `count` orders for the kit's company (concurrency 10); their ids. */
export async function placeOrders(kit: BenchKit, count: number): Promise<string[]> {
  const headers = { authorization: `Bearer ${await accessToken(kit)}`, 'content-type': 'application/json' };
  const ids = Array.from({ length: count }, () => randomUUID());
  const placed = await runLoad(count, 10, async (index) => {
    const response = await fetch(kit.kitUrl + kit.paths.assessmentOrders, { method: 'POST', headers, body: JSON.stringify(srOrderBody(kit.srUrl, kit.companyId, ids[index]!)) });
    await response.arrayBuffer();
    return response.status === 202;
  });
  if (placed.failures > 0) throw new Error(`bench setup: ${placed.failures} of ${count} orders were not accepted`);
  return ids;
}

function storedUpdateIds(kit: BenchKit): Set<string> {
  if (!kit.sqliteFile) throw new Error('the result intake reads what the kit stored from its SQLite file');
  const database = new Database(kit.sqliteFile, { readonly: true });
  try {
    const rows = database.prepare('SELECT id FROM result_updates').all() as Array<{ id: string }>;
    return new Set(rows.map((row) => row.id));
  } finally {
    database.close();
  }
}

/**
 * The connect flow against a bench kit, whose public origin (`ATS_PUBLIC_URL`, without the port it
 * listens on) is what its origin checks expect and what its callback URL names: requests carry that
 * Origin, and the provider's redirect to the callback is followed to the port the kit listens on.
 */
class BenchConnectApi extends ConnectApi {
  override headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...super.headers(extra), origin: BENCH_ORIGIN };
  }

  override async callback(url: URL | string, headers: Record<string, string> = this.headers()) {
    const callback = new URL(url);
    return super.callback(this.kitUrl + callback.pathname + callback.search, headers);
  }
}
