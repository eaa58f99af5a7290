/**
 * Consent approvals against the fake SmartRecruiters, with the same SR calls made directly as the
 * baseline for the kit's overhead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealData } from 'iron-session';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';
import type { BenchKit } from './bench-kit.js';
import { runLoad } from './load.js';

export async function benchApprovals(kit: BenchKit, counts: { loaded: number; sequential: number; totalForMemory: number; concurrency: number }) {
  const secrets = JSON.parse(readFileSync(join(kit.dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string; masterClientSecret: string };
  const { passwordHash: _hash, username: _name, ...user } = DEMO_USERS[0]!;
  // Signed-in sessions are an input here, sealed directly: the bench measures approval, not scrypt.
  const session = (companyId: string) =>
    sealData({ csrf: 'bench', txn: { id: companyId, companyId, redirect: null }, user, signedInAt: Date.now() }, { password: secrets.sessionSecret, ttl: 900 });
  const sealsFor = (prefix: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => session(`${prefix}-${i}`)));
  const approve = (seals: string[]) => async (index: number) => {
    const response = await fetch(kit.kitUrl + kit.paths.approve, {
      method: 'POST',
      headers: { origin: kit.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: seals[index]!, [CSRF_HEADER]: 'bench' },
      body: '{}',
    });
    await response.arrayBuffer();
    return response.status === 200;
  };
  const tokenRequests = async () =>
    ((await (await fetch(`${kit.srUrl}/__fake/state`)).json()) as { counts: { tokenRequests: number } }).counts.tokenRequests;

  const idleMemory = await kit.memory();
  const loaded = await runLoad(counts.loaded, counts.concurrency, approve(await sealsFor('LOAD', counts.loaded)));
  // Every token request the fake SR saw since the kit started (the kit's setup approval included):
  // all of them master-token requests, since nothing else has asked for a token yet.
  const masterTokenRequests = await tokenRequests();

  // The same SR work without the kit: one token, then the integrations POST per company.
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
  const directLoaded = await runLoad(counts.loaded, counts.concurrency, direct('DIRECT-LOAD'));
  const sequential = await runLoad(counts.sequential, 1, approve(await sealsFor('SEQ', counts.sequential)));
  const directSequential = await runLoad(counts.sequential, 1, direct('DIRECT-SEQ'));
  const remaining = counts.totalForMemory - counts.loaded - counts.sequential;
  if (remaining > 0) await runLoad(remaining, counts.concurrency, approve(await sealsFor('RSS', remaining)));
  return { loaded, directLoaded, sequential, directSequential, masterTokenRequests, idleMemory, memory: await kit.memory() };
}
