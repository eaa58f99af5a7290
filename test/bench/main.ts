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
 *  - RSS after 10 000 approvals.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sealData } from 'iron-session';
import Koa from 'koa';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';
import { fmt, runLoad } from './load.js';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 1000);
const SEQUENTIAL = 300;
const RSS_APPROVALS = 10_000;
const CONCURRENCY = 50;
const BASELINE_REQUESTS = 5000;

function bundleSize(): void {
  const bundle = readFileSync('dist/widget/ats-consent.js');
  const gzip = gzipSync(bundle, { level: 9 }).length;
  console.log(`widget bundle: ${fmt(bundle.length / 1024)} KB min, ${fmt(gzip / 1024)} KB min+gzip; budget 15 KB → ${fmt((gzip / 1024 / 15) * 100, 0)} % of budget`);
}

async function bareKoaBaseline() {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await runLoad(500, CONCURRENCY, async () => (await fetch(url)).ok); // warm-up
  const result = await runLoad(BASELINE_REQUESTS, CONCURRENCY, async () => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.ok;
  });
  server.close();
  return result;
}

interface KitProcess {
  kitUrl: string;
  srUrl: string;
  dataDir: string;
  approvePath: string;
  pid: number;
  stop(): void;
  memory(): Promise<{ rssBeforeGc: number; heapUsedAfterGc: number }>;
}

async function startKitProcess(): Promise<KitProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/kit-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiters.push(resolve)));
  const ready = JSON.parse(await nextLine()) as Omit<KitProcess, 'pid' | 'stop' | 'memory'>;
  return {
    ...ready,
    pid: child.pid!,
    stop: () => child.kill('SIGTERM'),
    memory: async () => {
      child.kill('SIGUSR2');
      return JSON.parse(await nextLine()) as { rssBeforeGc: number; heapUsedAfterGc: number };
    },
  };
}

async function approvals() {
  const kit = await startKitProcess();
  const secrets = JSON.parse(readFileSync(join(kit.dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string; masterClientSecret: string };
  const { passwordHash: _hash, username: _name, ...user } = DEMO_USERS[0]!;
  // Signed-in sessions are an input here, sealed directly: the bench measures approval, not scrypt.
  const session = (companyId: string) =>
    sealData({ csrf: 'bench', txn: { id: companyId, companyId, redirect: null }, user, signedInAt: Date.now() }, { password: secrets.sessionSecret, ttl: 900 });
  const approve = (seals: string[]) => async (index: number) => {
    const response = await fetch(kit.kitUrl + kit.approvePath, {
      method: 'POST',
      headers: { origin: kit.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: seals[index]!, [CSRF_HEADER]: 'bench' },
      body: '{}',
    });
    await response.arrayBuffer();
    return response.status === 200;
  };
  const sealsFor = (prefix: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => session(`${prefix}-${i}`)));
  const tokenRequests = async () =>
    ((await (await fetch(`${kit.srUrl}/__fake/state`)).json()) as { counts: { tokenRequests: number } }).counts.tokenRequests;

  // The same SR work without the kit: one cached token, then the integrations POST per company.
  const tokenResponse = await fetch(`${kit.srUrl}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-partner-master', client_secret: secrets.masterClientSecret }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const direct = (prefix: string) => async (index: number) => {
    const response = await fetch(`${kit.srUrl}/apps-integrations/partner-api/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appId: 'demo-app', companyId: `${prefix}-${index}`, clientId: `${prefix}-${index}`, clientSecret: 'x'.repeat(43) }),
    });
    await response.arrayBuffer();
    return response.status === 200;
  };

  try {
    const tokensBefore = await tokenRequests();
    const loaded = await runLoad(APPROVALS, CONCURRENCY, approve(await sealsFor('LOAD', APPROVALS)));
    const tokensUsed = (await tokenRequests()) - tokensBefore;
    const directLoaded = await runLoad(APPROVALS, CONCURRENCY, direct('DIRECT-LOAD'));
    const sequential = await runLoad(SEQUENTIAL, 1, approve(await sealsFor('SEQ', SEQUENTIAL)));
    const directSequential = await runLoad(SEQUENTIAL, 1, direct('DIRECT-SEQ'));
    const remaining = RSS_APPROVALS - APPROVALS - SEQUENTIAL;
    if (remaining > 0) await runLoad(remaining, CONCURRENCY, approve(await sealsFor('RSS', remaining)));
    return { loaded, directLoaded, sequential, directSequential, tokenRequests: tokensUsed, memory: await kit.memory() };
  } finally {
    kit.stop();
  }
}

bundleSize();
const baseline = await bareKoaBaseline();
console.log(
  `bare Koa JSON route (baseline): ${fmt(baseline.perSecond, 0)} req/s, median ${fmt(baseline.medianMs, 2)} ms, p99 ${fmt(baseline.p99Ms, 2)} ms (${BASELINE_REQUESTS} requests, concurrency ${CONCURRENCY})`,
);
const result = await approvals();
console.log(
  `approvals: ${APPROVALS} at concurrency ${CONCURRENCY}: ${fmt(result.loaded.perSecond, 0)} approvals/s (${fmt(result.loaded.perSecond / baseline.perSecond, 3)}× the bare route's req/s), ${result.loaded.failures} failed`,
);
console.log(`master-token requests for ${APPROVALS} concurrent approvals: ${result.tokenRequests} (budget: 1 per token lifetime)`);
console.log(
  `kit overhead per approval, one at a time: median ${fmt(result.sequential.medianMs - result.directSequential.medianMs, 2)} ms (budget ≤ 5 ms), p99 ${fmt(result.sequential.p99Ms - result.directSequential.p99Ms, 2)} ms ` +
    `[approval ${fmt(result.sequential.medianMs, 2)} / ${fmt(result.sequential.p99Ms, 2)} ms vs the same SR calls direct ${fmt(result.directSequential.medianMs, 2)} / ${fmt(result.directSequential.p99Ms, 2)} ms]`,
);
console.log(
  `under load (concurrency ${CONCURRENCY}): approval median ${fmt(result.loaded.medianMs, 1)} ms, p99 ${fmt(result.loaded.p99Ms, 1)} ms vs direct SR median ${fmt(result.directLoaded.medianMs, 1)} ms, p99 ${fmt(result.directLoaded.p99Ms, 1)} ms (queueing in one process)`,
);
const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 0);
console.log(
  `memory of the kit process (fake SR inside) after ${RSS_APPROVALS} approvals: RSS ${mb(result.memory.rssBeforeGc)} MB (budget 150 MB); heap in use after a full GC ${mb(result.memory.heapUsedAfterGc)} MB`,
);
