/**
 * `npm run bench`: figures against the budgets of DESIGN.md, each beside a baseline measured in
 * the same run on the same machine (never a timed assertion in a test).
 *
 *  - the widget bundle's min+gzip size against the 15 KB budget (Lit included);
 *  - a bare Koa JSON route: requests/s and latency (the baseline);
 *  - 1 000 consent approvals at concurrency 50 against the fake SmartRecruiters on loopback:
 *    approvals/s, master-token requests, and the kit's median and p99 overhead per approval
 *    (approval latency minus the latency of the same SR calls made directly at the same load);
 *  - RSS after the approvals.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sealData } from 'iron-session';
import Koa from 'koa';
import { startDemo } from '../../demo/start-demo.js';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';
import { fmt, runLoad } from './load.js';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 1000);
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

async function approvals() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-'));
  const demo = await startDemo({ kitPort: 0, srPort: 0, dataDir, logLevel: 'silent', warn: () => {} });
  const secrets = JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string; masterClientSecret: string };
  const user = DEMO_USERS[0]!;
  const { passwordHash: _omit, username: _name, ...authenticated } = user;
  // Signed-in sessions are an input here, sealed directly: the bench measures approval, not scrypt.
  const sessions = await Promise.all(
    Array.from({ length: APPROVALS }, async (_, index) => {
      const csrf = `csrf-${index}`;
      const seal = await sealData(
        { csrf, txn: { id: `txn-${index}`, companyId: `BENCH-${index}`, redirect: null }, user: authenticated, signedInAt: Date.now() },
        { password: secrets.sessionSecret, ttl: 900 },
      );
      return { csrf, seal };
    }),
  );
  const approveUrl = `${demo.kitUrl}${demo.kit.paths.approve}`;
  const tokensBefore = demo.fakeSr.counts.tokenRequests;
  const kit = await runLoad(APPROVALS, CONCURRENCY, async (index) => {
    const response = await fetch(approveUrl, {
      method: 'POST',
      headers: { origin: demo.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: sessions[index]!.seal, [CSRF_HEADER]: sessions[index]!.csrf },
      body: '{}',
    });
    await response.arrayBuffer();
    return response.status === 200;
  });
  const tokenRequests = demo.fakeSr.counts.tokenRequests - tokensBefore;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;

  // The same SR work without the kit: one cached token, then the integrations POST per company.
  const tokenResponse = await fetch(`${demo.srUrl}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-partner-master', client_secret: secrets.masterClientSecret }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const direct = await runLoad(APPROVALS, CONCURRENCY, async (index) => {
    const response = await fetch(`${demo.srUrl}/apps-integrations/partner-api/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appId: 'demo-app', companyId: `DIRECT-${index}`, clientId: `direct-${index}`, clientSecret: 'x'.repeat(43) }),
    });
    await response.arrayBuffer();
    return response.status === 200;
  });
  const integrations = demo.fakeSr.integrations.size;
  await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { kit, direct, tokenRequests, rssMb, integrations };
}

bundleSize();
const baseline = await bareKoaBaseline();
console.log(
  `bare Koa JSON route (baseline): ${fmt(baseline.perSecond, 0)} req/s, median ${fmt(baseline.medianMs, 2)} ms, p99 ${fmt(baseline.p99Ms, 2)} ms (${BASELINE_REQUESTS} requests, concurrency ${CONCURRENCY})`,
);
const result = await approvals();
console.log(
  `approvals: ${APPROVALS} at concurrency ${CONCURRENCY}: ${fmt(result.kit.perSecond, 0)} approvals/s (${fmt(result.kit.perSecond / baseline.perSecond, 3)}× the bare route's req/s), ${result.kit.failures} failed`,
);
console.log(`master-token requests for ${APPROVALS} approvals: ${result.tokenRequests} (budget: 1 per token lifetime)`);
console.log(
  `approval latency: median ${fmt(result.kit.medianMs, 2)} ms, p99 ${fmt(result.kit.p99Ms, 2)} ms; the same SR calls made directly: median ${fmt(result.direct.medianMs, 2)} ms, p99 ${fmt(result.direct.p99Ms, 2)} ms`,
);
console.log(
  `kit overhead per approval: median ${fmt(result.kit.medianMs - result.direct.medianMs, 2)} ms (budget ≤ 5 ms), p99 ${fmt(result.kit.p99Ms - result.direct.p99Ms, 2)} ms`,
);
console.log(`RSS after ${APPROVALS} approvals (kit + fake SR + load generator in one process): ${fmt(result.rssMb, 0)} MB (budget 150 MB after 10 000)`);
