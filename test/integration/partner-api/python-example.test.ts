/**
 * The Python example (examples/python/assessment_flow.py, issue 14 item 5) run by the suite as a
 * partner would run it: `python3` as a child process against a demo over loopback, with the base
 * URLs and keys in its environment. Proved by what the fake SmartRecruiters and the fake TE Recruit
 * received, its exit code and its output (which must never hold a key or a token).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableAssessment } from '../../helpers/assessment-fixture.js';
import { ConnectApi } from '../../helpers/connect-api.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

const SCRIPT = resolve('examples/python/assessment_flow.py');
const ACME = 'ACME-ASSESS';
const ADA = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';

let demo: TestDemo;
const keys = {} as Record<'assessment' | 'reader' | 'proxy', string>;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { env, timeout: 60_000 }, (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
}

/** Runs the script with only the variables it documents (and PATH), as a partner's scheduler would. */
const runScript = (env: Record<string, string>) => runProcess('python3', [SCRIPT], { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env });

const apiUrl = (kit: TestDemo['kit']) => demo.kitUrl + kit.paths.partnerApi;

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000 });
  expect((await enableAssessment(demo, ACME)).approved.status).toBe(200);
  keys.assessment = (await demo.assessmentKit.apiKeys.create({ name: 'python', scopes: ['read', 'write'] })).key;
  keys.reader = (await demo.assessmentKit.apiKeys.create({ name: 'python reader', scopes: ['read'] })).key;
  keys.proxy = (await demo.kit.apiKeys.create({ name: 'python proxy', scopes: ['read', 'proxy'] })).key;
  // The user's TE Recruit connection the script reaches through the general kit's proxy.
  await (await new ConnectApi(demo.kitUrl).signIn('admin@acme.test')).connect('te-recruit');
});

afterAll(async () => {
  await demo?.stop();
});

describe('examples/python/assessment_flow.py', () => {
  it('walks the flow: new orders, candidate and job, IN_PROGRESS, COMPLETED with a score, a multipart PDF, TE Recruit through the proxy, the feed', async () => {
    const sr = demo.fakeSr.assessment!;
    const placed = await Promise.all([sr.orderAssessment(ACME, ADA, 'video-intro'), sr.orderAssessment(ACME, ADA, 'video-intro')]);
    const orderIds = placed.map((outcome) => outcome.orderId!);
    const readsBefore = sr.readCalls.length;
    const teBefore = demo.providers['te-recruit'].api.requests.length;

    const run = await runScript({
      ATS_API_URL: apiUrl(demo.assessmentKit),
      ATS_API_KEY: keys.assessment,
      ATS_PROXY_API_URL: apiUrl(demo.kit),
      ATS_PROXY_API_KEY: keys.proxy,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('new orders: 2');

    for (const orderId of orderIds) {
      const atSr = sr.orders.get(orderId)!;
      expect(atSr.patches.map((entry) => (entry.patch as { status: string }).status)).toEqual(['IN_PROGRESS', 'COMPLETED']);
      expect(atSr.result).toEqual({ status: 'COMPLETED', score: { raw: 87, min: 0, max: 100 }, scoreLabel: '87/100' });
      expect(atSr.attachments.map((file) => [file.filename, file.contentType])).toEqual([['report.pdf', 'application/pdf']]);
      expect(run.stdout).toContain(`order ${orderId} (video-intro): candidate Ada`);
      expect(run.stdout).toMatch(new RegExp(`event assessment\\.result\\.delivered ${orderId}`));
    }
    expect(run.stdout).toContain('at SmartRecruiters: result delivered, attachments delivered');
    // The candidate and the job of each order, read at SR with the order's company's token.
    expect(sr.readCalls.slice(readsBefore).map((call) => [call.path.split('/')[1], call.companyId, call.status])).toEqual(
      orderIds.flatMap(() => [['candidates', ACME, 200], ['jobs', ACME, 200]]),
    );
    expect(run.stdout).toMatch(/^next run: ATS_LAST_EVENT_ID=\S+$/m);
    // The proxy: the candidate created as a person at the fake TE Recruit with the connection's token, then read back.
    const te = demo.providers['te-recruit'];
    const sent = te.api.requests.slice(teBefore);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /api/people', 'GET /api/people/1']);
    expect(JSON.parse(sent[0]!.body.toString('utf8'))).toEqual({ person: { first_name: 'Ada', last_name: 'Lovelace', status: 'active' } });
    for (const request of sent) expect(te.issuedTokens).toContain(/^Bearer (\S+)$/.exec(request.headers.authorization!)![1]);
    expect(run.stdout).toContain('proxy: TE Recruit person 1 created (HTTP 201) and read back (active)');
    expectNoSecret(run, te.issuedTokens);
  });

  it('a second run from the last event id: no new orders, no events missed', async () => {
    const first = await runScript({ ATS_API_URL: apiUrl(demo.assessmentKit), ATS_API_KEY: keys.assessment });
    const lastId = /^next run: ATS_LAST_EVENT_ID=(\S+)$/m.exec(first.stdout)![1]!;
    const second = await runScript({ ATS_API_URL: apiUrl(demo.assessmentKit), ATS_API_KEY: keys.assessment, ATS_LAST_EVENT_ID: lastId });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('event feed: 0 event(s) to catch up on');
    expect(second.stdout).toContain('new orders: 0');
    expect(second.stdout).toContain(`next run: ATS_LAST_EVENT_ID=${lastId}`);
    // No order processed, so no candidate to send to TE Recruit: the proxy step does not run.
    expect(second.stdout).not.toContain('proxy:');
  });

  it('a read-only key: exit 1 with the problem named, nothing sent to SR; a revoked key: exit 1; no key printed', async () => {
    const placed = await demo.fakeSr.assessment!.orderAssessment(ACME, ADA, 'video-intro');
    const reader = await runScript({ ATS_API_URL: apiUrl(demo.assessmentKit), ATS_API_KEY: keys.reader });
    expect(reader.code).toBe(1);
    expect(reader.stderr).toMatch(/PATCH \/assessment\/orders\/\S+\/result: HTTP 403 insufficient-scope/);
    expect(demo.fakeSr.assessment!.orders.get(placed.orderId!)!.patches).toEqual([]);
    expectNoSecret(reader);

    const revoked = await demo.assessmentKit.apiKeys.create({ name: 'revoked', scopes: ['read', 'write'] });
    await demo.assessmentKit.apiKeys.revoke(revoked.id);
    const refused = await runScript({ ATS_API_URL: apiUrl(demo.assessmentKit), ATS_API_KEY: revoked.key });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GET /events: HTTP 401 invalid-key');
    expect(refused.stdout + refused.stderr).not.toContain(revoked.key);
  });

  it('no connected TE Recruit account where it looks (the assessment kit holds no connections): the proxy step says it skips', async () => {
    await demo.fakeSr.assessment!.orderAssessment(ACME, ADA, 'video-intro');
    const run = await runScript({ ATS_API_URL: apiUrl(demo.assessmentKit), ATS_API_KEY: keys.assessment });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('proxy: skipped, no connected TE Recruit account');
  });

  it('without its environment: exit 2 and what to set', async () => {
    const run = await runScript({});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('set ATS_API_URL and ATS_API_KEY');
  });
});

describe('npm run example:python (demo/python-example.ts)', () => {
  it('against a running demo: keys made on its databases, an order placed at the fake SR, the script run, the keys revoked', async () => {
    const env = { PORT: new URL(demo.kitUrl).port, SR_PORT: new URL(demo.srUrl).port, DEMO_DATA_DIR: demo.dataDir };
    const run = await runProcess(process.execPath, ['--import', 'tsx', 'demo/python-example.ts'], { ...process.env, ...env });
    expect(run.code, run.stderr).toBe(0);
    const placed = /The fake SR ordered an assessment for ACME-ASSESS: order (\S+)\./.exec(run.stdout)?.[1];
    expect(placed, run.stdout).toBeDefined();
    expect(run.stdout).toContain(`order ${placed} (`);
    expect(demo.fakeSr.assessment!.orders.get(placed!)!.result).toMatchObject({ status: 'COMPLETED', scoreLabel: '87/100' });
    expect(run.stdout).toMatch(/^proxy: TE Recruit person \d+ created \(HTTP 201\)/m);
    for (const kit of [demo.kit, demo.assessmentKit]) {
      const made = (await kit.apiKeys.list()).filter((key) => key.name === 'npm run example:python');
      expect(made).toHaveLength(1);
      expect(made[0]!.revokedAt).not.toBeNull();
    }
    expect(run.stdout + run.stderr).not.toMatch(/atsk_|Bearer/);
  });
});

function expectNoSecret(run: Run, tokens: string[] = []): void {
  const printed = run.stdout + run.stderr;
  for (const secret of [...Object.values(keys), ...tokens]) expect(printed.includes(secret), 'a key or token was printed').toBe(false);
  expect(printed).not.toMatch(/atsk_|Bearer/);
  expect(demo.logs.join('\n')).not.toMatch(/atsk_[0-9A-Za-z]{49}/);
}
