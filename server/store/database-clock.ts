/**
 * The kit's clock on a shared PostgreSQL: this host's clock corrected by its measured offset from
 * the database server's (the outside review's L3).
 *
 * Several instances compare times each of them wrote: a lease one instance took until T is free
 * for another once that one's clock passes T (the consent exchange's lease, result delivery's
 * company leases, webhook claims, refresh leases), and a token issued on one instance expires by
 * another's clock. With each instance on its own host clock, a host running ahead takes over
 * leases that are still held, so two instances run the same exchange; one running behind keeps
 * expired tokens alive. On the database's clock they all agree, to within half a round trip.
 *
 * The offset is measured the way NTP's simplest client does: the database's time against the
 * midpoint of the round trip that read it, the fastest of a few round trips (the first may also
 * wait for a pooled connection, which would bias the midpoint); measured at start and then every
 * `refreshMs`. A refresh whose fastest round trip is still slow (it says little about when the
 * server read its clock) keeps the last offset. A SQLite file is shared only by processes on one
 * host, which share its clock: no correction there.
 */
const CLOCK_REFRESH_MS = 60_000;
/** Past this difference the kit warns at start and doctor warns (the kit is right either way). */
export const CLOCK_WARN_MS = 1_000;
/** A refresh whose fastest round trip is longer than this keeps the last offset (the first measurement is always taken). */
const MAX_ROUND_TRIP_MS = 250;
/** Round trips per measurement; the fastest counts. */
const SAMPLES = 3;

export class DatabaseClock {
  #offsetMs = 0;
  #measured = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    /** The database server's current time, epoch ms. */
    private readonly readDatabaseTime: () => Promise<number>,
    /** This host's clock. */
    private readonly local: () => number = Date.now,
  ) {}

  /** This host's time corrected to the database's, epoch ms. */
  readonly now = (): number => this.local() + this.#offsetMs;

  /** How far the database's clock is ahead of this host's (negative: behind), as last measured. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Measures the offset (the fastest of a few round trips); resolves with it. */
  async sync(): Promise<number> {
    let best: { roundTripMs: number; offsetMs: number } | undefined;
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      const sent = this.local();
      const databaseTime = await this.readDatabaseTime();
      const received = this.local();
      if (!best || received - sent < best.roundTripMs) best = { roundTripMs: received - sent, offsetMs: Math.round(databaseTime - (sent + received) / 2) };
    }
    if (this.#measured && best!.roundTripMs > MAX_ROUND_TRIP_MS) return this.#offsetMs;
    this.#offsetMs = best!.offsetMs;
    this.#measured = true;
    return this.#offsetMs;
  }

  /** Measures again every `refreshMs` (clocks drift, and hosts get their time stepped); a failed measurement keeps the last offset. */
  start(onError: (error: unknown) => void, refreshMs = CLOCK_REFRESH_MS): void {
    this.stop();
    this.#timer = setInterval(() => void this.sync().catch(onError), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
