/**
 * Results back to SmartRecruiters (issue 8): 1 000 result updates for 100 orders of one company,
 * against the fake SR with its rate limits on (10 per second, 8 at once per credential). Prints the
 * results delivered per second as a ratio to SR's 10/s, the 429s SR had to send, the results lost
 * (SR's final result differing from the last update), and — with SR not limiting, one update at a
 * time — the delay from `updateResult` resolving to SR's 200 (the `assessment.result.delivered`
 * event), median and p99. The demo runs in this process (the figure is bound by SR's limit, not by
 * the machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealData } from 'iron-session';
import { readFileSync } from 'node:fs';
import { startDemo } from '../../demo/start-demo.js';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';
import { fmt } from './load.js';

const COMPANY = 'ACME-ASSESS';
const CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
const STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED'] as const;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function benchResultDelivery(orders = 100, updatesPerOrder = 10, latencySamples = 40): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-results-'));
  const demo = await startDemo({ kitPort: 0, srPort: 0, providerPorts: [0, 0, 0], dataDir, logLevel: 'silent', warn: () => {} });
  try {
    const fake = demo.fakeSr.assessment!;
    const kit = demo.assessmentKit;
    // Connect the company as SR does: consent at SR, then Approve on the consent page (a sealed sign-in).
    fake.recordConsent(COMPANY);
    const { sessionSecret } = JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string };
    const { passwordHash: _hash, username: _name, ...user } = DEMO_USERS[0]!;
    const seal = await sealData({ csrf: 'bench', txn: { id: 'bench', companyId: COMPANY, redirect: null }, user, signedInAt: Date.now() }, { password: sessionSecret, ttl: 900 });
    const approved = await fetch(demo.kitUrl + kit.paths.approve, {
      method: 'POST',
      headers: { origin: demo.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: seal, [CSRF_HEADER]: 'bench' },
      body: '{}',
    });
    if (approved.status !== 200) throw new Error(`results bench: approval failed (${approved.status})`);

    const orderIds: string[] = [];
    for (let i = 0; i < orders + latencySamples; i += 1) {
      const ordered = await fake.orderAssessment(COMPANY, CANDIDATE, 'video-intro');
      if (!ordered.ok) throw new Error(`results bench: order failed: ${ordered.problems.join('; ')}`);
      orderIds.push(ordered.orderId!);
    }
    const bulk = orderIds.slice(0, orders);
    const sequential = orderIds.slice(orders);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the ordering calls' rate window passes

    // 1 000 updates for 100 orders, 50 at a time, as fast as the partner's code can commit them.
    const rateLimitedBefore = fake.counts.rateLimited;
    const patchesBefore = fake.counts.resultPatches;
    const expected = new Map<string, { status: string; scoreLabel: string }>();
    const stepsOf = (orderId: string) =>
      Array.from({ length: updatesPerOrder }, (_, step) => ({ orderId, patch: { status: STATUSES[Math.min(step, STATUSES.length - 1)]!, scoreLabel: `step ${step}` } }));
    const updates = bulk.flatMap(stepsOf);
    for (const update of updates) expected.set(update.orderId, update.patch);
    const started = performance.now();
    // 50 at a time across orders; one order's updates one after another, as the partner's code would
    // send them (two updates of one order racing each other have no order to keep).
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < bulk.length) {
          for (const update of stepsOf(bulk[next++]!)) await kit.assessment.updateResult(update.orderId, update.patch);
        }
      }),
    );
    const committedMs = performance.now() - started;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const states = await Promise.all(bulk.map((orderId) => kit.assessment.delivery(orderId)));
      if (states.every((state) => state?.state === 'delivered')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deliveredMs = performance.now() - started;
    const patches = bulk.flatMap((orderId) => fake.orders.get(orderId)!.patches.map((entry) => Date.parse(entry.at)));
    const firstPatch = Math.min(...patches);
    const lastPatch = Math.max(...patches);
    // Over the whole delivery: from the first PATCH to one window after the last (a burst of 10 in the
    // first window would otherwise read as more than SR allows).
    const perSecond = patches.length / ((lastPatch - firstPatch) / 1000 + 1);
    const lost = bulk.filter((orderId) => {
      const held = fake.orders.get(orderId)!.result;
      const wanted = expected.get(orderId)!;
      return held?.status !== wanted.status || held?.scoreLabel !== wanted.scoreLabel;
    }).length;
    console.log(
      `results to SR: ${updates.length} updates for ${bulk.length} orders committed in ${fmt(committedMs / 1000, 1)} s, all delivered after ${fmt(deliveredMs / 1000, 1)} s ` +
        `in ${fake.counts.resultPatches - patchesBefore} PATCHes (merged per order); ${fmt(perSecond, 1)} deliveries/s = ${fmt(perSecond / 10, 2)}× SR's limit of 10/s (goal ≥ 0.9); ` +
        `429s from SR: ${fake.counts.rateLimited - rateLimitedBefore} (goal 0); results lost: ${lost} (must be 0)`,
    );

    // The delay from a committed update to SR's 200, one at a time (SR not limiting).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const delays: number[] = [];
    for (const orderId of sequential) {
      const arrived = new Promise<number>((resolve) => {
        const off = kit.on('assessment.result.delivered', (event) => {
          if (event.data.orderId === orderId) {
            off();
            resolve(performance.now());
          }
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 120)); // stay under 10/s
      const begin = performance.now();
      await kit.assessment.updateResult(orderId, { status: 'COMPLETED' });
      delays.push((await arrived) - begin);
    }
    console.log(`results to SR: delay from updateResult to SR's 200, one at a time: median ${fmt(percentile(delays, 50), 1)} ms, p99 ${fmt(percentile(delays, 99), 1)} ms (${delays.length} updates)`);
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
