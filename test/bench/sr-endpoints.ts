/**
 * The endpoints SmartRecruiters calls: our token endpoint and a bearer-protected route, under
 * autocannon in its own process (autocannon-process.ts); and the latency of an unknown client
 * versus a wrong secret (T18), one request at a time.
 */
import { startTokenFloor, type BenchKit } from './bench-kit.js';
import { runAgainstKit, runAutocannon, type LoadReport } from './autocannon-load.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface EndpointLoad {
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export async function benchSmartRecruitersEndpoints(
  kit: BenchKit,
  load: EndpointLoad,
): Promise<{ token: LoadReport; bearer: LoadReport; wrongSecret: { medianMs: number }; unknownClient: { medianMs: number } }> {
  const tokenUrl = kit.kitUrl + kit.paths.token;
  const form = (clientId: string, clientSecret: string) =>
    new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const postToken = (body: string) => fetch(tokenUrl, { method: 'POST', headers: formHeaders, body });

  const valid = form(kit.client.clientId, kit.client.clientSecret);
  const token = await runAgainstKit(kit, { ...load, url: tokenUrl, method: 'POST', headers: formHeaders, body: valid, expectStatus: 200 });

  const accessToken = ((await (await postToken(valid)).json()) as { access_token: string }).access_token;
  const checkUrl = kit.kitUrl + kit.paths.integrationCheck;
  const bearer = await runAgainstKit(kit, { ...load, url: checkUrl, headers: { authorization: `Bearer ${accessToken}` }, expectStatus: 200 });

  // T18: interleaved, and with the same failure history on both sides (one id each, reused), since
  // the throttle's cost grows with an id's recent failures: a reused known id against fresh unknown
  // ids measures that history (and 429 against 401 once the known id is throttled), not existence.
  const unknownId = 'ats_unknown_client_id';
  const wrongSecretMs: number[] = [];
  const unknownClientMs: number[] = [];
  const timed = async (clientId: string, into: number[]) => {
    const begin = performance.now();
    await (await postToken(form(clientId, 'x'.repeat(43)))).arrayBuffer();
    into.push(performance.now() - begin);
  };
  for (let i = 0; i < 500; i += 1) {
    if (i % 2 === 0) {
      await timed(kit.client.clientId, wrongSecretMs);
      await timed(unknownId, unknownClientMs);
    } else {
      await timed(unknownId, unknownClientMs);
      await timed(kit.client.clientId, wrongSecretMs);
    }
  }
  return { token, bearer, wrongSecret: { medianMs: median(wrongSecretMs) }, unknownClient: { medianMs: median(unknownClientMs) } };
}

/**
 * The durable-token floor (token-floor-process.mjs) under the same load as our token endpoint: the
 * same form body and answer, in its own process. Its ratio to the bare route bounds what any token
 * endpoint that stores a durable HMAC per token can reach on this machine; every other durable
 * write the kit answers for (an order, a result update) does at least this much per request.
 */
export async function benchTokenFloor(load: EndpointLoad): Promise<LoadReport> {
  const floor = await startTokenFloor();
  try {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'floor-client', client_secret: floor.clientSecret }).toString();
    return await runAutocannon({ ...load, url: floor.url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, expectStatus: 200, serverPid: floor.pid });
  } finally {
    await floor.stop();
  }
}
