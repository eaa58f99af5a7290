/**
 * Consent approvals against the fake SmartRecruiters, with the same SR calls made directly as the
 * baseline for the kit's overhead.
 */
import type { BenchKit } from './bench-kit.js';
import { BENCH_SR } from './bench-sr-credentials.js';
import { runLoad } from './load.js';

export async function benchApprovals(kit: BenchKit, counts: { loaded: number; sequential: number; totalForMemory: number; concurrency: number }) {
  // Sessions are sealed before each run, so the generator's time goes to requests only.
  const sessions = (prefix: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => kit.session(`${prefix}-${i}`)));
  const approve = (seals: string[]) => async (index: number) => (await kit.approve(seals[index]!)) === 200;
  const tokenRequests = async () =>
    ((await (await fetch(`${kit.srUrl}/__fake/state`)).json()) as { counts: { tokenRequests: number } }).counts.tokenRequests;

  const idleMemory = await kit.memory();
  const loaded = await runLoad(counts.loaded, counts.concurrency, approve(await sessions('LOAD', counts.loaded)));
  // Every token request the fake SR saw since the kit started (the kit's setup approval included):
  // all of them master-token requests, since nothing else has asked for a token yet.
  const masterTokenRequests = await tokenRequests();

  // The same SR work without the kit: one token, then the integrations POST per company.
  const tokenResponse = await fetch(`${kit.srUrl}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...{ client_id: BENCH_SR.general.clientId, client_secret: BENCH_SR.general.clientSecret } }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const direct = (prefix: string) => async (index: number) => {
    const response = await fetch(`${kit.srUrl}/apps-integrations/partner-api/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appId: BENCH_SR.appId, companyId: `${prefix}-${index}`, clientId: `${prefix}-${index}`, clientSecret: 'x'.repeat(43) }),
    });
    await response.arrayBuffer();
    return response.status === 200;
  };
  const directLoaded = await runLoad(counts.loaded, counts.concurrency, direct('DIRECT-LOAD'));
  const sequential = await runLoad(counts.sequential, 1, approve(await sessions('SEQ', counts.sequential)));
  const directSequential = await runLoad(counts.sequential, 1, direct('DIRECT-SEQ'));
  const remaining = counts.totalForMemory - counts.loaded - counts.sequential;
  if (remaining > 0) await runLoad(remaining, counts.concurrency, approve(await sessions('RSS', remaining)));
  return { loaded, directLoaded, sequential, directSequential, masterTokenRequests, idleMemory, memory: await kit.memory() };
}

/** Only the memory figure: `total` approvals at `concurrency` on a fresh kit, then its memory. */
export async function approvalsForMemory(kit: BenchKit, total: number, concurrency: number) {
  const idle = await kit.memory();
  const sessions = await Promise.all(Array.from({ length: total }, (_, i) => kit.session(`MEM-${i}`)));
  const run = await runLoad(total, concurrency, async (index) => (await kit.approve(sessions[index]!)) === 200);
  return { idle, after: await kit.memory(), failures: run.failures };
}
