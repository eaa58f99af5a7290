/**
 * The kit's clock on a shared PostgreSQL (database-clock.ts, the outside review's L3): this host's
 * clock corrected by its offset from the database server's, measured against the midpoint of the
 * round trip. Clocks injected: the assertions are about the arithmetic and the refresh rules.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseClock } from '../../../server/store/database-clock.js';

/** A host clock the test moves by hand, and a database whose clock is `aheadMs` ahead, read at each round trip's midpoint. */
function clocks(aheadMs: number) {
  const host = { ms: 1_000_000, aheadMs, roundTripsMs: [40] as number[], reads: 0 };
  const readDatabaseTime = async () => {
    const roundTripMs = host.roundTripsMs[host.reads % host.roundTripsMs.length]!;
    host.reads += 1;
    host.ms += roundTripMs / 2;
    const databaseTime = host.ms + host.aheadMs;
    host.ms += roundTripMs / 2;
    return databaseTime;
  };
  return { host, clock: new DatabaseClock(readDatabaseTime, () => host.ms) };
}

describe('DatabaseClock', () => {
  it('keeps time by the database: a host 60 s ahead reads the database’s time, to the millisecond here', async () => {
    const { host, clock } = clocks(-60_000);
    expect(await clock.sync()).toBe(-60_000);
    expect(clock.offsetMs).toBe(-60_000);
    host.ms += 5_000;
    expect(clock.now()).toBe(host.ms - 60_000);
  });

  it('the fastest of its round trips counts: one that waited (for a pooled connection, say) off the midpoint does not', async () => {
    const { host } = clocks(2_000);
    // The first round trip spends 800 ms before the database reads its clock: its midpoint is 400 ms off.
    let first = true;
    const skewed = new DatabaseClock(async () => {
      if (first) {
        first = false;
        host.ms += 800;
        const databaseTime = host.ms + host.aheadMs;
        host.ms += 10;
        return databaseTime;
      }
      host.ms += 5;
      const databaseTime = host.ms + host.aheadMs;
      host.ms += 5;
      return databaseTime;
    }, () => host.ms);
    expect(await skewed.sync()).toBe(2_000);
  });

  it('a refresh whose round trips are all slow keeps the last offset; a fast one replaces it; the first is taken however slow', async () => {
    const { host, clock } = clocks(2_500);
    expect(await clock.sync()).toBe(2_500);
    host.aheadMs = 9_000; // the database's clock was stepped
    host.roundTripsMs = [3_000]; // what it answered says little about when it read its clock
    expect(await clock.sync()).toBe(2_500);
    host.roundTripsMs = [3_000, 10, 3_000];
    expect(await clock.sync()).toBe(9_000);

    const slow = clocks(7_000);
    slow.host.roundTripsMs = [3_000];
    expect(await slow.clock.sync()).toBe(7_000);
  });

  it('before any measurement it is the host clock; a failed read leaves the offset as it was', async () => {
    let fail = false;
    const clock = new DatabaseClock(async () => {
      if (fail) throw new Error('database unreachable');
      return Date.now() + 10_000;
    });
    const before = clock.now();
    expect(Math.abs(before - Date.now())).toBeLessThan(50);
    await clock.sync();
    fail = true;
    await expect(clock.sync()).rejects.toThrow('database unreachable');
    expect(Math.abs(clock.offsetMs - 10_000)).toBeLessThan(50);
  });

  it('start measures again on its interval, reporting failures to its callback, and stop ends it', async () => {
    let reads = 0;
    const errors: unknown[] = [];
    const clock = new DatabaseClock(async () => {
      reads += 1;
      if (reads === 2) throw new Error('one failure');
      return Date.now();
    });
    clock.start((error) => errors.push(error), 20);
    await new Promise((resolve) => setTimeout(resolve, 150));
    clock.stop();
    const afterStop = reads;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(afterStop).toBeGreaterThanOrEqual(3);
    expect(reads).toBe(afterStop);
    expect(errors).toHaveLength(1);
  });
});
