/**
 * Results survive the partner's process dying (issue 8 item 2): an update committed by a kit process
 * that is then killed with SIGKILL before SR took it is delivered by the next process on the same
 * store, once. And two kit processes on one PostgreSQL deliver one company's results one at a time,
 * within SR's limits (10 per second, 8 at once per credential), with no 429.
 * The kits run exactly as a partner runs them (environment variables); SR is the fake, here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FakeSmartRecruiters } from '../../../demo/providers/fake-smartrecruiters.js';
import { srConfigure } from '../../../server/cli/sr-configure.js';
import { startAssessmentKitProcess, type AssessmentKitProcess } from '../../helpers/assessment-process-driver.js';
import { ConsentApi } from '../../helpers/consent-api.js';
import { assessmentKitEnv, startFakeSrServer, type FakeSrServer } from '../../helpers/fake-sr-server.js';
import { createDatabase } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/free-port.js';

const COMPANY = 'ACME-ASSESS';
const CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
let sr: FakeSrServer;
let fake: FakeSmartRecruiters;
let srUrl: string;
/** Every results PATCH SR received: which token, when it arrived and when it was answered. */
const patches: Array<{ token: string; start: number; end: number; status: number }> = [];
const running: AssessmentKitProcess[] = [];


beforeAll(async () => {
  sr = await startFakeSrServer({
    intercept: (req, res) => {
      if (req.method === 'PATCH' && /\/results$/.test(req.url ?? '')) {
        const entry = { token: req.headers.authorization ?? '', start: Date.now(), end: 0, status: 0 };
        res.once('finish', () => {
          entry.end = Date.now();
          entry.status = res.statusCode;
          patches.push(entry);
        });
      }
      return false;
    },
  });
  fake = sr.fake;
  srUrl = sr.url;
});

afterAll(async () => {
  await Promise.all(running.map((kit) => kit.stop()));
  await sr?.close();
});

const assessmentEnv = async (databaseUrl: string, port: number) => assessmentKitEnv(srUrl, port, { partnerName: 'Durable Assessments', databaseUrl });

async function start(env: Record<string, string>): Promise<AssessmentKitProcess> {
  const kit = await startAssessmentKitProcess(env);
  running.push(kit);
  return kit;
}

/** Registers the kit with the fake SR and connects COMPANY (consent at SR, then Approve on the kit). */
async function connect(env: Record<string, string>, kit: AssessmentKitProcess): Promise<void> {
  expect(await srConfigure(env, [], () => undefined)).toBe(0);
  fake.assessment!.integrations.delete(COMPANY);
  fake.assessment!.recordConsent(COMPANY);
  const api = await new ConsentApi(kit.url, '/ats/consent', env.ATS_PUBLIC_URL).start(COMPANY);
  expect((await api.approve()).status).toBe(200);
}

async function order(): Promise<string> {
  const ordered = await fake.assessment!.orderAssessment(COMPANY, CANDIDATE, 'static-skills');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  return ordered.orderId!;
}

describe('a kit killed between commit and delivery (SIGKILL)', () => {
  it('the next process on the same store delivers the committed result, once', async () => {
    const port = await freePort();
    const env = await assessmentEnv(`sqlite:${join(mkdtempSync(join(tmpdir(), 'ats-kill9-')), 'kit.sqlite')}`, port);
    const first = await start(env);
    await connect(env, first);
    const orderId = await order();
    fake.assessment!.injectFault('results', 'status-503', 10_000); // SR is down: nothing can be delivered yet
    const result = { status: 'COMPLETED', score: { raw: 9, min: 0, max: 10 }, scoreLabel: '9/10' };
    await first.updateResult(orderId, result); // committed
    await expect.poll(() => fake.assessment!.counts.resultPatches, { timeout: 10_000 }).toBeGreaterThan(0); // and being attempted
    await first.kill9();
    fake.assessment!.clearFaults('results');
    const second = await start(env);
    // Within the company lease (15 s) — or, when the kill caught the attempt between SR's 503 and its
    // record, the attempt window (120 s), which keeps a possibly live attempt from being overtaken.
    await expect.poll(() => fake.assessment!.orders.get(orderId)!.result, { timeout: 130_000, interval: 100 }).toEqual(result);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.assessment!.orders.get(orderId)!.patches).toHaveLength(1); // delivered once
    await second.stop();
  }, 180_000);
});

describe('two kit processes on one PostgreSQL', () => {
  it('deliver one company’s results one instance at a time, within SR’s limits, with no 429 and nothing lost', async () => {
    const databaseUrl = await createDatabase(inject('postgresUrl'), 'assessmentdelivery');
    const port = await freePort();
    const env = await assessmentEnv(databaseUrl, port);
    const a = await start(env);
    const b = await start({ ...env, PORT: String(await freePort()) });
    await connect(env, a);
    const orders = await Promise.all(Array.from({ length: 15 }, () => order()));
    const rateLimitedBefore = fake.assessment!.counts.rateLimited;
    patches.length = 0;
    const expected = new Map<string, Record<string, unknown>>();
    await Promise.all(
      orders.flatMap((orderId, index) => {
        const final = { status: 'COMPLETED', scoreLabel: `order ${index}`, score: { raw: index, min: 0, max: 20 } };
        expected.set(orderId, final);
        return [a.updateResult(orderId, { status: 'IN_PROGRESS' }), b.updateResult(orderId, { status: 'IN_PROGRESS' })].map((first) =>
          first.then(() => (index % 2 === 0 ? a : b).updateResult(orderId, final)),
        );
      }),
    );
    for (const [orderId, final] of expected) {
      await expect.poll(() => fake.assessment!.orders.get(orderId)!.result, { timeout: 30_000, interval: 100 }).toEqual(final);
    }
    expect(fake.assessment!.counts.rateLimited - rateLimitedBefore).toBe(0);
    const ok = patches.filter((entry) => entry.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(orders.length);
    for (const entry of patches) {
      expect(patches.filter((other) => other.start <= entry.start && other.end > entry.start).length).toBeLessThanOrEqual(8);
      expect(patches.filter((other) => other.start >= entry.start && other.start < entry.start + 1000).length).toBeLessThanOrEqual(10);
      // Never both instances at once: requests under another instance's token never overlap this one.
      const overlapping = patches.filter((other) => other.token !== entry.token && other.start < entry.end && other.end > entry.start);
      expect(overlapping).toEqual([]);
    }
  });
});
