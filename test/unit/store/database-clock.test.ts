/**
 * The kit's clock on a shared PostgreSQL (database-clock.ts, the outside review's L3): this host's
 * clock corrected by its offset from the database server's, measured against the midpoint of the
 * round trip. Clocks injected: the assertions are about the arithmetic and the refresh rules.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseClock } from '../../../server/store/database-clock.js';

/** A host clock the test moves by hand, and a database read that takes `roundTripMs` of it. */
function clocks(databaseAheadMs: number) {
  const host = { ms: 1_000_000, roundTripMs: 40 };
  const readDatabaseTime = async () => {
    host.ms += host.roundTripMs / 2;
    const databaseTime = host.ms + databaseAheadMs; // read at the round trip's midpoint
    host.ms += host.roundTripMs / 2;
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

  it('a later measurement over a slow round trip keeps the last offset; a fast one replaces it', async () => {
    const { host, clock } = clocks(2_500);
    expect(await clock.sync()).toBe(2_500);
    host.roundTripMs = 3_000; // what the database answered says little about when it read its clock
    const slow = clocks(9_999);
    await slow.clock.sync(); // a first measurement is always taken, however slow
    expect(slow.clock.offsetMs).toBe(9_999);
    expect(await clock.sync()).toBe(2_500);
    host.roundTripMs = 10;
    expect(await clock.sync()).toBe(2_500);
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
    clock.start(20, (error) => errors.push(error));
    await new Promise((resolve) => setTimeout(resolve, 150));
    clock.stop();
    const afterStop = reads;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(afterStop).toBeGreaterThanOrEqual(3);
    expect(reads).toBe(afterStop);
    expect(errors).toHaveLength(1);
  });
});
