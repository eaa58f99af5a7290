/**
 * The master-token cache (reference/security.md T32): expiry minus a margin, one request in flight.
 */
import { describe, expect, it } from 'vitest';
import { TokenCache, type FetchedToken } from '../../server/oauth/token-cache.js';

function counterFetch(expiresIn = 1800, delayMs = 5) {
  const fetched: string[] = [];
  return {
    fetched,
    fetchToken: async (): Promise<FetchedToken> => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const token = `token-${fetched.length + 1}`;
      fetched.push(token);
      return { accessToken: token, expiresIn };
    },
  };
}

describe('TokenCache', () => {
  it('50 concurrent callers with an empty cache cause exactly one token request', async () => {
    const source = counterFetch();
    const cache = new TokenCache({ fetchToken: source.fetchToken });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get()));
    expect(source.fetched).toEqual(['token-1']);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
  });

  it('reuses the token until expiry minus the margin (max(60 s, 10 %)), then fetches a new one', async () => {
    let now = 1_000_000;
    const source = counterFetch(1800, 0);
    const cache = new TokenCache({ fetchToken: source.fetchToken, now: () => now });
    expect(await cache.get()).toBe('token-1');
    const margin = 180_000; // 10 % of 1 800 s
    now += 1_800_000 - margin - 1;
    expect(await cache.get()).toBe('token-1');
    now += 2;
    expect(await cache.get()).toBe('token-2');
    expect(source.fetched).toHaveLength(2);
  });

  it('uses a 60 s margin for short lifetimes, capped at half the lifetime', async () => {
    let now = 0;
    const source = counterFetch(300, 0);
    const cache = new TokenCache({ fetchToken: source.fetchToken, now: () => now });
    await cache.get();
    now = 240_000 - 1;
    expect(await cache.get()).toBe('token-1');
    now = 240_000;
    expect(await cache.get()).toBe('token-2');

    const tiny = counterFetch(2, 0);
    now = 0;
    const tinyCache = new TokenCache({ fetchToken: tiny.fetchToken, now: () => now });
    await tinyCache.get();
    now = 999;
    expect(await tinyCache.get()).toBe('token-1');
    now = 1000;
    expect(await tinyCache.get()).toBe('token-2');
  });

  it('invalidate drops only the rejected token, so parallel 401s renew once', async () => {
    const source = counterFetch();
    const cache = new TokenCache({ fetchToken: source.fetchToken });
    const first = await cache.get();
    cache.invalidate(first);
    const renewed = await Promise.all(Array.from({ length: 10 }, () => cache.get()));
    expect(new Set(renewed)).toEqual(new Set(['token-2']));
    cache.invalidate(first); // a late 401 for the old token must not drop the new one
    expect(await cache.get()).toBe('token-2');
    expect(source.fetched).toHaveLength(2);
  });

  it('a failed fetch is reported to every waiter and the next call tries again', async () => {
    let fail = true;
    let calls = 0;
    const cache = new TokenCache({
      fetchToken: async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) throw new Error('upstream down');
        return { accessToken: 'ok', expiresIn: 600 };
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get()));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    fail = false;
    expect(await cache.get()).toBe('ok');
    expect(calls).toBe(2);
  });
});
