/**
 * The throttle's memory is bounded, but a flood of fresh keys must never reset a key that is over
 * its limit (issue 13 finding 5: about 5 000 fresh usernames evicted a throttled victim and guessing
 * resumed). Real class, real clock arithmetic through an injected `now`.
 */
import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../server/consent/sign-in-throttle.js';
import { FailureThrottle } from '../../server/security/failure-throttle.js';
import { clientAddress, throttleKeyOf } from '../../server/http/client-address.js';
import type { Context } from 'koa';

describe('FailureThrottle under a flood of fresh keys', () => {
  it('keeps a throttled key throttled after 12 000 fresh keys (default table of 10 000)', () => {
    let now = 1_000_000;
    const throttle = new SignInThrottle({ maxFailures: 5, windowSeconds: 3600, now: () => now });
    for (let attempt = 0; attempt < 5; attempt += 1) throttle.recordFailure('victim@acme.test', '203.0.113.1');
    expect(throttle.retryAfterSeconds('victim@acme.test', '203.0.113.1')).toBeGreaterThan(0);
    for (let flood = 0; flood < 12_000; flood += 1) {
      now += 1;
      throttle.recordFailure(`fresh-${flood}@flood.test`, `198.51.${flood >> 8}.${flood & 255}`);
    }
    expect(throttle.retryAfterSeconds('victim@acme.test', '203.0.113.1')).toBeGreaterThan(0);
  });

  it('evicts expired and under-limit keys first, and when only throttled keys remain new keys share one overflow count', () => {
    let now = 0;
    const throttle = new FailureThrottle({ windowSeconds: 60, now: () => now, maxTrackedKeys: 3 });
    for (const key of ['a', 'b', 'c']) for (let i = 0; i < 2; i += 1) throttle.recordFailure(key, 2); // all three at their limit
    throttle.recordFailure('d', 2); // no room: counted in the overflow
    throttle.recordFailure('e', 2);
    for (const key of ['a', 'b', 'c']) expect(throttle.retryAfterSeconds(key, 2)).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds('f', 2)).toBeGreaterThan(0); // newcomers wait while the flood lasts (fail closed)
    now += 61_000; // the window passes: expired keys make room again
    throttle.recordFailure('g', 2);
    expect(throttle.retryAfterSeconds('g', 2)).toBe(0);
    expect(throttle.retryAfterSeconds('a', 2)).toBe(0);
  });
});

describe('FailureThrottle under a generous limit', () => {
  it('counts a sliding window of many failures exactly as the window moves, and keeps only the newest limit-many', () => {
    let now = 0;
    const throttle = new FailureThrottle({ windowSeconds: 10, now: () => now });
    // 20 000 failures of one key, one a millisecond, under a limit of 15 000: the first 10 000 expire
    // as the window moves, and the wait always counts from the oldest failure still counted.
    for (let i = 0; i < 20_000; i += 1) {
      throttle.recordFailure('bulk', 15_000);
      now += 1;
    }
    // now = 20 000: failures at 10 001..19 999 are inside the 10 s window (9 999 of them), under the limit.
    expect(throttle.retryAfterSeconds('bulk', 15_000)).toBe(0);
    expect(throttle.retryAfterSeconds('bulk', 9_999)).toBe(Math.ceil((10_001 + 10_000 - 20_000) / 1000));
    expect(throttle.retryAfterSeconds('bulk', 10_000)).toBe(0);
    // A smaller limit keeps only the newest limit-many: the oldest counted is then the 5th newest.
    throttle.recordFailure('bulk', 5);
    expect(throttle.retryAfterSeconds('bulk', 5)).toBe(Math.ceil((19_996 + 10_000 - 20_000) / 1000));
    now += 9_999; // everything but the last failure (at 20 000) has expired
    expect(throttle.retryAfterSeconds('bulk', 1)).toBe(1);
    expect(throttle.retryAfterSeconds('bulk', 2)).toBe(0);
  });
});

describe('a flood that fills the table', () => {
  it('does not shut out the admin signing in from another network (overflow counts per network)', () => {
    const throttle = new SignInThrottle({ maxFailures: 5, windowSeconds: 300, maxTrackedKeys: 50 });
    // An attacker spread over many /64s of one /48 fills the table with keys at their limit: per /64,
    // 4 accounts × 5 failures (each account key at 5, the address key at 4 × 5 = 20).
    for (let net = 0; net < 15; net += 1) {
      for (let account = 0; account < 4; account += 1) {
        for (let attempt = 0; attempt < 5; attempt += 1) throttle.recordFailure(`victim${account}@acme.test`, `2001:db8:aaaa:${net.toString(16)}::/64`);
      }
    }
    expect(throttle.retryAfterSeconds('newcomer@acme.test', '2001:db8:aaaa:ff::/64')).toBeGreaterThan(0); // the flooding network waits
    expect(throttle.retryAfterSeconds('admin@acme.test', '198.51.100.7')).toBe(0); // another network does not
  });
});

describe('client addresses', () => {
  const ctx = (forwarded: string, socket = '10.0.0.1') =>
    ({ get: (name: string) => (name === 'x-forwarded-for' ? forwarded : ''), req: { socket: { remoteAddress: socket } } }) as unknown as Context;

  it('ignores X-Forwarded-For unless proxies are trusted, then takes the entry the outermost trusted proxy appended', () => {
    expect(clientAddress(ctx('1.1.1.1, 2.2.2.2'), 0)).toBe('10.0.0.1');
    expect(clientAddress(ctx('spoofed, 1.1.1.1, 2.2.2.2'), 1)).toBe('2.2.2.2');
    expect(clientAddress(ctx('spoofed, 1.1.1.1, 2.2.2.2'), 2)).toBe('1.1.1.1');
    expect(clientAddress(ctx('1.1.1.1'), 3)).toBe('1.1.1.1');
    expect(clientAddress(ctx(''), 1)).toBe('10.0.0.1');
    // A port some proxies append does not make each connection a new client; garbage is the socket.
    expect(clientAddress(ctx('spoofed, 1.1.1.1:51234'), 1)).toBe('1.1.1.1');
    expect(clientAddress(ctx('[2001:db8:1:2::9]:443'), 1)).toBe(clientAddress(ctx('2001:db8:1:2::7'), 1));
    expect(clientAddress(ctx('unknown'), 1)).toBe('10.0.0.1');
  });

  it('keys IPv6 by its /64 and IPv4-mapped addresses as IPv4', () => {
    expect(throttleKeyOf('2001:db8:1:2:aaaa::1')).toBe(throttleKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    expect(throttleKeyOf('2001:db8:1:3::1')).not.toBe(throttleKeyOf('2001:db8:1:2::1'));
    expect(throttleKeyOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(throttleKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});
