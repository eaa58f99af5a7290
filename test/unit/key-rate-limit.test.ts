/**
 * The per-key request budget (server/partner-api/key-rate-limit.ts) on a controlled clock: the
 * draft-ietf-httpapi-ratelimit-headers fields count down within a fixed window, a refusal carries
 * them with Retry-After and is not counted, the window's end restores the budget, keys are apart.
 */
import { expect, it } from 'vitest';
import { KeyRateLimit } from '../../server/partner-api/key-rate-limit.js';
import { ProblemError } from '../../server/partner-api/problem.js';

it('counts down per key within its window, refuses past it with Retry-After = t, and opens a new window after w seconds', () => {
  let now = 1_000_000;
  const limit = new KeyRateLimit({ max: 2, windowSeconds: 10, now: () => now });
  expect(limit.take('a')).toEqual({ 'ratelimit-policy': '"per-key";q=2;w=10', ratelimit: '"per-key";r=1;t=10' });
  now += 4_200;
  expect(limit.take('a').ratelimit).toBe('"per-key";r=0;t=6');
  expect(limit.take('b').ratelimit).toBe('"per-key";r=1;t=10'); // another key, its own window
  let refusal: unknown;
  try {
    limit.take('a');
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(ProblemError);
  expect((refusal as ProblemError).status).toBe(429);
  expect((refusal as ProblemError).options.headers).toEqual({ 'ratelimit-policy': '"per-key";q=2;w=10', ratelimit: '"per-key";r=0;t=6', 'retry-after': '6' });
  now += 5_800; // the window's end
  expect(limit.take('a').ratelimit).toBe('"per-key";r=1;t=10');
});

it('max 0 is no limit and no fields', () => {
  const limit = new KeyRateLimit({ max: 0, windowSeconds: 60, now: Date.now });
  for (let i = 0; i < 1_000; i += 1) expect(limit.take('a')).toEqual({});
});
