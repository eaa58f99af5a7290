/**
 * SmartRecruiters' per-credential rate limits (reference/providers.md §1.8: 10 requests a second,
 * 8 at once, 429 beyond) against result delivery (seed 003 §5), over HTTP with the fake SR at its
 * real limits: a burst of results for many orders of one company is paced by the kit's gate so SR
 * never refuses one, and SR's 429s — as its limiter sends them (no Retry-After) or with a
 * `Retry-After` — are waited out and end with the result delivered exactly as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../../demo/providers/fake-sr-assessment-data.js';
import type { FakeSmartRecruitersAssessment } from '../../../demo/providers/fake-sr-assessment.js';
import { SR_RATE_LIMITS } from '../../../demo/providers/rate-limiter.js';
import { enableAssessment } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

let demo: TestDemo;
const COMPANY = 'ACME-ASSESS';
const CANDIDATE = DEMO_COMPANIES[0]!.candidates[0]!.id;
const fake = (): FakeSmartRecruitersAssessment => demo.fakeSr.assessment!;
/** How long SR takes to answer under the `slow` fault (well inside the kit's 2 s timeout). */
const SLOW_MS = 800;

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 2_000, faultDelayMs: SLOW_MS });
  expect((await enableAssessment(demo, COMPANY)).approved.status).toBe(200);
  expect(fake().rateLimiter.limits).toEqual(SR_RATE_LIMITS); // SR's documented 10 per second, 8 at once
});
afterAll(async () => {
  await demo?.stop();
});

/** An order the fake SR placed through the kit (so SR knows it and accepts results for it). */
async function srOrder(): Promise<string> {
  const ordered = await fake().orderAssessment(COMPANY, CANDIDATE, 'video-intro');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  return ordered.orderId!;
}

const atSr = (orderId: string) => fake().orders.get(orderId)!;
/** The calls SR logged on an order's results URL, once `count` of them are logged (answered). */
const resultCalls = async (orderId: string, count: number) => {
  await expect.poll(() => atSr(orderId).resultCalls.length).toBeGreaterThanOrEqual(count);
  return atSr(orderId).resultCalls;
};
const delivered = (orderId: string, timeout = 15_000) =>
  expect.poll(async () => (await demo.assessmentKit.assessment.delivery(orderId))?.state, { timeout, interval: 50 }).toBe('delivered');

const COMPLETED = {
  status: 'COMPLETED',
  score: { raw: 28, min: 20, max: 80 },
  scoreLabel: '28/80',
  summary: 'Strong async skills',
  attachments: [{ type: 'PDF_URL', url: 'https://assess.example/reports/1.pdf' }],
};

describe('within SR’s limits (10 per second, 8 at once per credential)', () => {
  const orderIds: string[] = [];

  it('60 result updates for 30 orders of one company: all delivered as sent, SR never refuses one and never sees more than 8 at once or 10 a second', async () => {
    for (let i = 0; i < 30; i += 1) orderIds.push(await srOrder());
    const limiter = fake().rateLimiter;
    const srClientId = fake().integrations.get(COMPANY)!.srClientId;
    limiter.resetPeaks();
    const refusedBefore = fake().counts.rateLimited;
    const patchesBefore = fake().counts.resultPatches;
    const started = Date.now();

    // Two updates per order, all at once: a status, then the result.
    await Promise.all(orderIds.map((orderId) => demo.assessmentKit.assessment.updateResult(orderId, { status: 'IN_PROGRESS', summary: 'started' })));
    const results = orderIds.map((_, index) => ({ status: 'COMPLETED', score: { raw: index, min: 0, max: 29 }, scoreLabel: `${index}/29`, summary: `Order ${index}` }));
    await Promise.all(orderIds.map((orderId, index) => demo.assessmentKit.assessment.updateResult(orderId, results[index])));
    for (const orderId of orderIds) await delivered(orderId, 30_000);
    const elapsedMs = Date.now() - started;

    for (const [index, orderId] of orderIds.entries()) {
      expect(atSr(orderId).result).toEqual(results[index]);
      const statuses = atSr(orderId).patches.map((entry) => entry.result.status);
      expect(statuses.at(-1)).toBe('COMPLETED');
      expect(statuses.slice(0, -1).every((status) => status === 'IN_PROGRESS')).toBe(true); // never an older status after a newer one
    }
    const patches = fake().counts.resultPatches - patchesBefore;
    await expect.poll(() => orderIds.reduce((sum, orderId) => sum + atSr(orderId).resultCalls.length, 0)).toBe(patches); // every call logged
    const calls = orderIds.flatMap((orderId) => atSr(orderId).resultCalls.map((call) => Date.parse(call.at))).sort((a, b) => a - b);
    const busiestSecond = Math.max(...calls.map((start) => calls.filter((at) => at >= start && at < start + 1_000).length));
    const peaks = limiter.peaks(srClientId);
    console.info(`[60 updates, 30 orders] ${patches} PATCHes in ${elapsedMs} ms; peaks ${JSON.stringify(peaks)}; busiest second (arrivals) ${busiestSecond}; 429s ${fake().counts.rateLimited - refusedBefore}`);

    expect(fake().counts.rateLimited - refusedBefore).toBe(0);
    expect(patches).toBeGreaterThanOrEqual(30);
    expect(patches).toBeLessThanOrEqual(60);
    expect(peaks.concurrent).toBeLessThanOrEqual(8);
    expect(peaks.perWindow).toBeLessThanOrEqual(10);
    expect(busiestSecond).toBeLessThanOrEqual(10);
  });

  it(`…and when SR takes ${SLOW_MS} ms to answer each, 8 at once binds: 30 more updates, still no 429, never more than 8 in flight`, async () => {
    expect(orderIds).toHaveLength(30);
    const limiter = fake().rateLimiter;
    const srClientId = fake().integrations.get(COMPANY)!.srClientId;
    limiter.resetPeaks();
    const refusedBefore = fake().counts.rateLimited;
    const patchesBefore = fake().counts.resultPatches;
    fake().injectFault('results', 'slow', 30);
    const started = Date.now();
    try {
      await Promise.all(orderIds.map((orderId, index) => demo.assessmentKit.assessment.updateResult(orderId, { summary: `Reviewed ${index}` })));
      for (const orderId of orderIds) await delivered(orderId, 30_000);
    } finally {
      fake().clearFaults('results');
    }
    const peaks = limiter.peaks(srClientId);
    console.info(`[30 slow updates] ${fake().counts.resultPatches - patchesBefore} PATCHes in ${Date.now() - started} ms; peaks ${JSON.stringify(peaks)}; 429s ${fake().counts.rateLimited - refusedBefore}`);
    for (const [index, orderId] of orderIds.entries()) expect(atSr(orderId).result).toMatchObject({ status: 'COMPLETED', summary: `Reviewed ${index}` });
    expect(fake().counts.rateLimited - refusedBefore).toBe(0);
    expect(fake().counts.resultPatches - patchesBefore).toBe(30);
    expect(peaks.concurrent).toBeLessThanOrEqual(8);
    expect(peaks.concurrent).toBeGreaterThanOrEqual(5); // the slow answers did pile up: the concurrency limit was really in play
    expect(peaks.perWindow).toBeLessThanOrEqual(10);
  });
});

describe('SR’s 429s on results', () => {
  it('status-429 as SR’s limiter sends it (X-RateLimit-Remaining: 0, no Retry-After): waited out, then delivered exactly as sent', async () => {
    const orderId = await srOrder();
    fake().injectFault('results', 'status-429');
    await demo.assessmentKit.assessment.updateResult(orderId, COMPLETED);
    await delivered(orderId);
    expect(atSr(orderId).result).toEqual(COMPLETED);
    const [limited, accepted, ...rest] = await resultCalls(orderId, 2);
    expect(limited).toMatchObject({ kind: 'patch', status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '10' } });
    expect(limited!.headers['retry-after']).toBeUndefined();
    expect(accepted).toMatchObject({ status: 200 });
    expect(rest).toEqual([]);
    expect((await demo.assessmentKit.assessment.delivery(orderId))!.lastError).toBeNull();
  });

  it('status-429-retry-after (Retry-After: 2): the kit waits the 2 s before the next attempt, then delivers exactly as sent', async () => {
    const orderId = await srOrder();
    fake().injectFault('results', 'status-429-retry-after');
    await demo.assessmentKit.assessment.updateResult(orderId, COMPLETED);
    await delivered(orderId);
    expect(atSr(orderId).result).toEqual(COMPLETED);
    const [limited, accepted, ...rest] = await resultCalls(orderId, 2);
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '2', 'x-ratelimit-remaining': '0' } });
    expect(accepted).toMatchObject({ status: 200 });
    expect(rest).toEqual([]);
    const waitedMs = Date.parse(accepted!.at) - Date.parse(limited!.at);
    expect(waitedMs).toBeGreaterThanOrEqual(1_950);
    expect(waitedMs).toBeLessThan(10_000);
    // The accepted PATCH is the one SR recorded (same time, to the millisecond or close).
    expect(Math.abs(Date.parse(atSr(orderId).patches[0]!.at) - Date.parse(accepted!.at))).toBeLessThan(1_000);
  });
});
