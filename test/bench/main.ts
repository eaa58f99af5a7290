/**
 * `npm run bench`: figures against the budgets of DESIGN.md, each beside a baseline measured in
 * the same run on the same machine (never a timed assertion in a test).
 *
 *  - the widget bundle's min+gzip size against the 15 KB budget (Lit included);
 *  - a bare Koa JSON route: requests/s and latency (the baseline);
 *  - 1 000 consent approvals at concurrency 50 against the fake SmartRecruiters on loopback:
 *    approvals/s and master-token requests;
 *  - the kit's median and p99 overhead per approval: approval latency minus the latency of the same
 *    SR calls made directly, both one at a time (under load, latency is mostly queueing; that
 *    figure is printed too);
 *  - memory of the kit process after 10 000 approvals;
 *  - our token endpoint and a bearer-protected route: requests/s as a ratio to the bare route, p99,
 *    on SQLite and on PostgreSQL; and unknown-client versus wrong-secret latency (T18);
 *  - provider connections: refresh requests for 1 000 concurrent token reads of one expired
 *    connection, and the connect callback's median overhead.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createDatabase, startPostgres } from '../helpers/postgres.js';
import { benchApprovals } from './approvals.js';
import { benchConnections } from './connections.js';
import { startBareKoa, startBenchKit, type BenchKit } from './bench-kit.js';
import { fmt, runLoad, type LoadResult } from './load.js';
import { benchSmartRecruitersEndpoints } from './sr-endpoints.js';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 1000);
const CONCURRENCY = 50;
const BASELINE_REQUESTS = 5000;
const ENDPOINT_REQUESTS = 5000;

function bundleSize(): void {
  const bundle = readFileSync('dist/widget/ats-consent.js');
  const gzip = gzipSync(bundle, { level: 9 }).length;
  console.log(`widget bundle: ${fmt(bundle.length / 1024)} KB min, ${fmt(gzip / 1024)} KB min+gzip; budget 15 KB → ${fmt((gzip / 1024 / 15) * 100, 0)} % of budget`);
}

async function bareKoaBaseline(): Promise<LoadResult> {
  const server = await startBareKoa();
  try {
    const get = async () => {
      const response = await fetch(server.url);
      await response.arrayBuffer();
      return response.ok;
    };
    await runLoad(500, CONCURRENCY, get); // warm-up
    return await runLoad(BASELINE_REQUESTS, CONCURRENCY, get);
  } finally {
    await server.stop();
  }
}

const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 0);

async function reportEndpoints(label: string, kit: BenchKit, baseline: LoadResult): Promise<void> {
  const result = await benchSmartRecruitersEndpoints(kit, ENDPOINT_REQUESTS, CONCURRENCY);
  const line = (name: string, load: LoadResult, budget: number) =>
    `${name} (${label}): ${fmt(load.perSecond, 0)} req/s = ${fmt(load.perSecond / baseline.perSecond, 2)}× the bare route (budget ≥ ${budget}), median ${fmt(load.medianMs, 2)} ms, p99 ${fmt(load.p99Ms, 2)} ms, ${load.failures} failed`;
  console.log(line('token endpoint', result.token, 0.5));
  console.log(line('bearer-protected route', result.bearer, 0.7));
  console.log(
    `T18 (${label}, one at a time): wrong secret median ${fmt(result.wrongSecret.medianMs, 3)} ms vs unknown client median ${fmt(result.unknownClient.medianMs, 3)} ms`,
  );
}

bundleSize();
const baseline = await bareKoaBaseline();
console.log(
  `bare Koa JSON route (baseline): ${fmt(baseline.perSecond, 0)} req/s, median ${fmt(baseline.medianMs, 2)} ms, p99 ${fmt(baseline.p99Ms, 2)} ms (${BASELINE_REQUESTS} requests, concurrency ${CONCURRENCY})`,
);

const sqliteKit = await startBenchKit();
try {
  await reportEndpoints('SQLite', sqliteKit, baseline);
  const approvals = await benchApprovals(sqliteKit, { loaded: APPROVALS, sequential: 300, totalForMemory: 10_000, concurrency: CONCURRENCY });
  console.log(
    `approvals: ${APPROVALS} at concurrency ${CONCURRENCY}: ${fmt(approvals.loaded.perSecond, 0)} approvals/s (${fmt(approvals.loaded.perSecond / baseline.perSecond, 3)}× the bare route's req/s), ${approvals.loaded.failures} failed`,
  );
  console.log(`master-token requests for ${APPROVALS + 1} approvals (${APPROVALS} of them at concurrency ${CONCURRENCY}): ${approvals.masterTokenRequests} (budget: 1 per token lifetime)`);
  const { sequential: seq, directSequential: direct } = approvals;
  console.log(
    `kit overhead per approval, one at a time: median ${fmt(seq.medianMs - direct.medianMs, 2)} ms (budget ≤ 5 ms), p99 ${fmt(seq.p99Ms - direct.p99Ms, 2)} ms ` +
      `[approval ${fmt(seq.medianMs, 2)} / ${fmt(seq.p99Ms, 2)} ms vs the same SR calls direct ${fmt(direct.medianMs, 2)} / ${fmt(direct.p99Ms, 2)} ms]`,
  );
  console.log(
    `under load (concurrency ${CONCURRENCY}): approval median ${fmt(approvals.loaded.medianMs, 1)} ms, p99 ${fmt(approvals.loaded.p99Ms, 1)} ms vs direct SR median ${fmt(approvals.directLoaded.medianMs, 1)} ms, p99 ${fmt(approvals.directLoaded.p99Ms, 1)} ms (queueing in one process)`,
  );
  console.log(
    `memory of the kit process (fake SR and fake providers inside, run through tsx): RSS ${mb(approvals.idleMemory.rssBeforeGc)} MB before the approvals, ` +
      `${mb(approvals.memory.rssBeforeGc)} MB after 10000 approvals (budget 150 MB); heap in use after a full GC ${mb(approvals.idleMemory.heapUsedAfterGc)} MB before, ${mb(approvals.memory.heapUsedAfterGc)} MB after`,
  );
} finally {
  await sqliteKit.stop();
}

const postgres = await startPostgres(54_000 + Math.floor(Math.random() * 1000));
try {
  const postgresKit = await startBenchKit({ BENCH_DATABASE_URL: await createDatabase(postgres.adminUrl, 'bench') });
  try {
    await reportEndpoints('PostgreSQL', postgresKit, baseline);
  } finally {
    await postgresKit.stop();
  }
} finally {
  await postgres.stop();
}

const connections = await benchConnections(1000, 200);
console.log(`refresh single flight: ${connections.refreshes} refresh request(s) for 1000 concurrent token reads of one expired connection (budget: 1)`);
console.log(
  `connect callback: median ${fmt(connections.callbackMedianMs, 2)} ms, of which the provider token round trip is about ${fmt(connections.directTokenMedianMs, 2)} ms → kit overhead about ${fmt(connections.callbackMedianMs - connections.directTokenMedianMs, 2)} ms (${connections.callbackFailures} failed)`,
);
