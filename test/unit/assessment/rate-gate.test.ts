/**
 * The per-credential gate keeps the kit under SmartRecruiters' limits (providers.md §1.8): never
 * more than `concurrent` in flight, never more than `perWindow` starts in any window, and nothing
 * starts while paused. Real timers over short windows; the assertions are about counts, not speed.
 */
import { describe, expect, it } from 'vitest';
import { RateGate } from '../../../server/assessment/rate-gate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RateGate', () => {
  it('never exceeds the concurrency or the per-window starts, and runs every task', async () => {
    const gate = new RateGate({ perWindow: 5, concurrent: 2, windowMs: 200 });
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, (_, index) =>
        gate.run(async () => {
          starts.push(Date.now());
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(10 + (index % 3) * 10);
          inFlight -= 1;
        }),
      ),
    );
    expect(starts).toHaveLength(15);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    // Measured inside the task, a start is a tick later than the gate counted it: 10 ms of slack.
    for (const start of starts) expect(starts.filter((other) => other >= start && other < start + 190).length).toBeLessThanOrEqual(5);
  });

  it('pause holds every start; an X-RateLimit-Remaining: 0 its own starts do not explain (someone else spends the budget) pauses for a window', async () => {
    const gate = new RateGate({ perWindow: 10, concurrent: 8, windowMs: 150 });
    gate.pause(120);
    const before = Date.now();
    await gate.run(async () => undefined);
    expect(Date.now() - before).toBeGreaterThanOrEqual(110);
    gate.observe(new Headers({ 'x-ratelimit-remaining': '0' }));
    const after = Date.now();
    await gate.run(async () => undefined);
    expect(Date.now() - after).toBeGreaterThanOrEqual(140);
  });

  it('an X-RateLimit-Remaining: 0 that its own starts explain adds no pause: the next start comes as the oldest leaves the window', async () => {
    // A long window, so a busy machine's timer delays cannot blur the two outcomes.
    const gate = new RateGate({ perWindow: 3, concurrent: 3, windowMs: 2_000 });
    const first = Date.now();
    await Promise.all([0, 1, 2].map(() => gate.run(async () => undefined)));
    // SR counted those three: its answer to the last, arriving late, says nothing is left.
    await sleep(1_000);
    gate.observe(new Headers({ 'x-ratelimit-remaining': '0' }));
    await gate.run(async () => undefined);
    const waited = Date.now() - first;
    // The window from the first start (2 s), not a window from the 0 (≥ 3 s).
    expect(waited).toBeGreaterThanOrEqual(1_990);
    expect(waited).toBeLessThan(2_800);
  });

  it('a failing task frees its slot', async () => {
    const gate = new RateGate({ perWindow: 10, concurrent: 1, windowMs: 100 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});
