/**
 * Every outbound response is capped (reference/security.md T37 "A 10 MB response → aborted"),
 * token endpoints included (finding 9 of issue 13): a hostile token endpoint on loopback answers
 * 10 MB of valid JSON, announced by Content-Length or chunked, and the kit's call fails with the
 * user-facing "could not read" upstream error while the transfer is cut off, not buffered.
 * Covered: SmartRecruiters' master token (approve), a provider's code exchange and its refresh.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtsServerError } from '../../server/errors.js';
import type { KyselyStore } from '../../server/store/kysely-store.js';
import { ConnectApi } from '../helpers/connect-api.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

const HUGE_BYTES = 10 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

type Mode = 'token' | 'huge-with-length' | 'huge-chunked';
type HugeMode = Exclude<Mode, 'token'>;

interface Served {
  path: string;
  /** Bytes the server handed to the socket before the client went away (or all of them). */
  bytesWritten: number;
  /** The whole body went out: the client read (or at least accepted) all 10 MB. */
  finished: boolean;
  closed: boolean;
}

/** A token endpoint that answers a small valid token response, or 10 MB of valid JSON, paced. */
class HostileTokenEndpoint {
  mode: Mode = 'token';
  served: Served[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** The last huge response, once the server knows how it ended. */
  async lastHuge(): Promise<Served> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const last = this.served.at(-1);
      if (last && (last.closed || last.finished)) return last;
      if (Date.now() > deadline) throw new Error('no huge response ended');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req); // the form body
    if (this.mode === 'token') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ access_token: `at-${Math.random()}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${Math.random()}` }));
      return;
    }
    const head = '{"access_token":"';
    const tail = '","token_type":"Bearer","expires_in":3600}';
    const filler = Buffer.alloc(HUGE_BYTES - head.length - tail.length, 'a');
    const body = Buffer.concat([Buffer.from(head), filler, Buffer.from(tail)]);
    const served: Served = { path: req.url ?? '', bytesWritten: 0, finished: false, closed: false };
    this.served.push(served);
    res.on('close', () => (served.closed = true));
    res.on('finish', () => (served.finished = true));
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(this.mode === 'huge-with-length' ? { 'content-length': String(body.length) } : {}), // else chunked
    });
    // Paced, so the outcome shows in what the server managed to send, not in socket buffer sizes.
    for (let offset = 0; offset < body.length && !res.destroyed; offset += CHUNK_BYTES) {
      const chunk = body.subarray(offset, offset + CHUNK_BYTES);
      const flushed = res.write(chunk);
      served.bytesWritten += chunk.length;
      if (!flushed) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    if (!res.destroyed) res.end();
  }
}

let hostile: HostileTokenEndpoint;
let demo: TestDemo;

beforeAll(async () => {
  hostile = new HostileTokenEndpoint();
  await hostile.start();
  demo = await startTestDemo({
    kitOptions: {
      smartRecruiters: {
        apiBaseUrl: hostile.url, // its token endpoint is /identity/oauth/token
        appId: 'cap-app',
        clientId: 'cap-master',
        clientSecret: 'cap-master-secret',
        scopes: ['candidates_read'],
        timeoutMs: 5_000,
      },
      providers: {
        'hostile-ats': {
          displayName: 'Hostile ATS',
          authorizationEndpoint: `${hostile.url}/authorize`,
          tokenEndpoint: `${hostile.url}/token`,
          clientAuth: 'client_secret_post',
          clientId: 'cap-client',
          clientSecret: 'cap-client-secret',
        },
      },
    },
  });
});
afterAll(async () => {
  await demo?.stop();
  await hostile?.stop();
});

/** The transfer was cut short: neither buffered whole by the kit nor even sent whole. */
function expectAborted(served: Served, path: string): void {
  expect(served.path).toBe(path);
  expect(served.finished).toBe(false);
  expect(served.bytesWritten).toBeLessThan(HUGE_BYTES / 2);
}

const modes: HugeMode[] = ['huge-with-length', 'huge-chunked'];

describe('SmartRecruiters master token (approve), T37', () => {
  it.each(modes)('%s: approve answers 502 ATS_UPSTREAM_BAD_RESPONSE and the transfer is aborted', async (mode) => {
    const api = await new ConsentApi(demo.kitUrl).start(`CAP-${mode}`);
    hostile.mode = mode;
    const response = await api.approve();
    expect(response.status).toBe(502);
    expect(JSON.stringify(response.body)).toContain('ATS_UPSTREAM_BAD_RESPONSE');
    expect(JSON.stringify(response.body)).toContain('SmartRecruiters sent an answer we could not read');
    expectAborted(await hostile.lastHuge(), '/identity/oauth/token');
  });
});

describe('provider code exchange and refresh, T37', () => {
  let api: ConnectApi;
  beforeAll(async () => {
    api = await new ConnectApi(demo.kitUrl).signIn();
  });

  /** Starts a connection and returns the callback URL the provider would redirect to. */
  async function callbackUrl(): Promise<{ url: URL; flowId: string }> {
    const started = await api.start('hostile-ats');
    expect(started.status).toBe(200);
    const url = new URL(`${demo.kitUrl}/ats/connect/hostile-ats/callback`);
    url.searchParams.set('code', 'a-code');
    url.searchParams.set('state', started.authorizationUrl!.searchParams.get('state')!);
    return { url, flowId: started.flowId };
  }

  it.each(modes)('%s: the code exchange fails with a plain message, nothing is connected, the transfer is aborted', async (mode) => {
    const { url, flowId } = await callbackUrl();
    hostile.mode = mode;
    const result = await api.callback(url);
    expect(result.html).toContain('Hostile ATS could not be reached or answered unexpectedly');
    expect((await api.flowStatus(flowId)).body.status).toBe('failed');
    expectAborted(await hostile.lastHuge(), '/token');
  });

  it.each(modes)('%s: a refresh fails with 502 ATS_UPSTREAM_BAD_RESPONSE naming the provider, the transfer is aborted', async (mode) => {
    hostile.mode = 'token';
    const { url, flowId } = await callbackUrl();
    expect((await api.callback(url)).status).toBe(200);
    const connectionId = String((await api.flowStatus(flowId)).body.connectionId);
    await (demo.kit.store as KyselyStore).db.updateTable('connections').set({ expires_at: Date.now() - 1 }).where('id', '=', connectionId).execute();

    hostile.mode = mode;
    const error = (await demo.kit.connections.getAccessToken(connectionId).catch((caught: unknown) => caught)) as AtsServerError;
    expect(error).toMatchObject({ status: 502, code: 'ATS_UPSTREAM_BAD_RESPONSE' });
    expect(error.message).toContain('Hostile ATS sent an answer we could not read');
    expectAborted(await hostile.lastHuge(), '/token');
    expect((await demo.kit.connections.get(connectionId))?.status).toBe('connected'); // not a dead grant: retry later
  });
});
