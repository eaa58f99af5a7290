/**
 * `npm run bench`: figures against the budgets of DESIGN.md, each beside a baseline measured in
 * the same run on the same machine (never a timed assertion in a test).
 *
 * Processes: the kit is the compiled `ats-consent serve` (lib/, plain node, configured by environment
 * variables) alone in its process; the fake SmartRecruiters runs in its own; the bare Koa route is
 * plain JavaScript in its own; autocannon runs in its own for every throughput figure. The
 * connections and results figures below are counts and rates bound by a provider's limits, and run
 * the demo in the bench process (through tsx).
 *
 *  - the widget bundle's min+gzip size against the 15 KB budget (Lit included), the size of each
 *    locale catalogue the kit serves on demand, and the package
 *    tarball's size and file count;
 *  - a bare Koa JSON route, the baseline: under autocannon (in its own process, so the generator is
 *    not the bottleneck) around every group of autocannon figures; and under the fetch generator in
 *    the bench process, for the approvals, which that generator drives;
 *  - 1 000 consent approvals at concurrency 50 against the fake SmartRecruiters on loopback:
 *    approvals/s and master-token requests;
 *  - the kit's median and p99 overhead per approval: approval latency minus the latency of the same
 *    SR calls made directly, both one at a time (under load, latency is mostly queueing; that
 *    figure is printed too);
 *  - memory (RSS) of the kit process after 10 000 approvals at concurrency 50, started with the
 *    bin's V8 flags (its first line) as `npx ats-consent serve` runs it, and again without them;
 *  - the endpoints SmartRecruiters calls, under autocannon: our token endpoint and a bearer-protected
 *    route (on SQLite and on PostgreSQL), the assessment package list and order intake (SQLite):
 *    requests/s as a ratio to the bare route, p99, and what bounds each figure; orders stored per
 *    second at concurrency 50 with the number lost (202s whose order the kit has not stored); and
 *    unknown-client versus wrong-secret latency (T18);
 *  - the partner API (`<prefix>/partner/v1`, with an API key) on a compiled assessment kit (SQLite)
 *    with the fake TE Recruit configured as its provider (in its own process): result `PATCH`
 *    intake across placed orders and `GET` through the connection proxy, as requests/s ratios to
 *    the bare route with p99, CPU per request and what bounds each; updates acknowledged (202)
 *    versus stored in the kit's SQLite file (lost); and the proxy's added latency one request at a
 *    time (proxied minus the same GET sent straight to the fake provider with the connection's
 *    token), median and p99;
 *  - provider connections: refresh requests for 1 000 concurrent token reads of one expired
 *    connection, and the connect callback's median overhead;
 *  - results back to SmartRecruiters: 1 000 updates for 100 orders of one company against the fake
 *    SR with its rate limits on: deliveries/s as a ratio to SR's 10/s, 429s, results lost, and the
 *    delay from updateResult to SR's 200 when SR is not limiting.
 *
 * Sizes: BENCH_APPROVALS (1 000), BENCH_ORDERS (orders in the measured order run, 2 000),
 * BENCH_RESULT_ORDERS (orders the result PATCHes cycle through, 500), BENCH_AUTOCANNON_SECONDS
 * (each autocannon run, 4, after a 1 s warm-up). BENCH_ONLY=partner-api runs only the bare route
 * and the partner API figures; BENCH_ONLY=sr-endpoints only the endpoints SR calls on SQLite;
 * BENCH_ONLY=sizes only the sizes. BENCH_CPU_PROF=<dir> writes a V8 CPU profile per kit process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { Localization } from '../../server/i18n/localization.js';
import { createDatabase, startPostgres } from '../helpers/postgres.js';
import { approvalsForMemory, benchApprovals } from './approvals.js';
import { benchAssessmentEndpoints, type AssessmentBench } from './assessment-endpoints.js';
import { runAutocannon, type LoadReport } from './autocannon-load.js';
import { benchConnections } from './connections.js';
import { benchResultDelivery } from './result-delivery.js';
import { binNodeFlags, startBareKoa, startBenchKit, startFakeProvider, startFakeSr, type BenchKit, type FakeSrProcess } from './bench-kit.js';
import { fmt, runLoad, type LoadResult } from './load.js';
import { benchPartnerApi } from './partner-api.js';
import { benchSmartRecruitersEndpoints, benchTokenFloor } from './sr-endpoints.js';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 1000);
const CONCURRENCY = 50;
const BASELINE_REQUESTS = 5000;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const RESULT_ORDERS = Number(process.env.BENCH_RESULT_ORDERS ?? 500);
/** Proxied and direct requests each, one at a time, for the proxy's added latency. */
const PROXY_SEQUENTIAL = 300;
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== undefined && !['partner-api', 'sr-endpoints', 'sizes'].includes(ONLY)) throw new Error(`BENCH_ONLY=${ONLY}: only partner-api, sr-endpoints and sizes are known`);
const LOAD = { connections: CONCURRENCY, seconds: Number(process.env.BENCH_AUTOCANNON_SECONDS ?? 4), warmupSeconds: 1 };
const CORES = availableParallelism();

type BareKoa = Awaited<ReturnType<typeof startBareKoa>>;

function bundleSize(): void {
  const bundle = readFileSync('dist/widget/ats-consent.js');
  const gzip = gzipSync(bundle, { level: 9 }).length;
  console.log(`widget bundle: ${fmt(bundle.length / 1024)} KB min, ${fmt(gzip / 1024)} KB min+gzip; budget 15 KB → ${fmt((gzip / 1024 / 15) * 100, 0)} % of budget`);
  // Other languages load on demand: what the kit serves for each (outside the bundle's budget).
  const localization = new Localization();
  const sizes = localization.locales.filter((locale) => locale !== 'en').map((locale) => {
    const body = localization.served(locale).body;
    return `${locale} ${fmt(Buffer.byteLength(body) / 1024)} KB (${fmt(gzipSync(body, { level: 9 }).length / 1024)} KB gzip)`;
  });
  console.log(`locale catalogues (loaded on demand): ${sizes.join(', ')}`);
}

/** The bare route under the fetch generator of the bench process: the baseline of the approvals, which that generator drives. */
async function fetchBaseline(bare: BareKoa): Promise<LoadResult> {
  const get = async () => {
    const response = await fetch(bare.url);
    await response.arrayBuffer();
    return response.ok;
  };
  await runLoad(500, CONCURRENCY, get); // warm-up
  return await runLoad(BASELINE_REQUESTS, CONCURRENCY, get);
}

/** What a partner downloads: the tarball `npm pack` would publish (built by `npm run bench`'s build). */
function packageSize(): void {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })) as Array<{ size: number; unpackedSize: number; entryCount: number }>;
  console.log(`package tarball: ${fmt(pack!.size / 1024, 0)} KB (${fmt(pack!.unpackedSize / 1024, 0)} KB unpacked), ${pack!.entryCount} files`);
}

const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 0);

/**
 * What bounds an autocannon figure, from the CPU the server process, the generator and the whole
 * machine used during the run, and (for the kit) how busy its event loop was: time the loop spends
 * blocked in synchronous calls (better-sqlite3's commits and their fsync) is busy but not CPU.
 */
function boundBy(run: LoadReport, server: string): string {
  const { serverCores, generatorCores, machineCores, serverLoopBusy } = run;
  const loop = serverLoopBusy === undefined || serverLoopBusy === null ? '' : `, its event loop ${fmt(serverLoopBusy * 100, 0)} % busy`;
  if (serverCores === undefined || machineCores === undefined) return `CPU use unknown [autocannon ${fmt(generatorCores, 2)} cores${loop}]`;
  const others = Math.max(0, machineCores - serverCores - generatorCores);
  const machineFull = machineCores >= 0.9 * CORES;
  const loopFull = (serverLoopBusy ?? 0) >= 0.9;
  let verdict: string;
  if (generatorCores >= 0.9) verdict = 'bound by the load generator';
  else if (serverCores >= 0.9 || loopFull) {
    const blocked = loopFull && serverCores < 0.8 ? ', busy partly off the CPU (blocked in synchronous calls such as SQLite commits, or waiting for a core)' : '';
    verdict = `bound by the ${server}'s event loop (one core)${blocked}${machineFull ? ', on a full machine' : ''}`;
  } else if (machineFull) verdict = 'bound by the machine, shared with other work';
  else verdict = 'nothing saturated: the rest is waiting (database round trips, disk, timers)';
  return `${verdict} [during the run: ${server} ${fmt(serverCores, 2)} cores${loop}, autocannon ${fmt(generatorCores, 2)}, everything else ${fmt(others, 2)}, of ${CORES} cores]`;
}

/** The server's CPU per answered request (µs): steadier than requests/s on a shared machine. */
const cpuPerRequest = (run: LoadReport) => (run.serverCores === undefined || run.completed === 0 ? 'CPU/request unknown' : `${fmt((run.serverCores * run.seconds * 1e6) / run.completed, 0)} µs CPU/request`);

const latency = (run: LoadReport) => `median ${fmt(run.p50Ms, 0)} ms, p99 ${fmt(run.p99Ms, 0)} ms`;
const failures = (run: LoadReport, status: number) =>
  `${run.completed - run.expected} not ${status}${run.completed > run.expected ? ` (${JSON.stringify(run.statusCounts)})` : ''}, ${run.errors} errors`;

/** The bare route under autocannon with the figures' settings: run before and after a group of kit runs. */
const bareRun = (bare: BareKoa) => runAutocannon({ ...LOAD, url: bare.url, expectStatus: 200, serverPid: bare.pid });

/** The bare route's line for a group, and its mean req/s (the group's ratios' denominator). */
function bareLine(before: LoadReport, after: LoadReport): { text: string; mean: number } {
  const mean = (before.perSecond + after.perSecond) / 2;
  return {
    mean,
    text:
      `  bare Koa JSON route: ${fmt(before.perSecond, 0)} req/s before the kit's runs, ${fmt(after.perSecond, 0)} after → ${fmt(mean, 0)} req/s for the ratios; ` +
      `p99 ${fmt(before.p99Ms, 0)} / ${fmt(after.p99Ms, 0)} ms; ${cpuPerRequest(before)} / ${cpuPerRequest(after)}; before: ${boundBy(before, 'bare Koa')}; after: ${boundBy(after, 'bare Koa')}`,
  };
}

/** One kit figure under autocannon as a ratio to the bare route's mean req/s. */
const ratioLine = (bareMean: number, name: string, run: LoadReport, status: number, budget: number | undefined, note = '') =>
  `  ${name}: ${fmt(run.perSecond, 0)} req/s = ${fmt(run.perSecond / bareMean, 2)}× the bare route (${budget === undefined ? 'no budget' : `budget ≥ ${budget}`}), ${cpuPerRequest(run)}, ${latency(run)}${note}, ${failures(run, status)}; ${boundBy(run, 'kit')}`;

/**
 * The durable-token floor's line: what the least work of a durable token endpoint reaches here. A
 * budget far above it cannot be met by any endpoint that stores a durable row per request (a
 * token, an order, a result update) on this machine, however lean; not a strict bound to the per
 * cent: both figures move with the run, and the floor's one event loop also waits on its fsyncs.
 */
const floorLine = (bareMean: number, floor: LoadReport, ours: string, run: LoadReport) =>
  `  durable-token floor (token-floor-process.mjs: only what any token endpoint keeping DESIGN's decisions must do — form body, the secret's HMAC compared, 32 random bytes, the token's HMAC ` +
  `inserted into SQLite at WAL + synchronous = FULL with group commit, the answer after the COMMIT — in its own process): ${fmt(floor.perSecond, 0)} req/s = ${fmt(floor.perSecond / bareMean, 2)}× the bare route, ` +
  `${cpuPerRequest(floor)}, ${latency(floor)}, ${failures(floor, 200)}; ${boundBy(floor, 'floor')}. ` +
  `A durable write per request costs at least this much here, whatever else the endpoint skips (run-to-run spread aside); ${ours} reaches ${fmt((run.perSecond / floor.perSecond) * 100, 0)} % of the floor's requests/s`;

/**
 * The endpoints SR calls, under autocannon, between two runs of the bare route with the same
 * settings (before and after, so drift from other work on the machine shows; their mean is the
 * ratios' denominator).
 */
async function reportSrEndpoints(label: string, database: string, kit: BenchKit, bare: BareKoa, assessmentKit?: BenchKit): Promise<void> {
  const load = loadavg()[0]!;
  const bareBefore = await bareRun(bare);
  const sr = await benchSmartRecruitersEndpoints(kit, LOAD);
  // The floor is a SQLite process: beside the SQLite figures only.
  const floor = assessmentKit ? await benchTokenFloor(LOAD) : undefined;
  const assessment: AssessmentBench | undefined = assessmentKit ? await benchAssessmentEndpoints(assessmentKit, { ...LOAD, orders: ORDERS }) : undefined;
  const bareAfter = await bareRun(bare);
  const baseline = bareLine(bareBefore, bareAfter);

  console.log(
    `endpoints SR calls (${label}), autocannon -c ${CONCURRENCY} in its own process, ${LOAD.seconds} s runs after a ${LOAD.warmupSeconds} s warm-up; ` +
      `${CORES} cores shared by autocannon, the server under test (a compiled kit started for these runs, alone in its process, one event loop; ${database}), the fake SR in its own process and any other work on the machine (1-min load average ${fmt(load, 2)} before the runs):`,
  );
  console.log(baseline.text);
  const line = (name: string, run: LoadReport, status: number, budget: number, note = '') => ratioLine(baseline.mean, name, run, status, budget, note);
  console.log(line('token endpoint', sr.token, 200, 0.5));
  if (floor) console.log(floorLine(baseline.mean, floor, 'our token endpoint', sr.token));
  console.log(line('bearer-protected route (integration check)', sr.bearer, 200, 0.7));
  if (assessment) {
    const { packages, orders } = assessment;
    console.log(line('assessment package list', packages, 200, 0.7));
    console.log(line('assessment order intake', orders, 202, 0.7, ' (SR waits 15 s)'));
    console.log(
      `  orders at concurrency ${CONCURRENCY}: ${orders.completed} new orders answered, ${orders.expected} of them 202, ${assessment.stored} stored → ${fmt(assessment.stored / orders.seconds, 0)} stored/s; ` +
        `lost = 202s whose order is not stored = ${assessment.lost} (202s − stored = ${orders.expected - assessment.stored}; budget 0)`,
    );
  }
  console.log(
    `  T18 (one at a time): wrong secret median ${fmt(sr.wrongSecret.medianMs, 3)} ms vs unknown client median ${fmt(sr.unknownClient.medianMs, 3)} ms`,
  );
}

/**
 * The partner API (issue 14): result PATCH intake and the connection proxy under autocannon between
 * two runs of the bare route, then the proxy's added latency one request at a time. On its own
 * compiled assessment kit (SQLite) with the fake TE Recruit, in its own process, as its provider.
 */
async function reportPartnerApi(fakeSr: FakeSrProcess, bare: BareKoa): Promise<void> {
  const provider = await startFakeProvider();
  try {
    const kit = await startBenchKit(fakeSr, { product: 'assessment', env: provider.kitEnv });
    try {
      const load = loadavg()[0]!;
      const bareBefore = await bareRun(bare);
      const partner = await benchPartnerApi(kit, provider, { ...LOAD, orders: RESULT_ORDERS, sequential: PROXY_SEQUENTIAL });
      const floor = await benchTokenFloor(LOAD);
      const bareAfter = await bareRun(bare);
      const baseline = bareLine(bareBefore, bareAfter);
      const { intake, proxy, sequential: seq } = partner;
      console.log(
        `partner API (<prefix>/partner/v1, an API key from \`keys create\`), autocannon -c ${CONCURRENCY} in its own process, ${LOAD.seconds} s runs after a ${LOAD.warmupSeconds} s warm-up; ` +
          `${CORES} cores shared by autocannon, the compiled assessment kit alone in its process (SQLite in it), the fake SR and the fake TE Recruit each in their own process and any other work on the machine (1-min load average ${fmt(load, 2)} before the runs):`,
      );
      console.log(baseline.text);
      console.log(
        ratioLine(baseline.mean, `result PATCH intake (${partner.orders} orders, the order id varying per request; IN_PROGRESS, then COMPLETED with a score)`, intake, 202, 0.5) +
          '; meanwhile the kit delivers these results to the fake SR, which holds it to SR\'s 10 requests/s: delivery work beside the intake, as in production',
      );
      console.log(
        `  result updates at concurrency ${CONCURRENCY}: ${intake.completed} answered, ${intake.expected} of them 202, ${partner.stored} of those stored (their updateId in the kit's SQLite file) → ${fmt(partner.stored / intake.seconds, 0)} stored/s; ` +
          `lost = 202s whose update is not stored = ${partner.lost} (budget 0)`,
      );
      console.log(floorLine(baseline.mean, floor, 'the result intake', intake) + ' (a result update also reads the order, decrypts and re-encrypts the result, and writes three rows)');
      console.log(
        ratioLine(baseline.mean, 'connection proxy, GET through to the fake TE Recruit API', proxy, 200, undefined) +
          ' (each proxied request is also a round trip to the provider, whose process shares the machine)',
      );
      console.log(
        `  proxy's added latency, one at a time (${seq.requests} proxied GETs alternated with ${seq.requests} direct GETs of the same provider URL with the connection's own access token, which the fake provider hands the bench): ` +
          `median ${fmt(seq.proxied.medianMs - seq.direct.medianMs, 2)} ms, p99 ${fmt(seq.proxied.p99Ms - seq.direct.p99Ms, 2)} ms ` +
          `[proxied ${fmt(seq.proxied.medianMs, 2)} / ${fmt(seq.proxied.p99Ms, 2)} ms vs direct ${fmt(seq.direct.medianMs, 2)} / ${fmt(seq.direct.p99Ms, 2)} ms; ${seq.failures} not 200]`,
      );
    } finally {
      await kit.stop();
    }
  } finally {
    await provider.stop();
  }
}

if (ONLY === 'partner-api') {
  const bare = await startBareKoa();
  const fakeSr = await startFakeSr();
  try {
    await reportPartnerApi(fakeSr, bare);
  } finally {
    await Promise.all([bare.stop(), fakeSr.stop()]);
  }
  process.exit(0);
}

if (ONLY === 'sr-endpoints') {
  const bare = await startBareKoa();
  const fakeSr = await startFakeSr();
  try {
    const kit = await startBenchKit(fakeSr);
    const assessmentKit = await startBenchKit(fakeSr, { product: 'assessment' });
    try {
      await reportSrEndpoints('SQLite', 'SQLite in it, synchronous', kit, bare, assessmentKit);
    } finally {
      await Promise.all([kit.stop(), assessmentKit.stop()]);
    }
  } finally {
    await Promise.all([bare.stop(), fakeSr.stop()]);
  }
  process.exit(0);
}

bundleSize();
packageSize();
if (ONLY === 'sizes') process.exit(0);
// One bare Koa process and one fake SR process for the whole bench; idle while the kit is measured.
const bare = await startBareKoa();
const fakeSr = await startFakeSr();
try {
  const baseline = await fetchBaseline(bare);
  console.log(
    `bare Koa JSON route under the bench process's fetch generator (the approvals' baseline; that generator, not the route, is the bound): ` +
      `${fmt(baseline.perSecond, 0)} req/s, median ${fmt(baseline.medianMs, 2)} ms, p99 ${fmt(baseline.p99Ms, 2)} ms (${BASELINE_REQUESTS} requests, concurrency ${CONCURRENCY})`,
  );

  const sqliteKit = await startBenchKit(fakeSr);
  try {
    // The approvals and the memory figure on this process; it is stopped before the endpoints' runs.
    const approvals = await benchApprovals(sqliteKit, { loaded: APPROVALS, sequential: 300, totalForMemory: 10_000, concurrency: CONCURRENCY });
    console.log(
      `approvals: ${APPROVALS} at concurrency ${CONCURRENCY}: ${fmt(approvals.loaded.perSecond, 0)} approvals/s (${fmt(approvals.loaded.perSecond / baseline.perSecond, 3)}× the bare route's req/s under the same fetch generator), ${approvals.loaded.failures} failed`,
    );
    console.log(`master-token requests for ${APPROVALS + 1} approvals (${APPROVALS} of them at concurrency ${CONCURRENCY}): ${approvals.masterTokenRequests} (budget: 1 per token lifetime)`);
    const { sequential: seq, directSequential: direct } = approvals;
    console.log(
      `kit overhead per approval, one at a time: median ${fmt(seq.medianMs - direct.medianMs, 2)} ms (budget ≤ 5 ms), p99 ${fmt(seq.p99Ms - direct.p99Ms, 2)} ms ` +
        `[approval ${fmt(seq.medianMs, 2)} / ${fmt(seq.p99Ms, 2)} ms vs the same SR calls direct ${fmt(direct.medianMs, 2)} / ${fmt(direct.p99Ms, 2)} ms]`,
    );
    console.log(
      `under load (concurrency ${CONCURRENCY}): approval median ${fmt(approvals.loaded.medianMs, 1)} ms, p99 ${fmt(approvals.loaded.p99Ms, 1)} ms vs direct SR median ${fmt(approvals.directLoaded.medianMs, 1)} ms, p99 ${fmt(approvals.directLoaded.p99Ms, 1)} ms (the kit and the fake SR each in their own process)`,
    );
    console.log(
      `memory of the kit process (compiled, alone: the fake SR in its own process; started with the bin's flags ${binNodeFlags().join(' ')}): RSS ${mb(approvals.idleMemory.rss)} MB before the approvals, ` +
        `${mb(approvals.memory.rss)} MB after 10000 approvals at concurrency ${CONCURRENCY} (budget 150 MB); after a full GC: heap in use ${mb(approvals.idleMemory.heapUsedAfterGc)} MB before, ${mb(approvals.memory.heapUsedAfterGc)} MB after, heap reserved ${mb(approvals.memory.heapTotalAfterGc)} MB, RSS ${mb(approvals.memory.rssAfterGc)} MB`,
    );
    // The same 10 000 approvals on a kit process started without the bin's heap flags (as
    // `node lib/server/cli/main.js serve` runs): what those flags are worth (README: Memory).
    const defaultsKit = await startBenchKit(fakeSr, { binFlags: false });
    try {
      const defaults = await approvalsForMemory(defaultsKit, 10_000, CONCURRENCY);
      console.log(
        `memory of the kit process with Node's defaults instead (node lib/server/cli/main.js serve, no flags): RSS ${mb(defaults.idle.rss)} MB before, ${mb(defaults.after.rss)} MB after 10000 approvals, ` +
          `${defaults.failures} failed; after a full GC: heap in use ${mb(defaults.after.heapUsedAfterGc)} MB, heap reserved ${mb(defaults.after.heapTotalAfterGc)} MB`,
      );
    } finally {
      await defaultsKit.stop();
    }
    // The endpoints' figures on fresh processes, as BENCH_ONLY=sr-endpoints measures them: the kit
    // that served the memory figure's approvals (heap-limited, forced full GCs) measured 7–18 µs
    // more CPU per request on both SR routes in three runs, which a replication of those approvals
    // alone did not show; a per-request cost should not carry another figure's history.
    await sqliteKit.stop();
    const srKit = await startBenchKit(fakeSr);
    try {
      const assessmentKit = await startBenchKit(fakeSr, { product: 'assessment' });
      try {
        await reportSrEndpoints('SQLite', 'SQLite in it, synchronous', srKit, bare, assessmentKit);
      } finally {
        await assessmentKit.stop();
      }
    } finally {
      await srKit.stop();
    }
    await reportPartnerApi(fakeSr, bare);
  } finally {
    await sqliteKit.stop();
  }

  const postgres = await startPostgres(54_000 + Math.floor(Math.random() * 1000));
  try {
    const postgresKit = await startBenchKit(fakeSr, { databaseUrl: await createDatabase(postgres.adminUrl, 'bench') });
    try {
      await reportSrEndpoints('PostgreSQL; the assessment endpoints are measured on SQLite only', 'PostgreSQL in its own processes, counted in "everything else"', postgresKit, bare);
    } finally {
      await postgresKit.stop();
    }
  } finally {
    await postgres.stop();
  }
} finally {
  await Promise.all([bare.stop(), fakeSr.stop()]);
}

const connections = await benchConnections(1000, 200);
console.log(`refresh single flight: ${connections.refreshes} refresh request(s) for 1000 concurrent token reads of one expired connection (budget: 1)`);
console.log(
  `connect callback: median ${fmt(connections.callbackMedianMs, 2)} ms, of which the provider token round trip is about ${fmt(connections.directTokenMedianMs, 2)} ms → kit overhead about ${fmt(connections.callbackMedianMs - connections.directTokenMedianMs, 2)} ms (${connections.callbackFailures} failed)`,
);

await benchResultDelivery(100, 10);
