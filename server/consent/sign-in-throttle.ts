/**
 * Failed sign-ins are throttled per account *and client*, and per client, answering 429 with
 * Retry-After instead of locking the account (ASVS 6.1.1).
 *
 * Why not per account alone: anyone who knows an admin's username could then keep the admin out
 * by failing five times a window from anywhere (issue 13 finding 3). Keyed per account and client,
 * an attacker's failures slow the attacker's client down, and the admin's correct password from
 * another client still works. Guessing one account from many clients is bounded per client; the
 * per-client key also bounds one client spraying many accounts.
 *
 * The username is the canonical one (see `normalizeUsername`), so `Admin@Acme.test ` and
 * `admin@acme.test` share one counter (finding 10).
 */
import { FailureThrottle } from '../security/failure-throttle.js';

export interface SignInThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
  maxTrackedKeys?: number;
}

/** A client may fail for several usernames (a shared office NAT) before it is slowed down. */
const CLIENT_ALLOWANCE_FACTOR = 4;

export class SignInThrottle {
  readonly #throttle: FailureThrottle;

  constructor(readonly settings: SignInThrottleSettings) {
    this.#throttle = new FailureThrottle(settings);
  }

  retryAfterSeconds(username: string, client: string): number {
    const group = networkOf(client);
    return Math.max(
      this.#throttle.retryAfterSeconds(accountKey(username, client), this.settings.maxFailures, group),
      this.#throttle.retryAfterSeconds(clientKey(client), this.#clientLimit, group),
    );
  }

  /** Counted before the (slow) password check, so concurrent guesses cannot all slip past the check. */
  recordFailure(username: string, client: string): void {
    const group = networkOf(client);
    this.#throttle.recordFailure(accountKey(username, client), this.settings.maxFailures, group);
    this.#throttle.recordFailure(clientKey(client), this.#clientLimit, group);
  }

  /** A success takes back the attempt counted up front, and clears this client's failures for the account. */
  recordSuccess(username: string, client: string): void {
    this.#throttle.clear(accountKey(username, client));
    this.#throttle.forgiveLast(clientKey(client), networkOf(client));
  }

  get #clientLimit(): number {
    return this.settings.maxFailures * CLIENT_ALLOWANCE_FACTOR;
  }
}

const accountKey = (username: string, client: string) => `account:${client}\u0000${username}`;

/**
 * The network a client address belongs to (IPv4 /24, IPv6 /48): when a flood fills the throttle's
 * table, newcomers share a count per network, so a flood from some networks does not shut out an
 * admin signing in from another.
 */
function networkOf(client: string): string {
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(client);
  if (v4) return v4[1]!;
  return client.includes(':') ? client.split(':').slice(0, 3).join(':') : client;
}
const clientKey = (client: string) => `client:${client}`;
