/**
 * Failed sign-ins are throttled per username and per client IP, answering 429 with Retry-After
 * instead of locking the account: a hard lock-out would let anyone lock a real admin out
 * (ASVS 6.1.1). A success clears the username's failures.
 */
import { FailureThrottle } from '../security/failure-throttle.js';

export interface SignInThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
}

/** An IP may fail for several usernames (a shared office NAT) before it is slowed down. */
const IP_ALLOWANCE_FACTOR = 4;

export class SignInThrottle {
  readonly #throttle: FailureThrottle;

  constructor(readonly settings: SignInThrottleSettings) {
    this.#throttle = new FailureThrottle(settings);
  }

  retryAfterSeconds(username: string, ip: string): number {
    return Math.max(
      this.#throttle.retryAfterSeconds(userKey(username), this.settings.maxFailures),
      this.#throttle.retryAfterSeconds(`ip:${ip}`, this.settings.maxFailures * IP_ALLOWANCE_FACTOR),
    );
  }

  recordFailure(username: string, ip: string): void {
    this.#throttle.recordFailure(userKey(username));
    this.#throttle.recordFailure(`ip:${ip}`);
  }

  /** The attempt was counted up front (so parallel guesses cannot all slip past the check); a success takes it back. */
  recordSuccess(username: string, ip: string): void {
    this.#throttle.clear(userKey(username));
    this.#throttle.forgiveLast(`ip:${ip}`);
  }
}

const userKey = (username: string) => `user:${username.toLowerCase()}`;
