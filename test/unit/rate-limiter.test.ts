/** The fake SR's per-credential rate limiter (reference/providers.md §1.8), on an injected clock. */
import { describe, expect, it } from 'vitest';
import { RateLimiter, SR_RATE_LIMITS } from '../../demo/providers/rate-limiter.js';

describe('RateLimiter (sliding 1 s window + in-flight counter)', () => {
  it('admits 10 per sliding second per key, then refuses until the oldest leaves the window', () => {
    let now = 1_000;
    const limiter = new RateLimiter(SR_RATE_LIMITS, () => now);
    for (let i = 0; i < 10; i += 1) {
      const decision = limiter.acquire('a');
      expect(decision.allowed).toBe(true);
      expect(decision.headers['x-ratelimit-remaining']).toBe(String(9 - i));
      decision.release();
      now += 50; // 10 requests over 450 ms
    }
    const refused = limiter.acquire('a');
    expect(refused).toMatchObject({ allowed: false, exceeded: 'rate' });
    expect(refused.headers).toEqual({
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-concurrent-limit': '8',
      'x-ratelimit-concurrent-remaining': '8',
    });
    expect(limiter.acquire('b').allowed).toBe(true); // another credential is unaffected
    now = 1_000 + 1_000; // the first request (t=1000) has left the window
    expect(limiter.acquire('a').allowed).toBe(true);
    expect(limiter.acquire('a').allowed).toBe(false);
  });

  it('refuses a 9th concurrent request; release (idempotent) frees a slot', () => {
    const limiter = new RateLimiter({ ...SR_RATE_LIMITS, perWindow: 100 }, () => 0);
    const held = Array.from({ length: 8 }, () => limiter.acquire('k'));
    expect(held.every((decision) => decision.allowed)).toBe(true);
    expect(held[7]!.headers['x-ratelimit-concurrent-remaining']).toBe('0');
    expect(limiter.acquire('k')).toMatchObject({ allowed: false, exceeded: 'concurrency' });
    held[0]!.release();
    held[0]!.release();
    expect(limiter.inFlight('k')).toBe(7);
    expect(limiter.acquire('k').allowed).toBe(true);
    expect(limiter.acquire('k').allowed).toBe(false);
  });
});
