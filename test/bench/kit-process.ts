/**
 * The demo (kit + fake SmartRecruiters) in its own process, so the bench's load generator does not
 * count toward its memory. It connects one company through the real consent API, and enables the
 * assessment app (the second kit, under /ats-assessment) for another the same way; then prints one
 * JSON line with its URLs and both companies' issued credentials (read from the fake SR), and serves
 * until killed. BENCH_DATABASE_URL switches the general kit to PostgreSQL (the demo's assessment
 * app stays on its own SQLite file).
 *
 * Control lines on stdin, each answered by one JSON line on stdout (stdin closing stops the process):
 *  - `orders <companyId>`: `{ "orderIds": [...] }`, every order the assessment kit has stored for
 *    that company, read through `kit.assessment.orders.list` (the partner's view of them);
 *  - `loop <fromMs> <toMs>`: `{ "utilization": 0..1 | null }`, how busy this process's event loop
 *    was between those wall-clock times.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { sealData } from 'iron-session';
import { startDemo } from '../../demo/start-demo.js';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-'));
const databaseUrl = process.env.BENCH_DATABASE_URL;
const demo = await startDemo({
  kitPort: 0,
  srPort: 0,
  providerPorts: [0, 0, 0],
  dataDir,
  logLevel: 'silent',
  warn: () => {},
  // The fake's General Partner side enforces no rate limit: lift the kit's SR budget (SR's 10/s, 8 at
  // once, would hold approvals to about 9 a second) so the approvals measure the kit, not the gate.
  generalRateLimit: { perSecond: 1_000_000, concurrent: 1_000_000 },
  // The bench approves thousands of companies as one user: lift the per-user claim limit.
  kitOptions: { companyClaims: { maxPerUser: 1_000_000, maxPerTenant: 1_000_000 }, ...(databaseUrl ? { databaseUrl } : {}) },
});
const { sessionSecret } = JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string };
const { passwordHash: _hash, username: _name, ...user } = DEMO_USERS[0]!;

/** Approve on the consent page of `kit` for `companyId`, as a signed-in user (the session sealed directly). */
async function approve(kit: typeof demo.kit, companyId: string): Promise<void> {
  const seal = await sealData(
    { csrf: 'bench', txn: { id: 'bench', companyId, redirect: null }, user, signedInAt: Date.now() },
    { password: sessionSecret, ttl: 900 },
  );
  const approved = await fetch(demo.kitUrl + kit.paths.approve, {
    method: 'POST',
    headers: { origin: demo.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: seal, [CSRF_HEADER]: 'bench' },
    body: '{}',
  });
  if (approved.status !== 200) throw new Error(`bench setup approval for ${companyId} failed: ${approved.status} ${await approved.text()}`);
}
await approve(demo.kit, 'BENCH-TOKEN-CO');
const issued = demo.fakeSr.integrations.get('BENCH-TOKEN-CO')!;
// The assessment app: SR-side consent first (as SR records it before opening the consent page), then Approve.
const ASSESSMENT_COMPANY = 'BENCH-ASSESS-CO';
demo.fakeSr.assessment!.recordConsent(ASSESSMENT_COMPANY);
await approve(demo.assessmentKit, ASSESSMENT_COMPANY);
const assessmentIssued = demo.fakeSr.assessment!.integrations.get(ASSESSMENT_COMPANY)!;

/** Every stored order id of a company, newest first, a page (at most 1 000, the list's cap) at a time. */
async function storedOrderIds(companyId: string): Promise<string[]> {
  const PAGE = 1000;
  const ids = new Set<string>();
  let until: Date | undefined;
  for (;;) {
    const page = await demo.assessmentKit.assessment.orders.list({ companyId, limit: PAGE, ...(until ? { until } : {}) });
    for (const order of page) ids.add(order.orderId);
    if (page.length < PAGE) break;
    // `until` is exclusive and many orders share a millisecond: take the oldest page millisecond whole.
    const oldest = page[page.length - 1]!.createdAt;
    const same = await demo.assessmentKit.assessment.orders.list({ companyId, limit: PAGE, since: oldest, until: new Date(oldest.getTime() + 1) });
    if (same.length === PAGE) throw new Error(`${PAGE} or more orders stored in one millisecond: cannot page through them`);
    for (const order of same) ids.add(order.orderId);
    until = oldest;
  }
  return [...ids];
}

/**
 * How busy the event loop was (0..1) between two wall-clock times, from samples taken every 100 ms.
 * Time blocked in synchronous calls (better-sqlite3's commits) counts as busy, unlike CPU time.
 */
const loopSamples: Array<{ at: number; elu: EventLoopUtilization }> = [];
setInterval(() => {
  loopSamples.push({ at: Date.now(), elu: performance.eventLoopUtilization() });
  if (loopSamples.length > 6000) loopSamples.shift(); // the last 10 minutes
}, 100).unref();
function loopUtilization(from: number, to: number): number | null {
  const first = loopSamples.find((sample) => sample.at >= from);
  const last = loopSamples.findLast((sample) => sample.at <= to);
  if (!first || !last || last.at <= first.at) return null;
  return performance.eventLoopUtilization(last.elu, first.elu).utilization;
}

const control = createInterface({ input: process.stdin });
// The bench gone (its end of stdin closed): stop too, rather than serve on as an orphan.
control.once('close', () => void demo.stop().then(() => process.exit(0)));
control.on('line', (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  const answer = async (): Promise<unknown> => {
    if (command === 'orders' && args[0]) return { orderIds: await storedOrderIds(args[0]) };
    if (command === 'loop' && args.length === 2) return { utilization: loopUtilization(Number(args[0]), Number(args[1])) };
    return { error: `unknown command: ${line}` };
  };
  void answer().then(
    (value) => process.stdout.write(JSON.stringify(value) + '\n'),
    (error: unknown) => process.stdout.write(JSON.stringify({ error: String(error) }) + '\n'),
  );
});
// SIGUSR2: report memory (after a full GC, when --expose-gc is on) as one JSON line.
process.on('SIGUSR2', () => {
  const rssBeforeGc = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rssBeforeGc, heapUsedAfterGc: heapUsed }) + '\n');
});
process.once('SIGTERM', () => void demo.stop().then(() => process.exit(0)));
// Ready only now: the bench may signal or write to this process as soon as it reads this line.
process.stdout.write(
  JSON.stringify({
    kitUrl: demo.kitUrl,
    srUrl: demo.srUrl,
    dataDir,
    paths: demo.kit.paths,
    client: { clientId: issued.partnerClientId, clientSecret: issued.partnerClientSecret },
    assessment: {
      companyId: ASSESSMENT_COMPANY,
      paths: demo.assessmentKit.paths,
      client: { clientId: assessmentIssued.partnerClientId, clientSecret: assessmentIssued.partnerClientSecret },
    },
  }) + '\n',
);
