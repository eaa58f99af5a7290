/**
 * One autocannon figure at a time, for profiling and quick comparisons while changing the kit:
 *   BENCH_CPU_PROF=/tmp/prof node --import tsx test/bench/one-endpoint.ts token|bearer|packages|bare [seconds]
 * Prints the run's req/s and the kit's CPU per request (no ratio, no budget: `npm run bench` owns those).
 */
import { runAgainstKit, runAutocannon } from './autocannon-load.js';
import { startBareKoa, startBenchKit, startFakeSr } from './bench-kit.js';

const which = process.argv[2] ?? 'token';
const seconds = Number(process.argv[3] ?? 6);
const load = { connections: 50, seconds, warmupSeconds: 1 };
const cpu = (r: { serverCores?: number; seconds: number; completed: number }) => ((r.serverCores ?? 0) * r.seconds * 1e6) / r.completed;

if (which === 'bare') {
  const bare = await startBareKoa();
  const run = await runAutocannon({ ...load, url: bare.url, expectStatus: 200, serverPid: bare.pid });
  console.log(`bare: ${run.perSecond.toFixed(0)} req/s, ${cpu(run).toFixed(0)} µs CPU/request, server ${run.serverCores?.toFixed(2)} cores, autocannon ${run.generatorCores.toFixed(2)}`);
  await bare.stop();
  process.exit(0);
}
const fakeSr = await startFakeSr();
const kit = await startBenchKit(fakeSr, { product: which === 'packages' ? 'assessment' : 'general' });
try {
  const tokenUrl = kit.kitUrl + kit.paths.token;
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: kit.client.clientId, client_secret: kit.client.clientSecret }).toString();
  let run;
  if (which === 'token') run = await runAgainstKit(kit, { ...load, url: tokenUrl, method: 'POST', headers: formHeaders, body, expectStatus: 200 });
  else {
    const token = ((await (await fetch(tokenUrl, { method: 'POST', headers: formHeaders, body })).json()) as { access_token: string }).access_token;
    const authorization = `Bearer ${token}`;
    // As assessment-endpoints.ts asks for the package list.
    if (which === 'packages') {
      const url = `${kit.kitUrl}${kit.paths.assessmentPackages}?country-code=de&city=Berlin&remote=false&department=Engineering`;
      run = await runAgainstKit(kit, { ...load, url, headers: { authorization, requester: JSON.stringify({ email: 'rita.recruiter@acme-assess.example' }) }, expectStatus: 200 });
    } else run = await runAgainstKit(kit, { ...load, url: kit.kitUrl + kit.paths.integrationCheck, headers: { authorization }, expectStatus: 200 });
  }
  console.log(`${which}: ${run.perSecond.toFixed(0)} req/s, ${cpu(run).toFixed(0)} µs CPU/request, kit ${run.serverCores?.toFixed(2)} cores, loop ${((run.serverLoopBusy ?? 0) * 100).toFixed(0)} %, autocannon ${run.generatorCores.toFixed(2)}, ${run.completed} requests, ${run.completed - run.expected} not 200`);
} finally {
  await kit.stop();
  await fakeSr.stop();
}
