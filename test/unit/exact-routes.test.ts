/** exactRoutes: SR's fixed paths found by method and path; anything else goes on to the router unchanged. */
import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { exactRoutes } from '../../server/http/exact-routes.js';

const request = (method: string, path: string) => ({ method, path, state: {} }) as unknown as Context & { params?: object; state: { seen: string[] } };

describe('exactRoutes', () => {
  const seen: string[] = [];
  const route = exactRoutes([
    ['POST', '/ats/oauth/token', async () => void seen.push('token')],
    ['GET', '/ats/check', async (_ctx, next) => (seen.push('bearer'), next()), async () => void seen.push('check')],
  ]);
  const router = async () => void seen.push('router');

  it('runs the stack of an exact method and path, with no route params', async () => {
    seen.length = 0;
    const ctx = request('GET', '/ats/check');
    await route(ctx, router);
    expect(seen).toEqual(['bearer', 'check']);
    expect(ctx.params).toEqual({});
  });

  it('leaves every other request to the router: another method, a trailing slash, another case, HEAD', async () => {
    for (const [method, path] of [['GET', '/ats/oauth/token'], ['POST', '/ats/oauth/token/'], ['POST', '/ATS/oauth/token'], ['HEAD', '/ats/check']] as const) {
      seen.length = 0;
      await route(request(method, path), router);
      expect(seen).toEqual(['router']);
    }
  });
});
