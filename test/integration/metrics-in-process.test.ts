/**
 * The kit's metrics as the kit counts them (issue 14 item 6), in process with the demo's fakes over
 * real HTTP: provider token refreshes by outcome through the connection proxy, and the webhook
 * outbox's depth and oldest pending age while the partner's receiver is down. No token in the text.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let demo: TestDemo;
let closedPort: number;

beforeAll(async () => {
  // A port nobody listens on: the webhook receiver is down, so every event waits in the outbox.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  demo = await startTestDemo({ kitOptions: { webhook: { url: `http://127.0.0.1:${closedPort}/hook`, secret: 'w'.repeat(32) } } });
});

afterAll(async () => {
  await demo?.stop();
});

it('counts provider refreshes by outcome and shows the webhook backlog waiting, with no token in any line', async () => {
  const te = demo.providers['te-recruit'];
  const acme = await new ConnectApi(demo.kitUrl).signIn('admin@acme.test');
  const connectionId = await acme.connect('te-recruit'); // emits connection.connected: queued for the webhook
  const { key } = await demo.kit.apiKeys.create({ name: 'proxy', scopes: ['proxy'] });
  const call = () => fetch(`${demo.kitUrl}${demo.kit.paths.partnerApi}/connections/${connectionId}/proxy/hotlists`, { headers: { authorization: `Bearer ${key}` } });

  te.expireAccessTokens();
  expect((await call()).status).toBe(200); // the provider's 401 → one refresh → replay
  await (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connectionId).execute();
  te.injectFault('invalid_grant');
  expect((await call()).status).toBe(409); // needs-reconnect

  await new Promise((resolve) => setTimeout(resolve, 1_100)); // the oldest event waits over a second
  const text = await demo.kit.metrics.text();
  expect(text).toMatch(/^ats_provider_token_refreshes_total\{provider="te-recruit",outcome="success"\} 1$/m);
  expect(text).toMatch(/^ats_provider_token_refreshes_total\{provider="te-recruit",outcome="invalid_grant"\} 1$/m);
  const depth = Number(/^ats_outbox_depth\{queue="webhooks"\} (\d+)$/m.exec(text)?.[1]);
  const age = Number(/^ats_outbox_oldest_pending_age_seconds\{queue="webhooks"\} ([\d.e+-]+)$/m.exec(text)?.[1]);
  expect(depth).toBeGreaterThanOrEqual(1);
  expect(age).toBeGreaterThan(1);
  expect(text).toMatch(/^ats_outbox_depth\{queue="sr_results"\} 0$/m); // the General Partner kit has none
  for (const secret of [key, ...te.issuedTokens]) expect(text).not.toContain(secret);
  expect(text).not.toContain(connectionId);
});
