/**
 * Provider connections: the refresh single flight (refresh requests for 1 000 concurrent token
 * reads of one expired connection) and the connect callback's overhead (callback latency minus a
 * bare round trip to the provider's token endpoint), against the fake TE Recruit in this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../demo/start-demo.js';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { runLoad } from './load.js';

export async function benchConnections(reads: number, callbacks: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-connect-'));
  // One user starts every flow here: lift the per-user start limit (20 per 10 minutes by default).
  const demo = await startDemo({ kitPort: 0, srPort: 0, providerPorts: [0, 0, 0], dataDir, logLevel: 'silent', warn: () => {}, kitOptions: { connections: { startsPerUser: callbacks + 10 } } });
  try {
    const api = await new ConnectApi(demo.kitUrl).signIn();
    const fake = demo.providers['te-recruit'];

    const connectionId = await api.connect('te-recruit');
    await (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connectionId).execute();
    const refreshesBefore = fake.counts.byGrant.refresh_token ?? 0;
    await Promise.all(Array.from({ length: reads }, () => demo.kit.connections.getAccessToken(connectionId)));
    const refreshes = (fake.counts.byGrant.refresh_token ?? 0) - refreshesBefore;

    const callbackTimes: number[] = [];
    const callback = await runLoad(callbacks, 1, async () => {
      const started = await api.start('te-recruit');
      const url = await api.decide(started.authorizationUrl!, 'te-recruit');
      const begin = performance.now();
      const response = await api.callback(url);
      callbackTimes.push(performance.now() - begin);
      return response.status === 200;
    });
    const tokenUrl = demo.providerUrls['te-recruit'] + fake.paths.token;
    const direct = await runLoad(callbacks, 1, async () => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', client_id: 'demo-te-client', client_secret: 'demo-te-secret', redirect_uri: 'x' }),
      });
      await response.arrayBuffer();
      return true;
    });
    callbackTimes.sort((a, b) => a - b);
    return {
      refreshes,
      callbackMedianMs: callbackTimes[Math.floor(callbackTimes.length / 2)]!,
      directTokenMedianMs: direct.medianMs,
      callbackFailures: callback.failures,
    };
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

