/**
 * A request budget per API key on the partner API (issue 14 item 3), announced the way
 * draft-ietf-httpapi-ratelimit-headers (-09) describes:
 *
 *   RateLimit-Policy: "per-key";q=600;w=60     the quota: q requests per w-second window
 *   RateLimit: "per-key";r=599;t=42            this window: r requests left, t seconds to its end
 *
 * on every answer to a key that has a budget, and past it 429 with `Retry-After` (RFC 9110 §10.2.3)
 * equal to `t`. Fixed windows per key, opening at the key's first request: exactly what `r` and `t`
 * describe, so a client that paces itself on the headers is never refused.
 *
 * Counted per API key (the key identifies the caller; failed authentications have their own
 * throttle, api-key-auth.ts) and per process: several instances each grant the budget, which the
 * README says. Only keys that authenticated are tracked, so the table holds one entry per live key.
 */
import { ProblemError } from './problem.js';

export interface KeyRateLimitSettings {
  /** Requests per key per window; 0 turns the limit (and its headers) off. */
  max: number;
  windowSeconds: number;
  now: () => number;
}

interface Window {
  startedAt: number;
  count: number;
}

const POLICY = 'per-key';
export const RATE_LIMIT_HEADERS = ['ratelimit-policy', 'ratelimit'] as const;

export class KeyRateLimit {
  readonly #windows = new Map<string, Window>();

  constructor(private readonly settings: KeyRateLimitSettings) {}

  /**
   * Counts one request of `keyId` and returns the headers to send with its answer, or throws the
   * 429 problem (carrying them) when the window's budget is spent. A refused request is not counted.
   */
  take(keyId: string): Record<string, string> {
    const { max, windowSeconds, now } = this.settings;
    if (max <= 0) return {};
    const at = now();
    const windowMs = windowSeconds * 1000;
    let window = this.#windows.get(keyId);
    if (!window || at - window.startedAt >= windowMs) {
      if (this.#windows.size > 10_000) this.#forgetEnded(at - windowMs);
      window = { startedAt: at, count: 0 };
      this.#windows.set(keyId, window);
    }
    const reset = Math.max(1, Math.ceil((window.startedAt + windowMs - at) / 1000));
    const refused = window.count >= max;
    if (!refused) window.count += 1;
    const headers = {
      'ratelimit-policy': `"${POLICY}";q=${max};w=${windowSeconds}`,
      ratelimit: `"${POLICY}";r=${max - window.count};t=${reset}`,
    };
    if (refused) {
      throw new ProblemError('too-many-requests', `This API key made ${max} requests in ${windowSeconds} s, its budget. Retry after ${reset} s.`, {
        headers: { ...headers, 'retry-after': String(reset) },
      });
    }
    return headers;
  }

  #forgetEnded(before: number): void {
    for (const [key, window] of this.#windows) if (window.startedAt <= before) this.#windows.delete(key);
  }
}
