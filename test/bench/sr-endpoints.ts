/**
 * The endpoints SmartRecruiters calls: our token endpoint and a bearer-protected route, under load;
 * and the latency of an unknown client versus a wrong secret (T18), one request at a time.
 */
import type { BenchKit } from './bench-kit.js';
import { runLoad } from './load.js';

export async function benchSmartRecruitersEndpoints(kit: BenchKit, requests: number, concurrency: number) {
  const tokenUrl = kit.kitUrl + kit.paths.token;
  const form = (clientId: string, clientSecret: string) =>
    new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
  const postToken = (body: string) =>
    fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  const valid = form(kit.client.clientId, kit.client.clientSecret);
  await runLoad(200, concurrency, async () => (await (await postToken(valid)).arrayBuffer(), true)); // warm-up
  const token = await runLoad(requests, concurrency, async () => {
    const response = await postToken(valid);
    await response.arrayBuffer();
    return response.status === 200;
  });

  const accessToken = ((await (await postToken(valid)).json()) as { access_token: string }).access_token;
  const checkUrl = kit.kitUrl + kit.paths.integrationCheck;
  const bearer = await runLoad(requests, concurrency, async () => {
    const response = await fetch(checkUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    await response.arrayBuffer();
    return response.status === 200;
  });

  const wrongSecret = await runLoad(500, 1, async () => ((await (await postToken(form(kit.client.clientId, 'x'.repeat(43)))).arrayBuffer()), true));
  const unknownClient = await runLoad(500, 1, async (i) => ((await (await postToken(form(`ats_unknown_${i}`, 'x'.repeat(43)))).arrayBuffer()), true));
  return { token, bearer, wrongSecret, unknownClient };
}
