/**
 * One autocannon figure at a time, for profiling and quick comparisons while changing the kit:
 *   BENCH_CPU_PROF=/tmp/prof node --import tsx test/bench/one-endpoint.ts token|bearer|packages|patch|bare [seconds]
 * (`patch`: the partner API's result intake across 500 orders, as partner-api.ts runs it.)
 * Prints the run's req/s and the kit's CPU per request (no ratio, no budget: `npm run bench` owns those).
 */
import { runAgainstKit, runAutocannon } from './autocannon-load.js';
import { startBareKoa, startBenchKit, startFakeSr } from './bench-kit.js';
import { ORDER_ID, placeOrders, RESULT_BODIES } from './partner-api.js';

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
const kit = await startBenchKit(fakeSr, { product: which === 'packages' || which === 'patch' ? 'assessment' : 'general' });
try {
  const tokenUrl = kit.kitUrl + kit.paths.token;
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: kit.client.clientId, client_secret: kit.client.clientSecret }).toString();
  let run;
  if (which === 'patch') {
    const key = kit.cli(['keys', 'create', '--scopes', 'write', '--name', 'bench']).split('\n', 1)[0]!.trim();
    const url = `${kit.kitUrl}${kit.paths.partnerApi}/assessment/orders/${ORDER_ID}/result`;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    run = await runAgainstKit(kit, { ...load, url, method: 'PATCH', headers, cycle: { placeholder: ORDER_ID, values: await placeOrders(kit, 500), bodies: RESULT_BODIES }, expectStatus: 202 });
  } else if (which === 'token') run = await runAgainstKit(kit, { ...load, url: tokenUrl, method: 'POST', headers: formHeaders, body, expectStatus: 200 });
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
