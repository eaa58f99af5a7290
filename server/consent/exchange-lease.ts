/**
 * A company's exchange lease, held while its holder talks to SmartRecruiters: only the holder sends
 * the credential exchange, so one company never has two exchanges in flight, across instances
 * (reference/security.md T35).
 *
 * The lease is short and its holder renews it on a clock, not between steps, as result delivery
 * does for its company lease (server/assessment/result-delivery.ts): a slow call to SmartRecruiters
 * must not let the lease lapse under a holder that is alive. A holder that dies (kill -9, a lost
 * machine) stops renewing, and its lease lapses within `expiryMs`, so the admin's retry on any
 * instance takes over within seconds; before, the lease had to outlast the exchange's worst case
 * (four outbound timeouts, 45 s by default) because nobody renewed it. The outbound timeout itself
 * is unchanged.
 *
 * A holder that learns from a renewal that its lease is gone (taken over after it lapsed: its
 * process stalled longer than `expiryMs`, or the database was out of reach that long; or ended by a
 * disable) must not activate. `activate` is conditional on the owner anyway; `lost` only says so
 * early. What the old holder already sent is harmless: the new holder sends the identical body
 * under the same Idempotency-Key (T33), and only one of them can activate.
 *
 * Expiry compares the holder's clock (which wrote `lease_until`) with the waiter's, so instances'
 * clocks must agree to well within `expiryMs - renewEveryMs` (4 s), as NTP keeps them; a SQLite file
 * is shared by processes on one machine, one clock.
 */
import type { IntegrationStore } from '../store/store.js';

export interface LeaseTiming {
  /** How long a lease lasts unless renewed: how long a crashed holder keeps the others waiting. */
  expiryMs: number;
  /** How often a live holder renews: several renewals may be late or fail before the lease lapses. */
  renewEveryMs: number;
}

/** 5 s: a crash costs the admin about that much; four missed 1 s heartbeats before a live holder loses it. */
export const EXCHANGE_LEASE_TIMING: LeaseTiming = { expiryMs: 5_000, renewEveryMs: 1_000 };

export class ExchangeLease {
  /** Takes the company's lease when nobody holds an unexpired one, and starts renewing it. */
  static async acquire(
    store: IntegrationStore,
    companyId: string,
    owner: string,
    timing: LeaseTiming,
    now: () => number,
  ): Promise<ExchangeLease | undefined> {
    const at = now();
    if (!(await store.acquireLease(companyId, owner, at + timing.expiryMs, at))) return undefined;
    return new ExchangeLease(store, companyId, owner, timing, now);
  }

  #lost = false;
  #released = false;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;

  private constructor(
    private readonly store: IntegrationStore,
    readonly companyId: string,
    readonly owner: string,
    private readonly timing: LeaseTiming,
    private readonly now: () => number,
  ) {
    this.#scheduleRenewal();
  }

  /** True once a renewal found the lease no longer ours: the holder must not activate. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Stops renewing. `activate`, `fail` or `disable` end the lease in the store; a crash leaves it to lapse. */
  release(): void {
    this.#released = true;
    clearTimeout(this.#timer);
  }

  /**
   * Stops renewing and makes the lease lapse now rather than in `expiryMs` (graceful shutdown). It
   * stays recorded as ours, so the next holder knows it takes over an attempt that may have reached
   * SmartRecruiters, exactly as after a crash.
   */
  async handBack(): Promise<void> {
    this.release();
    await this.#renewing;
    await this.store.expireLease(this.companyId, this.owner);
  }

  /** One renewal at a time: the next is scheduled when this one has answered, so a slow database never piles them up. */
  #scheduleRenewal(): void {
    this.#timer = setTimeout(() => (this.#renewing = this.#renew()), this.timing.renewEveryMs);
    // The exchange's own request keeps the process alive while it matters; the heartbeat must not.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    try {
      const held = await this.store.renewLease(this.companyId, this.owner, this.now() + this.timing.expiryMs);
      // After release, activate or fail has cleared the lease: a false answer then is expected.
      if (!held && !this.#released) this.#lost = true;
    } catch {
      // A missed heartbeat (the database is briefly out of reach): the lease holds until its expiry,
      // and the next renewal may still land. If none does, activate finds another owner and refuses.
    }
    if (!this.#lost && !this.#released) this.#scheduleRenewal();
  }
}
