/** `GET <prefix>/assets/locales/<tag>.json`: the negotiated catalogue, cacheable, revalidated by ETag, readable cross-origin. */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueRoute } from '../../server/i18n/catalogue-route.js';
import { Localization } from '../../server/i18n/localization.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = new Koa();
  const serve = catalogueRoute(new Localization());
  app.use((ctx) => {
    ctx.params = { file: decodeURIComponent(ctx.path.slice(1)) };
    serve(ctx);
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('catalogue route', () => {
  it('answers the best catalogue for the tag, says which, and may be cached and read cross-origin', async () => {
    const response = await fetch(base + 'pt-PT.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-language')).toBe('pt-BR');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { locale: string; ui: Record<string, string> };
    expect(body.locale).toBe('pt-BR');
    expect(body.ui.approve).toBe('Aprovar');
    // node:http, not fetch: fetch adds `Cache-Control: no-cache` to a conditional request, which rightly defeats a 304.
    const status = await new Promise((resolve, reject) => get(base + 'pt-PT.json', { headers: { 'if-none-match': response.headers.get('etag')! } }, (res) => resolve(res.resume().statusCode)).on('error', reject));
    expect(status).toBe(304);
  });

  it('answers nothing for what is not a locale file', async () => {
    for (const path of ['de.js', '..%2Fde.json', 'de', '*.json']) expect((await fetch(base + path)).status, path).toBe(404);
  });
});
